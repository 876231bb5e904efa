import ParleyModel
import ParleyProtocol
import ParleyStore

extension RPCError {
    /// The JSON-RPC code a failed write is answered with, as its audit record keeps it: the
    /// stores record it without knowing the protocol (their `auditErrorCode` configuration).
    public static func auditCode(of error: any Error) -> Int64? {
        if let error = error as? ConfigError { return Int64(RPCError(error).code.value) }
        if StoreError.classify(error) != nil { return Int64(RPCError.Code.unavailable.value) }
        return Int64(RPCError.Code.internalError.value)
    }
}
