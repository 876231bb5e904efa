import GRDB
import ParleyModel

/// A row of the `api_keys` table. Holds the argon2id hash of the secret, never the secret.
struct APIKeyRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "api_keys"

    var id: String
    var secretHash: String
    var role: String
    var tenantId: String?
    var name: String
    var createdAt: Int64
    var expiresAt: Int64?
    var revokedAt: Int64?
    var lastUsedAt: Int64?
    var createdBy: String?
    var replacedBy: String?
    var revision: Int64

    enum CodingKeys: String, CodingKey {
        case id, role, name, revision
        case secretHash = "secret_hash"
        case tenantId = "tenant_id"
        case createdAt = "created_at"
        case expiresAt = "expires_at"
        case revokedAt = "revoked_at"
        case lastUsedAt = "last_used_at"
        case createdBy = "created_by"
        case replacedBy = "replaced_by"
    }

    init(_ key: APIKey) {
        id = key.id
        secretHash = key.secretHash
        role = key.role.rawValue
        tenantId = key.tenantId
        name = key.name
        createdAt = key.createdAt.millisecondsSinceEpoch
        expiresAt = key.expiresAt?.millisecondsSinceEpoch
        revokedAt = key.revokedAt?.millisecondsSinceEpoch
        lastUsedAt = key.lastUsedAt?.millisecondsSinceEpoch
        createdBy = key.createdBy
        replacedBy = key.replacedBy
        revision = key.revision
    }

    /// The model, or nil when the stored role is not one this version knows.
    var model: APIKey? {
        guard let role = Role(rawValue: role) else { return nil }
        return APIKey(
            id: id, secretHash: secretHash, role: role, tenantId: tenantId, name: name,
            createdAt: Timestamp(millisecondsSinceEpoch: createdAt),
            expiresAt: expiresAt.map(Timestamp.init(millisecondsSinceEpoch:)),
            revokedAt: revokedAt.map(Timestamp.init(millisecondsSinceEpoch:)),
            lastUsedAt: lastUsedAt.map(Timestamp.init(millisecondsSinceEpoch:)), createdBy: createdBy, replacedBy: replacedBy,
            revision: revision)
    }
}
