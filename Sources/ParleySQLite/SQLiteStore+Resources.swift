import GRDB
import ParleyModel
import ParleyStore

/// Object reads for every family: from the read cache, from a point reader on the calling
/// thread, or from the pool (writes are ``StoreRules``').
extension SQLiteStore {
    private func cachedResource(_ kind: ResourceKind, tenantId: String, id: String) -> StoredResource? {
        guard let cached = readCache.resource(id), cached.kind == kind, cached.tenantId == tenantId else { return nil }
        return cached
    }

    public func resource(_ kind: ResourceKind, tenantId: String, id: String) async throws -> StoredResource? {
        if let cached = cachedResource(kind, tenantId: tenantId, id: id) { return cached }
        let generation = readCache.generation
        let found = try await pool.read { db in try Self.lookUp(kind, tenantId: tenantId, id: id, db: db) }
        if let found { readCache.keep(found, generation: generation) }
        return found
    }

    public func resourceNow(_ kind: ResourceKind, tenantId: String, id: String, readPoint: Int64?) throws -> ImmediateLookup<StoredResource> {
        if let cached = cachedResource(kind, tenantId: tenantId, id: id) { return .found(cached) }
        let generation = readCache.generation
        guard let found = try pointReaders.read({ db in try Self.lookUp(kind, tenantId: tenantId, id: id, db: db) }) else {
            return .unknown
        }
        guard let found else { return .missing }
        readCache.keep(found, generation: generation)
        return .found(found)
    }

    /// The object, nil when it is missing from an existing tenant; throws when the tenant is missing.
    private static func lookUp(_ kind: ResourceKind, tenantId: String, id: String, db: Database) throws -> StoredResource? {
        if let found = try SQLiteTransaction(db: db).resource(kind, tenantId: tenantId, id: id) { return found }
        try requireTenant(tenantId, db: db)
        return nil
    }

    static func requireTenant(_ tenantId: String, db: Database) throws {
        guard try SQLiteTransaction(db: db).tenantExists(id: tenantId) else { throw ConfigError.notFound(type: "tenant", id: tenantId) }
    }

    public func resources(_ kind: ResourceKind, tenantId: String, query: ResourceQuery) async throws -> [StoredResource] {
        try await pool.read { db in
            try Self.requireTenant(tenantId, db: db)
            var sql = "SELECT * FROM resources WHERE tenant_id = ? AND kind = ?"
            var arguments: StatementArguments = [tenantId, kind.family]
            if let after = query.afterID {
                sql += " AND id > ?"
                arguments += [after]
            }
            if let prefix = query.namePrefix {
                sql += " AND substr(name_key, 1, length(?)) = ?"
                arguments += [prefix, prefix]
            }
            for filter in query.filters {
                sql += " AND json_extract(\(filter.source.rawValue), '$.\(filter.member)') = ?"
                arguments += [filter.value]
            }
            sql += " ORDER BY id LIMIT ?"
            arguments += [query.limit]
            return try ResourceRecord.fetchAll(db, sql: sql, arguments: arguments).map { try $0.model() }
        }
    }
}
