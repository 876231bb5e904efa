import ParleyStore
import PostgresNIO

/// PostgreSQL's failures of the store itself, for ``StoreError/classify(_:)``: a lost or refused
/// connection, a server shutting down, a full disk, a read-only standby, a serialization or
/// lock failure. Constraint violations and bugs are not store failures.
extension PSQLError: StoreFailureConvertible {
    public var storeFailure: StoreError? {
        switch code {
        case .connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection, .poolClosed:
            return .unavailable(.init(reason: "store_unreachable", detail: "the connection to PostgreSQL was lost (\(code))"))
        case .server:
            let state = serverInfo?[.sqlState] ?? ""
            let detail = "\(state) \(serverInfo?[.message] ?? "")"
            switch state {
            case "53100": return .unavailable(.init(reason: "store_full", detail: detail))
            case "25006": return .unavailable(.init(reason: "store_read_only", detail: detail))
            case "40001", "40P01", "55P03", "57014": return .unavailable(.init(reason: "store_busy", detail: detail))
            case _ where state.hasPrefix("08") || state.hasPrefix("57P") || state.hasPrefix("53"):
                return .unavailable(.init(reason: "store_unreachable", detail: detail))
            case _ where state.hasPrefix("58") || state.hasPrefix("XX"):
                return .unavailable(.init(reason: "store_io_error", detail: detail))
            default: return nil
            }
        default:
            return nil
        }
    }

    /// SQLSTATE and message, for logs (PSQLError's own description hides both).
    var summary: String {
        if let info = serverInfo { return "\(info[.sqlState] ?? "?"): \(info[.message] ?? "")" }
        return "\(code)"
    }
}
