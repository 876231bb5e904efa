import ParleyModel

/// One JSON-RPC method: its name, who may call it, and its handler.
public struct Method: Sendable {
    public typealias Handler = @Sendable (RequestContext, [String: JSONValue]) async throws -> JSONValue
    /// Answers on the connection's event loop without waiting for anything (from memory), or
    /// returns nil to hand the call to ``handler``. It must answer exactly as ``handler`` would.
    public typealias ImmediateHandler = @Sendable (RequestContext, [String: JSONValue]) throws -> JSONValue?

    public let name: String
    public let permission: Permission
    public let handler: Handler
    /// The fast path of a read that can often be answered from memory (never for mutations).
    public let immediate: ImmediateHandler?

    public init(_ name: String, permission: Permission, immediate: ImmediateHandler? = nil, handler: @escaping Handler) {
        precondition(immediate == nil || !permission.mutates, "a mutation cannot be answered immediately")
        self.name = name
        self.permission = permission
        self.immediate = immediate
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
