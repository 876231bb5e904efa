import GRDB
import ParleyModel
import ParleyStore

/// A row of the `resources` table: one configuration object of any family.
struct ResourceRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "resources"

    var id: String
    var tenantId: String
    var kind: String
    var nameKey: String
    /// The object's fields as canonical JSON.
    var fields: String
    /// Server-kept state as canonical JSON.
    var state: String
    var revision: Int64
    var createdAt: Int64
    var updatedAt: Int64

    enum CodingKeys: String, CodingKey {
        case id, kind, fields, state, revision
        case tenantId = "tenant_id"
        case nameKey = "name_key"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    init(_ resource: StoredResource, nameKey: String) {
        id = resource.id
        tenantId = resource.tenantId
        kind = resource.kind.family
        self.nameKey = nameKey
        fields = JSONWriter.string(.object(resource.fields))
        state = JSONWriter.string(.object(resource.state))
        revision = resource.revision
        createdAt = resource.createdAt.millisecondsSinceEpoch
        updatedAt = resource.updatedAt.millisecondsSinceEpoch
    }

    /// Reads the columns by name (faster than the Decodable path, and this table is read and
    /// written on every request that misses the cache).
    init(row: Row) throws {
        id = row["id"]
        tenantId = row["tenant_id"]
        kind = row["kind"]
        nameKey = row["name_key"]
        fields = row["fields"]
        state = row["state"]
        revision = row["revision"]
        createdAt = row["created_at"]
        updatedAt = row["updated_at"]
    }

    func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["tenant_id"] = tenantId
        container["kind"] = kind
        container["name_key"] = nameKey
        container["fields"] = fields
        container["state"] = state
        container["revision"] = revision
        container["created_at"] = createdAt
        container["updated_at"] = updatedAt
    }

    /// Inserts the row through one cached statement, bound by position (see
    /// ``AuditRecordRow/insert(into:)``: every create writes one).
    func insert(into db: Database) throws {
        // swift-format-ignore
        let statement = try db.cachedStatement(sql: """
            INSERT INTO resources (id, tenant_id, kind, name_key, fields, state, revision, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        statement.setUncheckedArguments([id, tenantId, kind, nameKey, fields, state, revision, createdAt, updatedAt])
        try statement.execute()
    }

    /// The stored object. The JSON was written by this store, so a parse failure means corruption.
    func model() throws -> StoredResource {
        guard let kind = ResourceKind.all.first(where: { $0.family == self.kind }) else {
            throw StoreCorruption(reason: "resource \(id) has unknown kind \(self.kind)")
        }
        let fields = try? JSONParser.parse(self.fields).objectValue
        let state = try? JSONParser.parse(self.state).objectValue
        guard let fields, let state else { throw StoreCorruption(reason: "resource \(id) holds unreadable JSON") }
        return StoredResource(
            kind: kind, id: id, tenantId: tenantId, fields: fields, state: state, revision: revision,
            createdAt: Timestamp(millisecondsSinceEpoch: createdAt), updatedAt: Timestamp(millisecondsSinceEpoch: updatedAt))
    }
}
