import GRDB
import ParleyStore

/// SQLite's failures of the store itself, for ``StoreError/classify(_:)``.
extension DatabaseError: StoreFailureConvertible {
    public var storeFailure: StoreError? {
        let reason: String
        switch resultCode {
        case .SQLITE_FULL: reason = "store_full"
        case .SQLITE_READONLY: reason = "store_read_only"
        case .SQLITE_BUSY, .SQLITE_LOCKED: reason = "store_busy"
        case .SQLITE_IOERR, .SQLITE_CANTOPEN, .SQLITE_CORRUPT, .SQLITE_NOTADB, .SQLITE_PROTOCOL: reason = "store_io_error"
        default: return nil
        }
        return .unavailable(.init(reason: reason, detail: message ?? "\(resultCode)"))
    }
}
