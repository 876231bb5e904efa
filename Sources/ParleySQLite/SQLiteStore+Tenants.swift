import GRDB
import ParleyModel
import ParleyStore

/// Tenant reads: from the read cache, from a point reader on the calling thread, or from the pool.
extension SQLiteStore {
    public func tenant(id: String) async throws -> Tenant? {
        if let cached = readCache.tenant(id) { return cached }
        let generation = readCache.generation
        let tenant = try await pool.read { db in try Self.lookUpTenant(id, db: db) }
        if let tenant { readCache.keep(tenant, generation: generation) }
        return tenant
    }

    public func tenantNow(id: String, readPoint: Int64?) throws -> ImmediateLookup<Tenant> {
        if let cached = readCache.tenant(id) { return .found(cached) }
        let generation = readCache.generation
        guard let tenant = try pointReaders.read({ db in try Self.lookUpTenant(id, db: db) }) else { return .unknown }
        guard let tenant else { return .missing }
        readCache.keep(tenant, generation: generation)
        return .found(tenant)
    }

    static func lookUpTenant(_ id: String, db: Database) throws -> Tenant? {
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
}
