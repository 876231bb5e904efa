import ParleyModel
import ParleyStore
import PostgresNIO

/// ``StoreTransaction`` over the writer's connection inside one transaction: the same tables as
/// the SQLite store, with the change log written by triggers (PostgresStore+Migrations).
///
/// The revision is read with `FOR UPDATE`: the first write of a transaction locks the one
/// `store_revision` row until the commit, so writers on every replica take revisions one at a
/// time, and commit order is revision order (no watcher can see revision 8 before 7). While the
/// lock is held nobody else can change the row, so the writes after the first in a group commit
/// take the revision from ``TransactionState`` instead of asking again (one round trip less each).
public struct PostgresTransaction: StoreTransaction {
    let connection: BlockingConnection
    let state: TransactionState

    public func revision() throws -> Int64 {
        if let known = state.revision { return known }
        let current = try connection.rows("SELECT revision FROM store_revision WHERE id = 1 FOR UPDATE").first?.decode(Int64.self) ?? 0
        state.revision = current
        return current
    }

    public func setRevision(_ revision: Int64) throws {
        try connection.execute("UPDATE store_revision SET revision = \(revision) WHERE id = 1")
        state.revision = revision
    }

    /// Rolling back to the savepoint also rolls back what ``TransactionState`` learned inside it.
    public func savepoint<Value>(_ body: () throws -> (value: Value, keep: Bool)) throws -> Value {
        let before = state.revision
        try connection.execute("SAVEPOINT body")
        let outcome: (value: Value, keep: Bool)
        do {
            outcome = try body()
        } catch {
            state.revision = before
            _ = try? connection.execute("ROLLBACK TO SAVEPOINT body")
            throw error
        }
        if !outcome.keep { state.revision = before }
        try connection.execute(outcome.keep ? "RELEASE SAVEPOINT body" : "ROLLBACK TO SAVEPOINT body")
        return outcome.value
    }

    /// Nothing: this store's cache is kept by the change-log listener under the consistent-read
    /// rule (``ConsistentReads``): until the listener has applied a revision, reads that need it
    /// bypass the cache, so the writer need not read back what it changed (one round trip less).
    public func changes(atRevision revision: Int64) throws -> CommittedChanges {
        CommittedChanges()
    }

    public func tenantChanged(_ tenantId: String, afterRevision revision: Int64) throws -> Bool {
        try connection.rows("SELECT EXISTS (SELECT 1 FROM change_log WHERE revision > \(revision) AND tenant_id = \(tenantId))")
            .first?.decode(Bool.self) ?? true
    }

    // MARK: Tenants

    public func tenant(id: String) throws -> Tenant? {
        try connection.rows("SELECT * FROM tenants WHERE id = \(id)").first?.tenant()
    }

    public func tenantExists(id: String) throws -> Bool {
        try connection.rows("SELECT EXISTS (SELECT 1 FROM tenants WHERE id = \(id))").first?.decode(Bool.self) ?? false
    }

    public func tenantHoldsSlug(_ slug: String) throws -> Bool {
        try connection.rows("SELECT EXISTS (SELECT 1 FROM tenants WHERE slug = \(slug))").first?.decode(Bool.self) ?? false
    }

    public func insertTenant(_ tenant: Tenant) throws {
        try connection.execute("""
            INSERT INTO tenants (id, slug, name, default_language, timezone, revision, created_at, updated_at)
            VALUES (\(tenant.id), \(tenant.slug), \(tenant.name), \(tenant.defaultLanguage), \(tenant.timezone), \(tenant.revision),
                    \(tenant.createdAt.millisecondsSinceEpoch), \(tenant.updatedAt.millisecondsSinceEpoch))
            """)
    }

    public func updateTenant(_ tenant: Tenant) throws {
        try connection.execute("""
            UPDATE tenants SET slug = \(tenant.slug), name = \(tenant.name), default_language = \(tenant.defaultLanguage),
                timezone = \(tenant.timezone), revision = \(tenant.revision), updated_at = \(tenant.updatedAt.millisecondsSinceEpoch)
            WHERE id = \(tenant.id)
            """)
    }

    public func deleteTenant(id: String) throws {
        try connection.execute("DELETE FROM tenants WHERE id = \(id)")
    }

    public func configurationCounts(tenantId: String) throws -> [String: Int] {
        let rows = try connection.rows("""
            SELECT kind, count(*) FROM resources
            WHERE tenant_id = \(tenantId) AND NOT (kind = \(ResourceKind.blockedFileType.family) AND (state::json ->> 'source') = 'DEFAULT')
            GROUP BY kind ORDER BY kind
            """)
        var counts: [String: Int] = [:]
        for row in rows {
            let (kind, count) = try row.decode((String, Int64).self)
            counts[kind] = Int(count)
        }
        return counts
    }

    // MARK: Objects

    public func resource(_ kind: ResourceKind, tenantId: String, id: String) throws -> StoredResource? {
        try connection.rows("SELECT * FROM resources WHERE id = \(id) AND tenant_id = \(tenantId) AND kind = \(kind.family)").first?.resource()
    }

    public func resources(tenantId: String) throws -> [StoredResource] {
        try connection.rows("SELECT * FROM resources WHERE tenant_id = \(tenantId) ORDER BY id").map { try $0.resource() }
    }

