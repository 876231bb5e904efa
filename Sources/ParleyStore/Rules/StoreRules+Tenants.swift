import ParleyModel

/// Tenants: slugs unique, a default block list seeded, deletion refused while configuration remains.
extension StoreRules {
    static func createTenant<Tx: StoreTransaction>(
        _ input: TenantInput, seedBlockedFileTypes: Bool, tx: Tx, revision: Int64
    ) throws -> WriteResult<Tenant> {
        try requireFreeSlug(input.slug, tx: tx)
        let now = Timestamp.now()
        let tenant = Tenant(
            id: Identifier.make(prefix: Tenant.idPrefix, at: now), slug: input.slug, name: input.name,
            defaultLanguage: input.defaultLanguage, timezone: input.timezone, revision: revision, createdAt: now, updatedAt: now)
        try tx.insertTenant(tenant)
        if seedBlockedFileTypes { try seedDefaultBlockList(tenant: tenant, tx: tx) }
        return WriteResult(value: tenant, changed: true, change: .tenant(tenant.id, before: nil, after: tenant))
    }

    static func updateTenant<Tx: StoreTransaction>(
        id: String, expectedRevision: Int64?, patch: TenantPatch, tx: Tx, revision: Int64
    ) throws -> WriteResult<Tenant> {
        guard let current = try tx.tenant(id: id) else { throw ConfigError.notFound(type: "tenant", id: id) }
        try check(expectedRevision: expectedRevision, current: current.revision, type: "tenant")
        var updated = patch.applied(to: current)
        guard updated != current else {
            return WriteResult(value: current, changed: false, change: .tenant(id, before: current, after: current))
        }
        if updated.slug != current.slug { try requireFreeSlug(updated.slug, tx: tx) }
        updated.revision = revision
        updated.updatedAt = .now()
        try tx.updateTenant(updated)
        return WriteResult(value: updated, changed: true, change: .tenant(id, before: current, after: updated))
    }

    static func deleteTenant<Tx: StoreTransaction>(
        id: String, expectedRevision: Int64?, cascade: Bool, tx: Tx, revision: Int64
    ) throws -> WriteResult<Int64> {
        guard let current = try tx.tenant(id: id) else { throw ConfigError.notFound(type: "tenant", id: id) }
        try check(expectedRevision: expectedRevision, current: current.revision, type: "tenant")
        if !cascade { try requireNoConfiguration(tenantId: id, tx: tx) }
        try tx.deleteTenant(id: id)
        return WriteResult(value: revision, changed: true, change: .tenant(id, before: current, after: nil))
    }

    /// A new tenant's default block list of executable file types (state `source: DEFAULT`).
    private static func seedDefaultBlockList<Tx: StoreTransaction>(tenant: Tenant, tx: Tx) throws {
        for content in BlockedFileType.defaults {
            let resource = StoredResource(
                kind: .blockedFileType, id: Identifier.make(prefix: ResourceKind.blockedFileType.idPrefix, at: tenant.createdAt),
                tenantId: tenant.id, fields: content.fields, state: ["source": "DEFAULT"], revision: tenant.revision,
                createdAt: tenant.createdAt, updatedAt: tenant.createdAt)
            try insert(resource, content: content, tx: tx)
        }
    }

    /// Refuses to delete a tenant that still has configuration of its own (the untouched
    /// default block list does not count).
    private static func requireNoConfiguration<Tx: StoreTransaction>(tenantId: String, tx: Tx) throws {
        let counts = try tx.configurationCounts(tenantId: tenantId).filter { $0.value > 0 }
        guard !counts.isEmpty else { return }
        let total = counts.values.reduce(0, +)
        throw ConfigError.conflict(
            reason: "in_use",
            message: "tenant \(tenantId) still has \(total) configuration objects; delete them first or pass \"cascade\": true",
            details: ["counts": .object(counts.mapValues { .int(Int64($0)) })])
    }

    private static func requireFreeSlug<Tx: StoreTransaction>(_ slug: String, tx: Tx) throws {
        guard try !tx.tenantHoldsSlug(slug) else {
            throw ConfigError.conflict(
                reason: "already_exists", message: "a tenant with slug \"\(slug)\" already exists", details: ["field": "slug"])
        }
    }

    static func requireTenant<Tx: StoreTransaction>(_ tenantId: String, tx: Tx) throws {
        guard try tx.tenantExists(id: tenantId) else { throw ConfigError.notFound(type: "tenant", id: tenantId) }
    }
}
