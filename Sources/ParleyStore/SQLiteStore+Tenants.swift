import GRDB
import ParleyModel

extension SQLiteStore {
    public func createTenant(_ input: TenantInput, seedBlockedFileTypes: Bool, dryRun: Bool, audit: AuditContext) async throws -> Tenant {
        try await write(dryRun: dryRun, audit: audit) { db, revision in
            try Self.requireFreeSlug(input.slug, db: db)
            let now = Timestamp.now()
            let tenant = Tenant(
                id: Identifier.make(prefix: Tenant.idPrefix, at: now), slug: input.slug, name: input.name,
                defaultLanguage: input.defaultLanguage, timezone: input.timezone,
                revision: revision, createdAt: now, updatedAt: now)
            try TenantRecord(tenant).insert(db)
            if seedBlockedFileTypes { try Self.seedBlockedFileTypes(tenant: tenant, db: db) }
            return WriteResult(value: tenant, changed: true, change: .tenant(tenant.id, before: nil, after: tenant))
        }
    }

    public func tenant(id: String) async throws -> Tenant? {
        if let cached = readCache.tenant(id) { return cached }
        let generation = readCache.generation
        let tenant = try await pool.read { db in try Self.lookUpTenant(id, db: db) }
        if let tenant { readCache.keep(tenant, generation: generation) }
        return tenant
    }

    public func tenantNow(id: String) throws -> ImmediateLookup<Tenant> {
        if let cached = readCache.tenant(id) { return .found(cached) }
        let generation = readCache.generation
        guard let tenant = try pointReaders.read({ db in try Self.lookUpTenant(id, db: db) }) else { return .unknown }
        guard let tenant else { return .missing }
        readCache.keep(tenant, generation: generation)
        return .found(tenant)
    }

    private static func lookUpTenant(_ id: String, db: Database) throws -> Tenant? {
        let statement = try db.cachedStatement(sql: "SELECT * FROM tenants WHERE id = ?")
        return try TenantRecord.fetchOne(statement, arguments: [id])?.model
    }

    public func tenants(after afterID: String?, limit: Int) async throws -> [Tenant] {
        try await pool.read { db in
            var request = TenantRecord.order(Column("id")).limit(limit)
            if let afterID { request = request.filter(Column("id") > afterID) }
            return try request.fetchAll(db).map(\.model)
        }
    }

    public func updateTenant(id: String, expectedRevision: Int64?, patch: TenantPatch, dryRun: Bool, audit: AuditContext) async throws -> Tenant {
        try await write(dryRun: dryRun, audit: audit) { db, revision in
            guard let current = try TenantRecord.fetchOne(db, key: id)?.model else {
                throw ConfigError.notFound(type: "tenant", id: id)
            }
            try Self.check(expectedRevision: expectedRevision, current: current.revision, type: "tenant")
            var updated = patch.applied(to: current)
            guard updated != current else {
                return WriteResult(value: current, changed: false, change: .tenant(id, before: current, after: current))
            }
            if updated.slug != current.slug { try Self.requireFreeSlug(updated.slug, db: db) }
            updated.revision = revision
            updated.updatedAt = .now()
            try TenantRecord(updated).update(db)
            return WriteResult(value: updated, changed: true, change: .tenant(id, before: current, after: updated))
        }
    }

    public func deleteTenant(id: String, expectedRevision: Int64?, cascade: Bool, dryRun: Bool, audit: AuditContext) async throws -> Int64 {
        try await write(dryRun: dryRun, audit: audit) { db, revision in
            guard let current = try TenantRecord.fetchOne(db, key: id) else {
                throw ConfigError.notFound(type: "tenant", id: id)
            }
            try Self.check(expectedRevision: expectedRevision, current: current.revision, type: "tenant")
            if !cascade { try Self.requireNoConfiguration(tenantId: id, db: db) }
            try current.delete(db)
            return WriteResult(value: revision, changed: true, change: .tenant(id, before: current.model, after: nil))
        }
    }

    /// A new tenant's default block list of executable file types (state `source: DEFAULT`).
    private static func seedBlockedFileTypes(tenant: Tenant, db: Database) throws {
        for content in BlockedFileType.defaults {
            let resource = StoredResource(
                kind: .blockedFileType, id: Identifier.make(prefix: ResourceKind.blockedFileType.idPrefix, at: tenant.createdAt),
                tenantId: tenant.id, fields: content.fields, state: ["source": "DEFAULT"], revision: tenant.revision,
                createdAt: tenant.createdAt, updatedAt: tenant.createdAt)
            try insert(resource, content: content, db: db)
        }
    }

    /// Refuses to delete a tenant that still has configuration of its own (the untouched
    /// default block list does not count).
    private static func requireNoConfiguration(tenantId: String, db: Database) throws {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT kind, count(*) AS n FROM resources
                WHERE tenant_id = ? AND NOT (kind = ? AND json_extract(state, '$.source') = 'DEFAULT')
                GROUP BY kind ORDER BY kind
                """,
            arguments: [tenantId, ResourceKind.blockedFileType.family])
        guard !rows.isEmpty else { return }
        var counts: [String: JSONValue] = [:]
        for row in rows { counts[row["kind"]] = .int(row["n"]) }
        let total = rows.reduce(0) { $0 + ($1["n"] as Int) }
        throw ConfigError.conflict(
            reason: "in_use",
            message: "tenant \(tenantId) still has \(total) configuration objects; delete them first or pass \"cascade\": true",
            details: ["counts": .object(counts)])
    }

    private static func requireFreeSlug(_ slug: String, db: Database) throws {
        guard try TenantRecord.filter(Column("slug") == slug).fetchCount(db) == 0 else {
            throw ConfigError.conflict(
                reason: "already_exists", message: "a tenant with slug \"\(slug)\" already exists",
                details: ["field": "slug"])
        }
    }
}
