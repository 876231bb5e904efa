import ParleyModel

/// A message the server sent without a request: a JSON-RPC notification.
public struct ServerNotification: Sendable, Hashable {
    public var method: String
    public var params: JSONValue
}
