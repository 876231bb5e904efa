/// What an API key may do. Wire values are UPPER_SNAKE (`ADMIN`, `TENANT_ADMIN`, `TENANT_READER`).
public enum Role: String, Sendable, Hashable, CaseIterable {
    /// Platform-wide: manages tenants, every tenant's configuration and every key.
    case admin = "ADMIN"
    /// Reads and writes one tenant's configuration.
    case tenantAdmin = "TENANT_ADMIN"
    /// Reads one tenant's configuration.
    case tenantReader = "TENANT_READER"
}

/// A stored API key: public metadata plus the argon2id hash of its secret (never the secret).
public struct APIKey: Sendable, Hashable {
    /// The public key id, the middle part of `prly_<id>_<secret>`.
    public var id: String
    /// argon2id encoded hash of the secret (`$argon2id$v=19$m=...`).
    public var secretHash: String
    public var role: Role
    /// The tenant the key is bound to; `nil` for platform-wide keys.
    public var tenantId: String?
    public var name: String
    public var createdAt: Timestamp
    public var expiresAt: Timestamp?
    public var revokedAt: Timestamp?
    public var lastUsedAt: Timestamp?
    /// Store revision of the last change.
    public var revision: Int64

    public init(
        id: String, secretHash: String, role: Role, tenantId: String?, name: String, createdAt: Timestamp,
        expiresAt: Timestamp? = nil, revokedAt: Timestamp? = nil, lastUsedAt: Timestamp? = nil, revision: Int64 = 0
    ) {
        self.id = id
        self.secretHash = secretHash
        self.role = role
        self.tenantId = tenantId
        self.name = name
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.lastUsedAt = lastUsedAt
        self.revision = revision
    }

    /// Whether the key may authenticate at `time`: not revoked and not expired.
    public func isUsable(at time: Timestamp) -> Bool {
        revokedAt == nil && (expiresAt.map { time < $0 } ?? true)
    }
}
