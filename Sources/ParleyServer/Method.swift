import ParleyModel

/// Who may call a method.
public enum Permission: Sendable, Hashable {
    /// Anyone, before or after `hello` (`hello`, `ping`, `server.info`).
    case anyone
    /// Any authenticated key.
    case authenticated
    /// A platform `ADMIN` key.
    case admin
    /// Reading the configuration of the tenant named by the `tenant_id` param: `ADMIN`, or a
    /// `TENANT_ADMIN` or `TENANT_READER` key of that tenant.
    case tenantRead
    /// Changing the configuration of the tenant named by `tenant_id`: `ADMIN`, or a
    /// `TENANT_ADMIN` key of that tenant.
    case tenantWrite

    /// What happens when `session` (nil before `hello`) calls a method with this permission and `params`.
    ///
    /// A tenant-bound key naming another tenant gets exactly the answer a missing tenant gets,
    /// so it cannot tell whether that tenant exists; a missing or malformed `tenant_id` is left
    /// to the handler's parameter checks.
    func decide(_ session: Session?, params: [String: JSONValue]) -> PermissionDecision {
        guard self != .anyone else { return .allowed }
        guard let session else { return .helloRequired }
        switch self {
        case .anyone, .authenticated:
            return .allowed
        case .admin:
            return session.role == .admin ? .allowed : .forbidden
        case .tenantRead, .tenantWrite:
            if session.role == .admin { return .allowed }
            if case .string(let tenantId)? = params["tenant_id"], tenantId != session.tenantId {
                return .tenantNotFound(tenantId)
            }
            if self == .tenantWrite, session.role != .tenantAdmin { return .forbidden }
            return .allowed
        }
    }
}

/// The outcome of a permission check.
enum PermissionDecision: Sendable, Hashable {
    case allowed
    case helloRequired
    case forbidden
    /// Answered as if the tenant did not exist.
    case tenantNotFound(String)
}

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
