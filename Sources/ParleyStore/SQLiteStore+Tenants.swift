import GRDB
import ParleyModel

extension SQLiteStore {
    public func createTenant(_ input: TenantInput, dryRun: Bool) async throws -> Tenant {
        try await write(dryRun: dryRun) { db, revision in
            try Self.requireFreeSlug(input.slug, db: db)
            let now = Timestamp.now()
            let tenant = Tenant(
                id: Identifier.make(prefix: Tenant.idPrefix, at: now), slug: input.slug, name: input.name,
                defaultLanguage: input.defaultLanguage, timezone: input.timezone,
                revision: revision, createdAt: now, updatedAt: now)
            try TenantRecord(tenant).insert(db)
            return WriteResult(value: tenant, changed: true)
        }
    }

    public func tenant(id: String) async throws -> Tenant? {
        try await pool.read { db in
            let statement = try db.cachedStatement(sql: "SELECT * FROM tenants WHERE id = ?")
            return try TenantRecord.fetchOne(statement, arguments: [id])?.model
        }
    }

    public func tenants(after afterID: String?, limit: Int) async throws -> [Tenant] {
        try await pool.read { db in
            var request = TenantRecord.order(Column("id")).limit(limit)
            if let afterID { request = request.filter(Column("id") > afterID) }
            return try request.fetchAll(db).map(\.model)
        }
    }

    public func updateTenant(id: String, expectedRevision: Int64?, patch: TenantPatch, dryRun: Bool) async throws -> Tenant {
        try await write(dryRun: dryRun) { db, revision in
            guard let current = try TenantRecord.fetchOne(db, key: id)?.model else {
                throw ConfigError.notFound(type: "tenant", id: id)
            }
            try Self.check(expectedRevision: expectedRevision, current: current.revision, type: "tenant")
            var updated = patch.applied(to: current)
            guard updated != current else { return WriteResult(value: current, changed: false) }
            if updated.slug != current.slug { try Self.requireFreeSlug(updated.slug, db: db) }
            updated.revision = revision
            updated.updatedAt = .now()
            try TenantRecord(updated).update(db)
            return WriteResult(value: updated, changed: true)
        }
    }

    public func deleteTenant(id: String, expectedRevision: Int64?, dryRun: Bool) async throws -> Int64 {
        try await write(dryRun: dryRun) { db, revision in
            guard let current = try TenantRecord.fetchOne(db, key: id) else {
                throw ConfigError.notFound(type: "tenant", id: id)
            }
            try Self.check(expectedRevision: expectedRevision, current: current.revision, type: "tenant")
            try current.delete(db)
            return WriteResult(value: revision, changed: true)
        }
    }

    private static func requireFreeSlug(_ slug: String, db: Database) throws {
        guard try TenantRecord.filter(Column("slug") == slug).fetchCount(db) == 0 else {
            throw ConfigError.conflict(
                reason: "already_exists", message: "a tenant with slug \"\(slug)\" already exists",
                details: ["field": "slug"])
        }
    }
}
