import ParleyModel

/// Builds and reads JSON-RPC 2.0 responses.
public enum RPCResponse {
    /// `{"jsonrpc":"2.0","id":id,"result":result}`.
    public static func success(id: RequestID, result: JSONValue) -> JSONValue {
        ["jsonrpc": "2.0", "id": id.json, "result": result]
    }

    /// `{"jsonrpc":"2.0","id":id|null,"error":{...}}`.
    public static func failure(id: RequestID?, error: RPCError) -> JSONValue {
        ["jsonrpc": "2.0", "id": id?.json ?? .null, "error": error.json]
    }

    /// A response as received by a client.
    public enum Received: Sendable {
        case success(id: RequestID, result: JSONValue)
        case failure(id: RequestID?, error: RPCError)
        /// A server-initiated notification (`method` + `params`, no id).
        case notification(method: String, params: JSONValue)
    }

    /// Reads one response object; `nil` if it is not a valid response.
    public static func read(_ value: JSONValue) -> Received? {
        guard value["jsonrpc"] == .string("2.0") else { return nil }
        if let method = value["method"]?.stringValue, value["id"] == nil {
            return .notification(method: method, params: value["params"] ?? .null)
        }
        let id = value["id"].flatMap(RequestID.init(json:))
        if let error = value["error"] {
            guard let decoded = RPCError(json: error) else { return nil }
            return .failure(id: id, error: decoded)
        }
        guard let id, let result = value["result"] else { return nil }
        return .success(id: id, result: result)
    }
}
