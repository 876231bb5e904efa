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
    /// The key that created this one (nil for keys made by `parleyd` itself).
    public var createdBy: String?
    /// The key that replaced this one in a rotation.
    public var replacedBy: String?
    /// Store revision of the last change.
    public var revision: Int64

    public init(
        id: String, secretHash: String, role: Role, tenantId: String?, name: String, createdAt: Timestamp,
        expiresAt: Timestamp? = nil, revokedAt: Timestamp? = nil, lastUsedAt: Timestamp? = nil, createdBy: String? = nil,
        replacedBy: String? = nil, revision: Int64 = 0
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
        self.createdBy = createdBy
        self.replacedBy = replacedBy
        self.revision = revision
    }

    /// Whether the key may authenticate at `time`: not revoked and not expired.
    public func isUsable(at time: Timestamp) -> Bool {
        revokedAt == nil && (expiresAt.map { time < $0 } ?? true)
    }

    /// `ACTIVE`, `EXPIRED` or `REVOKED` at `time`.
    public func status(at time: Timestamp) -> String {
        if revokedAt != nil { return "REVOKED" }
        if let expiresAt, time >= expiresAt { return "EXPIRED" }
        return "ACTIVE"
    }

    /// The type name of keys in audit records and errors.
    public static let auditType = "api_key"

    /// The wire form at `time`: metadata only, never the secret or its hash.
    public func json(at time: Timestamp = .now()) -> JSONValue {
        [
            "id": .string(id), "name": .string(name), "role": .string(role.rawValue), "tenant_id": .optional(tenantId),
            "status": .string(status(at: time)), "created_at": .string(createdAt.rfc3339), "created_by": .optional(createdBy),
            "expires_at": .optional(expiresAt?.rfc3339), "revoked_at": .optional(revokedAt?.rfc3339),
            "last_used_at": .optional(lastUsedAt?.rfc3339), "replaced_by": .optional(replacedBy), "revision": .int(revision),
        ]
    }
}
