import ParleyModel

extension RawConnection {
    /// Connects and completes `hello` with `apiKey`; fails if hello does not succeed.
    public static func authenticated(port: Int, apiKey: String) async throws -> RawConnection {
        let connection = try await connect(port: port)
        let response = try await connection.roundTrip([
            "jsonrpc": "2.0", "id": "hello", "method": "hello",
            "params": ["api_key": .string(apiKey), "protocol_version": 1],
        ])
        guard response["result"] != nil else {
            await connection.close()
            throw HelloFailed(response: response)
        }
        return connection
    }

    /// Sends a request with `id` and returns the response.
    public func call(_ method: String, _ params: [String: JSONValue] = [:], id: JSONValue = 1) async throws -> JSONValue {
        try await roundTrip(["jsonrpc": "2.0", "id": id, "method": .string(method), "params": .object(params)])
    }

    struct HelloFailed: Error, CustomStringConvertible {
        var response: JSONValue
        var description: String { "hello failed: \(response)" }
    }
}
