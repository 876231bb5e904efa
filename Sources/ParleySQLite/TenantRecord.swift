import GRDB
import ParleyModel

/// A row of the `tenants` table.
struct TenantRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "tenants"

    var id: String
    var slug: String
    var name: String
    var defaultLanguage: String?
    var timezone: String?
    var revision: Int64
    var createdAt: Int64
    var updatedAt: Int64

    enum CodingKeys: String, CodingKey {
        case id, slug, name, timezone, revision
        case defaultLanguage = "default_language"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    init(_ tenant: Tenant) {
        id = tenant.id
        slug = tenant.slug
        name = tenant.name
        defaultLanguage = tenant.defaultLanguage
        timezone = tenant.timezone
        revision = tenant.revision
        createdAt = tenant.createdAt.millisecondsSinceEpoch
        updatedAt = tenant.updatedAt.millisecondsSinceEpoch
    }

    var model: Tenant {
        Tenant(
            id: id, slug: slug, name: name, defaultLanguage: defaultLanguage, timezone: timezone, revision: revision,
            createdAt: Timestamp(millisecondsSinceEpoch: createdAt), updatedAt: Timestamp(millisecondsSinceEpoch: updatedAt))
    }
}
