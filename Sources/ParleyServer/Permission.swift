import ParleyModel

/// Who may call a method: the least role it needs, which tenant it acts in, and whether it
/// changes anything (mutations are audited, refusals included).
///
/// The dispatcher enforces these; handlers never check roles. A tenant-bound key that names
/// another tenant, or an API key of another tenant, gets exactly the answer a missing tenant or
/// key gets, so it cannot learn whether it exists.
public struct Permission: Sendable, Hashable {
    /// The least role a method needs, in increasing order of power.
    public enum Level: Int, Sendable, Hashable, Comparable {
        case anyone, authenticated, tenantReader, tenantAdmin, admin

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }

        /// What a key with `role` is.
        init(_ role: Role) {
            switch role {
            case .admin: self = .admin
            case .tenantAdmin: self = .tenantAdmin
            case .tenantReader: self = .tenantReader
            }
        }
    }

    /// Which tenant a call acts in, as far as tenant-bound keys are concerned.
    public enum Scope: Sendable, Hashable {
        /// No tenant: platform methods (only `ADMIN` keys, unless the level is below tenantReader).
        case platform
        /// The tenant named by `tenant_id`; when not `required`, an absent `tenant_id` means the key's own tenant.
        case tenant(required: Bool)
        /// The tenant of the API key named by `id`.
        case apiKey
        /// The tenant named by `id` (`tenants.get`), or, without `id`, the key's own (`tenants.list`):
        /// a tenant-bound key sees its own tenant only.
        case ownTenant
    }

    public var level: Level
    public var scope: Scope
    /// Whether the method changes state; every call of such a method leaves an audit record.
    public var mutates: Bool
    /// Param values that only an `ADMIN` key may pass (`api_keys.create` with `role: ADMIN`).
    public var adminOnly: AdminOnlyValues?

    public init(level: Level, scope: Scope, mutates: Bool, adminOnly: AdminOnlyValues? = nil) {
        self.level = level
        self.scope = scope
        self.mutates = mutates
        self.adminOnly = adminOnly
    }

    /// A param whose listed values need an `ADMIN` key.
    public struct AdminOnlyValues: Sendable, Hashable {
        public var param: String
        public var values: Set<String>

        public init(param: String, values: Set<String>) {
            self.param = param
            self.values = values
        }
    }

    /// Before or after `hello` (`hello`, `ping`, `server.info`).
    public static let anyone = Permission(level: .anyone, scope: .platform, mutates: false)
    /// Any authenticated key (`rpc.discover`).
    public static let authenticated = Permission(level: .authenticated, scope: .platform, mutates: false)
    /// Reading tenants (`tenants.get`, `tenants.list`): an `ADMIN` key reads every tenant; a
    /// tenant-bound key (either role) reads its own, and another tenant is missing to it.
    public static let tenantSelfRead = Permission(level: .tenantReader, scope: .ownTenant, mutates: false)
    /// Platform changes: `ADMIN` only (`tenants.create`).
    public static let platformWrite = Permission(level: .admin, scope: .platform, mutates: true)
    /// Reading one tenant's configuration, `files.check`, the renders.
    public static let tenantRead = Permission(level: .tenantReader, scope: .tenant(required: true), mutates: false)
    /// Changing one tenant's configuration.
    public static let tenantWrite = Permission(level: .tenantAdmin, scope: .tenant(required: true), mutates: true)
}
