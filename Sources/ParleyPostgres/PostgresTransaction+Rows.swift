import ParleyModel
import ParleyStore
import PostgresNIO

/// The rows of one transaction: tenants, objects, unique keys, references, API keys and audit records.
/// Every statement that changes tenants or objects passes `logged: true` (or announces its
/// revision itself): their trigger writes the change log at the revision the setting holds.
extension PostgresTransaction {
    // MARK: Tenants

    public func tenant(id: String) throws -> Tenant? {
        try read("SELECT * FROM tenants WHERE id = \(id)").first?.tenant()
    }

    public func tenantExists(id: String) throws -> Bool {
        if state.knownTenants.contains(id) { return true }
        // FOR KEY SHARE: the tenant cannot be deleted (on any replica) until this transaction
        // ends, so the answer holds for the rest of it and later writes need not ask again.
        let exists = try !read("SELECT 1 FROM tenants WHERE id = \(id) FOR KEY SHARE").isEmpty
        if exists { state.knownTenants.insert(id) }
        return exists
    }

    public func tenantHoldsSlug(_ slug: String) throws -> Bool {
        try read("SELECT EXISTS (SELECT 1 FROM tenants WHERE slug = \(slug))").first?.decode(Bool.self) ?? false
    }

    public func insertTenant(_ tenant: Tenant) throws {
        try write(
            """
            INSERT INTO tenants (id, slug, name, default_language, timezone, revision, created_at, updated_at)
            VALUES (\(tenant.id), \(tenant.slug), \(tenant.name), \(tenant.defaultLanguage), \(tenant.timezone), \(tenant.revision),
                    \(tenant.createdAt.millisecondsSinceEpoch), \(tenant.updatedAt.millisecondsSinceEpoch))
            """, logged: true)
    }

    public func updateTenant(_ tenant: Tenant) throws {
        try write(
            """
            UPDATE tenants SET slug = \(tenant.slug), name = \(tenant.name), default_language = \(tenant.defaultLanguage),
                timezone = \(tenant.timezone), revision = \(tenant.revision), updated_at = \(tenant.updatedAt.millisecondsSinceEpoch)
            WHERE id = \(tenant.id)
            """, logged: true)
    }

    public func deleteTenant(id: String) throws {
        state.knownTenants.remove(id)
        try write("DELETE FROM tenants WHERE id = \(id)", logged: true)
    }

    public func configurationCounts(tenantId: String) throws -> [String: Int] {
        let rows = try read(
            """
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
        try read("SELECT * FROM resources WHERE id = \(id) AND tenant_id = \(tenantId) AND kind = \(kind.family)").first?.resource()
    }

    public func resources(tenantId: String) throws -> [StoredResource] {
        try read("SELECT * FROM resources WHERE tenant_id = \(tenantId) ORDER BY id").map { try $0.resource() }
    }

    /// Held back until the next statement, so that a new object and its first unique key go in
    /// one round trip (``claimKey(kind:scope:name:value:for:)``); at once in a real savepoint,
    /// where a failure must surface inside the rules' body.
    public func insertResource(_ resource: StoredResource, nameKey: String) throws {
        guard !state.guardedJobs.contains(state.job) else {
            try write(Self.resourceInsert(resource, nameKey: nameKey), logged: true)
            return
        }
        try sendPendingInsert()
        state.pendingInsert = (resource, nameKey)
    }

    public func updateResource(_ resource: StoredResource, nameKey: String?) throws {
        try write(
            """
            UPDATE resources SET name_key = coalesce(\(nameKey), name_key), fields = \(JSONWriter.string(.object(resource.fields))),
                state = \(JSONWriter.string(.object(resource.state))), revision = \(resource.revision),
                updated_at = \(resource.updatedAt.millisecondsSinceEpoch)
            WHERE id = \(resource.id)
            """, logged: true)
    }

    public func deleteResource(id: String) throws {
        try write("DELETE FROM resources WHERE id = \(id)", logged: true)
    }

    // MARK: Unique keys and references

    public func deleteKeys(of id: String, named names: Set<String>?) throws {
        guard let names else {
            try write("DELETE FROM resource_keys WHERE resource_id = \(id)")
            return
        }
        for name in names.sorted() { try write("DELETE FROM resource_keys WHERE resource_id = \(id) AND name = \(name)") }
    }

    /// The first key of an object whose row is held back goes in the same statement as the row.
    public func claimKey(kind: ResourceKind, scope: String, name: String, value: String, for id: String) throws -> String? {
        let key = ClaimedKey(kind: kind, scope: scope, name: name, value: value)
        let inserted: Int
        if state.pendingInsert?.resource.id == id, let count = try sendPendingInsert(claiming: key) {
            inserted = count
        } else {
            inserted = try write(
                """
                INSERT INTO resource_keys (kind, scope, name, value, resource_id) VALUES (\(kind.family), \(scope), \(name), \(value), \(id))
                ON CONFLICT DO NOTHING
                """)
        }
        guard inserted == 0 else { return nil }
        return try read(
            """
            SELECT resource_id FROM resource_keys WHERE kind = \(kind.family) AND scope = \(scope) AND name = \(name) AND value = \(value)
            """
        ).first?.decode(String.self) ?? ""
    }

    public func deleteReferences(from id: String) throws {
        try write("DELETE FROM resource_refs WHERE from_id = \(id)")
    }

    public func insertReference(from id: String, field: String, to target: String) throws {
        try write("INSERT INTO resource_refs (from_id, field, to_id) VALUES (\(id), \(field), \(target))")
    }

    public func referrers(of id: String) throws -> [ResourceLink] {
        let rows = try read(
            """
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
        try read("SELECT to_id FROM resource_refs WHERE from_id = \(id) AND field = 'fallback_group_id'").first?.decode(String.self)
    }

    // MARK: API keys and the audit log

    public func apiKey(id: String) throws -> APIKey? {
        try read("SELECT * FROM api_keys WHERE id = \(id)").first.flatMap { try $0.apiKey() }
    }

    public func insertAPIKey(_ key: APIKey) throws {
        try write(
            """
            INSERT INTO api_keys (id, secret_hash, role, tenant_id, name, created_at, expires_at, revoked_at, last_used_at, revision,
                                  created_by, replaced_by)
            VALUES (\(key.id), \(key.secretHash), \(key.role.rawValue), \(key.tenantId), \(key.name), \(key.createdAt.millisecondsSinceEpoch),
                    \(key.expiresAt?.millisecondsSinceEpoch), \(key.revokedAt?.millisecondsSinceEpoch), \(key.lastUsedAt?.millisecondsSinceEpoch),
                    \(key.revision), \(key.createdBy), \(key.replacedBy))
            """)
    }

    public func updateAPIKey(_ key: APIKey) throws {
        try write(
            """
            UPDATE api_keys SET secret_hash = \(key.secretHash), role = \(key.role.rawValue), tenant_id = \(key.tenantId), name = \(key.name),
                expires_at = \(key.expiresAt?.millisecondsSinceEpoch), revoked_at = \(key.revokedAt?.millisecondsSinceEpoch),
                last_used_at = \(key.lastUsedAt?.millisecondsSinceEpoch), revision = \(key.revision), created_by = \(key.createdBy),
                replaced_by = \(key.replacedBy)
            WHERE id = \(key.id)
            """)
    }

    /// Held back and inserted with the batch's other records just before the commit
    /// (``sendPendingAudits()``): nothing reads the audit log inside a write.
    public func insertAudit(_ record: AuditRecord) throws {
        state.pendingAudits.append(record)
    }
}
