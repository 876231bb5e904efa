import ParleyModel

/// Builds and reads JSON-RPC 2.0 responses.
public enum RPCResponse {
    /// `{"id":id,"jsonrpc":"2.0","result":result}`, already written.
    ///
    /// Written at once (members in sorted order, as ``JSONWriter`` writes any object), not built
    /// as a dictionary and written later: the envelope of every response was a dictionary
    /// allocated, three names hashed and then sorted, and the bytes grown and copied again.
    public static func success(id: RequestID, result: JSONValue) -> JSONValue {
        let capacity = if case .raw(let raw) = result { raw.bytes.count + 64 } else { 256 }
        return .raw(RawJSON(sortedMembers: ["id": id.json, "jsonrpc": "2.0", "result": result], capacity: capacity))
    }

    /// `{"error":{...},"id":id|null,"jsonrpc":"2.0"}`, already written.
    public static func failure(id: RequestID?, error: RPCError) -> JSONValue {
        .raw(RawJSON(sortedMembers: ["error": error.json, "id": id?.json ?? .null, "jsonrpc": "2.0"], capacity: 256))
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
