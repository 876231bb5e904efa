import ParleyModel

/// One JSON-RPC method: its name, who may call it, and its handler, which takes the params
/// read as its ``MethodParams`` type.
public struct Method: Sendable {
    /// The handler as the dispatcher calls it, with the params object as received.
    public typealias Handler = @Sendable (RequestContext, [String: JSONValue]) async throws -> JSONValue
    /// Answers on the connection's event loop without waiting for anything (from memory), or
    /// returns nil to hand the call to ``handler``. It must answer exactly as ``handler`` would.
    public typealias ImmediateHandler = @Sendable (RequestContext, [String: JSONValue]) throws -> JSONValue?

    public let name: String
    public let permission: Permission
    public let handler: Handler
    /// The fast path of a read that can often be answered from memory (never for mutations).
    public let immediate: ImmediateHandler?
    /// Whether ``immediate`` answers from the store's memory as of a read point
    /// (``RequestContext/readPoint``). On a store with read points (``ReadPoints``: PostgreSQL,
    /// whose memory is current only once a look-up says so) such a call waits for one before its
    /// first try, rather than trying without one, which always misses; a fast path that does not
    /// use one (a list, `hello`) is tried once and otherwise handed to ``handler`` at once.
    public let immediateAtReadPoint: Bool

    /// A method whose `handler` takes the call's params read as `Params` (read before each call:
    /// a params problem is answered without calling it).
    ///
    /// ```swift
    /// Method("tenants.create", permission: .platformWrite, handler: create)
    /// static func create(_ context: RequestContext, _ params: CreateTenantParams) async throws -> JSONValue
    /// ```
    public init<Params: MethodParams>(
        _ name: String, permission: Permission, handler: @escaping @Sendable (RequestContext, Params) async throws -> JSONValue
    ) {
        self.init(name, permission: permission, erasedImmediate: nil, erasedHandler: Self.erased(handler))
    }

    /// A read with a fast path: `immediate` answers from memory on the event loop, or returns nil
    /// to hand the call to `handler`; both take the params read as `Params`, and must answer alike.
    /// `immediateAtReadPoint`: whether `immediate` reads the store's memory as of the context's
    /// read point (see ``immediateAtReadPoint``).
    public init<Params: MethodParams>(
        _ name: String, permission: Permission,
        immediate: @escaping @Sendable (RequestContext, Params) throws -> JSONValue?, immediateAtReadPoint: Bool = false,
        handler: @escaping @Sendable (RequestContext, Params) async throws -> JSONValue
    ) {
        let erasedImmediate: ImmediateHandler = { context, params in try immediate(context, try Params(params, for: context)) }
        self.init(
            name, permission: permission, erasedImmediate: erasedImmediate, immediateAtReadPoint: immediateAtReadPoint,
            erasedHandler: Self.erased(handler))
    }

    private init(
        _ name: String, permission: Permission, erasedImmediate: ImmediateHandler?, immediateAtReadPoint: Bool = false,
        erasedHandler: @escaping Handler
    ) {
        precondition(erasedImmediate == nil || !permission.mutates, "a mutation cannot be answered immediately")
        self.name = name
        self.permission = permission
        self.immediate = erasedImmediate
        self.immediateAtReadPoint = immediateAtReadPoint
        self.handler = erasedHandler
    }

    private static func erased<Params: MethodParams>(_ handler: @escaping @Sendable (RequestContext, Params) async throws -> JSONValue) -> Handler {
        { context, params in try await handler(context, try Params(params, for: context)) }
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
