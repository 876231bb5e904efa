import GRDB
import ParleyModel
import ParleyStore

/// ``StoreTransaction`` over one GRDB connection inside a write transaction: the rows of
/// `resources`, `resource_keys`, `resource_refs`, `tenants`, `api_keys` and `audit_log`. The
/// change log is written by triggers (SQLiteStore+Migrations). Hot statements come from the
/// connection's statement cache (Database+CachedStatements).
public struct SQLiteTransaction: StoreTransaction {
    let db: Database

    public func revision() throws -> Int64 { try SQLiteStore.revision(db) }

    public func setRevision(_ revision: Int64) throws {
        try db.executeCached("UPDATE store_revision SET revision = ? WHERE id = 1", [revision])
    }

    public func savepoint<Value>(_ body: () throws -> (value: Value, keep: Bool)) throws -> Value {
        var value: Value?
        try db.withSavepoint("body") {
            let (result, keep) = try body()
            value = result
            return keep ? .commit : .rollback
        }
        return value!
    }

    public func changes(atRevision revision: Int64) throws -> CommittedChanges {
        var changes = CommittedChanges()
        let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT family, object_id FROM change_log WHERE revision = ?"), arguments: [revision])
        while let row = try rows.next() {
            if row["family"] as String == "tenants" {
                changes.tenantChanged = true
            } else {
                changes.resourceIds.append(row["object_id"])
            }
        }
        return changes
    }

    public func tenantChanged(_ tenantId: String, afterRevision revision: Int64) throws -> Bool {
        try db.fetchOneCached(Bool.self, "SELECT EXISTS (SELECT 1 FROM change_log WHERE revision > ? AND tenant_id = ?)", [revision, tenantId])
            ?? true
    }

    // MARK: Tenants

    public func tenant(id: String) throws -> Tenant? {
        try TenantRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM tenants WHERE id = ?"), arguments: [id])?.model
    }

    public func tenantExists(id: String) throws -> Bool {
        try db.fetchOneCached(Bool.self, "SELECT EXISTS (SELECT 1 FROM tenants WHERE id = ?)", [id]) == true
    }

    public func tenantHoldsSlug(_ slug: String) throws -> Bool {
        try db.fetchOneCached(Bool.self, "SELECT EXISTS (SELECT 1 FROM tenants WHERE slug = ?)", [slug]) == true
    }

    public func insertTenant(_ tenant: Tenant) throws { try TenantRecord(tenant).insert(db) }

    public func updateTenant(_ tenant: Tenant) throws { try TenantRecord(tenant).update(db) }

    public func deleteTenant(id: String) throws {
        try db.executeCached("DELETE FROM tenants WHERE id = ?", [id])
    }

    public func configurationCounts(tenantId: String) throws -> [String: Int] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT kind, count(*) AS n FROM resources
                WHERE tenant_id = ? AND NOT (kind = ? AND json_extract(state, '$.source') = 'DEFAULT')
                GROUP BY kind ORDER BY kind
                """,
            arguments: [tenantId, ResourceKind.blockedFileType.family])
        var counts: [String: Int] = [:]
        for row in rows { counts[row["kind"]] = row["n"] }
        return counts
    }

    // MARK: Objects

    public func resource(_ kind: ResourceKind, tenantId: String, id: String) throws -> StoredResource? {
        let statement = try db.cachedStatement(sql: "SELECT * FROM resources WHERE id = ? AND tenant_id = ? AND kind = ?")
        return try ResourceRecord.fetchOne(statement, arguments: [id, tenantId, kind.family])?.model()
    }

    public func resources(tenantId: String) throws -> [StoredResource] {
        try SQLiteStore.allResources(of: tenantId, db: db)
    }

    public func insertResource(_ resource: StoredResource, nameKey: String) throws {
        try ResourceRecord(resource, nameKey: nameKey).insert(into: db)
    }

    public func updateResource(_ resource: StoredResource, nameKey: String?) throws {
        let key = try nameKey ?? db.fetchOneCached(String.self, "SELECT name_key FROM resources WHERE id = ?", [resource.id]) ?? ""
        try ResourceRecord(resource, nameKey: key).update(db)
    }

    public func deleteResource(id: String) throws {
        try db.executeCached("DELETE FROM resources WHERE id = ?", [id])
    }

    // MARK: Keys and references

    public func deleteKeys(of id: String, named names: Set<String>?) throws {
        guard let names else { return try db.executeCached("DELETE FROM resource_keys WHERE resource_id = ?", [id]) }
        for name in names { try db.executeCached("DELETE FROM resource_keys WHERE resource_id = ? AND name = ?", [id, name]) }
    }

    public func claimKey(kind: ResourceKind, scope: String, name: String, value: String, for id: String) throws -> String? {
        // Insert first (one statement in the usual case); only a clash looks up the holder.
        try db.executeCached(
            "INSERT OR IGNORE INTO resource_keys (kind, scope, name, value, resource_id) VALUES (?, ?, ?, ?, ?)",
            [kind.family, scope, name, value, id])
        guard db.changesCount == 0 else { return nil }
        return try db.fetchOneCached(
            String.self, "SELECT resource_id FROM resource_keys WHERE kind = ? AND scope = ? AND name = ? AND value = ?",
            [kind.family, scope, name, value]) ?? ""
    }

    public func deleteReferences(from id: String) throws {
        try db.executeCached("DELETE FROM resource_refs WHERE from_id = ?", [id])
    }

    public func insertReference(from id: String, field: String, to target: String) throws {
        try db.executeCached("INSERT INTO resource_refs (from_id, field, to_id) VALUES (?, ?, ?)", [id, field, target])
    }

    public func referrers(of id: String) throws -> [ResourceLink] {
        // swift-format-ignore
        let rows = try Row.fetchAll(
            db.cachedStatement(sql: """
                SELECT r.from_id, r.field, o.kind, json_extract(o.fields, '$.name') AS name
                FROM resource_refs r JOIN resources o ON o.id = r.from_id
                WHERE r.to_id = ? ORDER BY r.from_id, r.field
                """),
            arguments: [id])
        return rows.compactMap { row in
            let family: String = row["kind"]
            guard let kind = ResourceKind.all.first(where: { $0.family == family }) else { return nil }
            return ResourceLink(kind: kind, id: row["from_id"], name: row["name"], field: row["field"])
        }
    }

    public func fallbackTarget(of id: String) throws -> String? {
        try db.fetchOneCached(String.self, "SELECT to_id FROM resource_refs WHERE from_id = ? AND field = 'fallback_group_id'", [id])
    }

    // MARK: Keys and audit

    public func apiKey(id: String) throws -> APIKey? { try APIKeyRecord.fetchOne(db, key: id)?.model }

    public func insertAPIKey(_ key: APIKey) throws { try APIKeyRecord(key).insert(db) }

    public func updateAPIKey(_ key: APIKey) throws { try APIKeyRecord(key).update(db) }

    public func insertAudit(_ record: AuditRecord) throws { try AuditRecordRow(record).insert(into: db) }
}
