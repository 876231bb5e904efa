import ParleyClient
import ParleyModel

/// The server's OpenRPC document, fetched with `rpc.discover` at most once per run.
enum OpenRPCCache {
    private static let document = Document()

    /// The params schema of `method`; nil when the server does not describe it (or has no
    /// `rpc.discover`), in which case values are read as before the schema existed.
    static func params(of method: String, client: Client) async -> FieldSchema? {
        guard let document = await document.value(client: client) else { return nil }
        return FieldSchema.params(of: method, in: document)
    }

    private actor Document {
        private var fetched: JSONValue??

        func value(client: Client) async -> JSONValue? {
            if let fetched { return fetched }
            let value = try? await client.call("rpc.discover", [:])
            fetched = .some(value)
            return value
        }
    }
}