    public func insertResource(_ resource: StoredResource, nameKey: String) throws {
        try connection.execute("""
            INSERT INTO resources (id, tenant_id, kind, name_key, fields, state, revision, created_at, updated_at)
            VALUES (\(resource.id), \(resource.tenantId), \(resource.kind.family), \(nameKey), \(JSONWriter.string(.object(resource.fields))),
                    \(JSONWriter.string(.object(resource.state))), \(resource.revision), \(resource.createdAt.millisecondsSinceEpoch),
                    \(resource.updatedAt.millisecondsSinceEpoch))
            """)
    }

    public func updateResource(_ resource: StoredResource, nameKey: String?) throws {
        try connection.execute("""
            UPDATE resources SET name_key = coalesce(\(nameKey), name_key), fields = \(JSONWriter.string(.object(resource.fields))),
                state = \(JSONWriter.string(.object(resource.state))), revision = \(resource.revision),
                updated_at = \(resource.updatedAt.millisecondsSinceEpoch)
            WHERE id = \(resource.id)
            """)
    }

    public func deleteResource(id: String) throws {
        try connection.execute("DELETE FROM resources WHERE id = \(id)")
    }

    // MARK: Unique keys and references

    public func deleteKeys(of id: String, named names: Set<String>?) throws {
        guard let names else {
            try connection.execute("DELETE FROM resource_keys WHERE resource_id = \(id)")
            return
        }
        for name in names.sorted() { try connection.execute("DELETE FROM resource_keys WHERE resource_id = \(id) AND name = \(name)") }
    }

    public func claimKey(kind: ResourceKind, scope: String, name: String, value: String, for id: String) throws -> String? {
        let inserted = try connection.execute("""
            INSERT INTO resource_keys (kind, scope, name, value, resource_id) VALUES (\(kind.family), \(scope), \(name), \(value), \(id))
            ON CONFLICT DO NOTHING
            """)
        guard inserted == 0 else { return nil }
        return try connection.rows("""
            SELECT resource_id FROM resource_keys WHERE kind = \(kind.family) AND scope = \(scope) AND name = \(name) AND value = \(value)
            """).first?.decode(String.self) ?? ""
    }

    public func deleteReferences(from id: String) throws {
        try connection.execute("DELETE FROM resource_refs WHERE from_id = \(id)")
    }

    public func insertReference(from id: String, field: String, to target: String) throws {
        try connection.execute("INSERT INTO resource_refs (from_id, field, to_id) VALUES (\(id), \(field), \(target))")
    }

    public func referrers(of id: String) throws -> [ResourceLink] {
        let rows = try connection.rows("""
            SELECT r.from_id, r.field, o.kind, (o.fields::json ->> 'name') AS name
            FROM resource_refs r JOIN resources o ON o.id = r.from_id
            WHERE r.to_id = \(id) ORDER BY r.from_id, r.field
            """)
        return try rows.compactMap { row in
            let (from, field, family, name) = try row.decode((String, String, String, String?).self)
            guard let kind = ResourceKind.all.first(where: { $0.family == family }) else { return nil }
            return ResourceLink(kind: kind, id: from, name: name, field: field)
        }
    }

    public func fallbackTarget(of id: String) throws -> String? {
        try connection.rows("SELECT to_id FROM resource_refs WHERE from_id = \(id) AND field = 'fallback_group_id'").first?.decode(String.self)
    }

    // MARK: API keys and the audit log

    public func apiKey(id: String) throws -> APIKey? {
        try connection.rows("SELECT * FROM api_keys WHERE id = \(id)").first.flatMap { try $0.apiKey() }
    }

    public func insertAPIKey(_ key: APIKey) throws {
        try connection.execute("""
            INSERT INTO api_keys (id, secret_hash, role, tenant_id, name, created_at, expires_at, revoked_at, last_used_at, revision,
                                  created_by, replaced_by)
            VALUES (\(key.id), \(key.secretHash), \(key.role.rawValue), \(key.tenantId), \(key.name), \(key.createdAt.millisecondsSinceEpoch),
                    \(key.expiresAt?.millisecondsSinceEpoch), \(key.revokedAt?.millisecondsSinceEpoch), \(key.lastUsedAt?.millisecondsSinceEpoch),
                    \(key.revision), \(key.createdBy), \(key.replacedBy))
            """)
    }

    public func updateAPIKey(_ key: APIKey) throws {
        try connection.execute("""
            UPDATE api_keys SET secret_hash = \(key.secretHash), role = \(key.role.rawValue), tenant_id = \(key.tenantId), name = \(key.name),
                expires_at = \(key.expiresAt?.millisecondsSinceEpoch), revoked_at = \(key.revokedAt?.millisecondsSinceEpoch),
                last_used_at = \(key.lastUsedAt?.millisecondsSinceEpoch), revision = \(key.revision), created_by = \(key.createdBy),
                replaced_by = \(key.replacedBy)
            WHERE id = \(key.id)
            """)
    }

    public func insertAudit(_ record: AuditRecord) throws {
        try connection.execute("""
            INSERT INTO audit_log (id, at, key_id, tenant_id, method, target_type, target_id, outcome, error_code, revision, changes)
            VALUES (\(record.id), \(record.at.millisecondsSinceEpoch), \(record.keyId), \(record.tenantId), \(record.method),
                    \(record.targetType), \(record.targetId), \(record.outcome.rawValue), \(record.errorCode), \(record.revision),
                    \(JSONWriter.string(.object(record.changes))))
            """)
    }
}

/// What one transaction of the writer knows beyond its rows: the store revision once it holds the
/// revision lock. `@unchecked Sendable`: used only on the writer thread, one transaction at a time.
final class TransactionState: @unchecked Sendable {
    var revision: Int64?
}

