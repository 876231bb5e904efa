import ParleyModel
import ParleyProtocol

/// The OpenRPC description of this server (protocol/openrpc.json), returned by `rpc.discover`.
public enum OpenRPCDocument {
    /// The document, parsed once.
    public static let value: JSONValue = {
        do {
            return try JSONParser.parse(text, configuration: .init(maximumDepth: 256))
        } catch {
            fatalError("the embedded protocol/openrpc.json is not valid JSON: \(error)")
        }
    }()
}
