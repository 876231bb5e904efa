import ParleyModel

/// Who a connection authenticated as, captured when `hello` succeeded.
public struct Session: Sendable, Hashable {
    public var keyID: String
    public var role: Role
    public var tenantId: String?
    public var expiresAt: Timestamp?

    public init(key: APIKey) {
        keyID = key.id
        role = key.role
        tenantId = key.tenantId
        expiresAt = key.expiresAt
    }

    /// The `key` member of the `hello` result.
    public var json: JSONValue {
        ["id": .string(keyID), "role": .string(role.rawValue), "tenant_id": .optional(tenantId)]
    }
}
