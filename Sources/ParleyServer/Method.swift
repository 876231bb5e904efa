import ParleyModel

/// One JSON-RPC method: its name, who may call it, and its handler.
public struct Method: Sendable {
    public typealias Handler = @Sendable (RequestContext, [String: JSONValue]) async throws -> JSONValue

    public let name: String
    public let permission: Permission
    public let handler: Handler

    public init(_ name: String, permission: Permission, handler: @escaping Handler) {
        self.name = name
        self.permission = permission
        self.handler = handler
    }
}

/// The method table the dispatcher enforces: a method missing from it cannot be called.
public struct MethodTable: Sendable {
    private var methods: [String: Method] = [:]

    public init(_ families: [[Method]]) {
        for method in families.joined() {
            precondition(methods[method.name] == nil, "method \(method.name) registered twice")
            methods[method.name] = method
        }
    }

    public subscript(name: String) -> Method? { methods[name] }

    /// Every method name, sorted.
    public var names: [String] { methods.keys.sorted() }
}
