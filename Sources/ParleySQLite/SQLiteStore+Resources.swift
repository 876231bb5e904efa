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
        // Not isolated: the object's row is one statement, and the tenant check after a miss
        // may see a later commit than it did, which answers as of that commit.
        let lookUp = { (db: Database) in try Self.lookUp(kind, tenantId: tenantId, id: id, db: db) }
        guard let found = try pointReaders.read(isolated: false, lookUp) else {
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
        let cache = readCache
        return try await pool.read { db in try Self.page(kind, tenantId: tenantId, query: query, cache: cache, db: db) }
    }

    public func resourcesNow(_ kind: ResourceKind, tenantId: String, query: ResourceQuery) throws -> ImmediateLookup<[StoredResource]> {
        guard query.isIndexRange else { return .unknown }
        let cache = readCache
        guard let page = try pointReaders.read({ db in try Self.page(kind, tenantId: tenantId, query: query, cache: cache, db: db) }) else {
            return .unknown
        }
        return .found(page)
    }

    /// One page of a list, read in `db`: the page's ids and revisions first, then the objects
    /// the read cache does not keep at those revisions (usually none), by id.
    private static func page(_ kind: ResourceKind, tenantId: String, query: ResourceQuery, cache: ReadCache, db: Database) throws -> [StoredResource] {
        try Self.requireTenant(tenantId, db: db)
        var sql = "SELECT id, revision FROM resources WHERE tenant_id = ? AND kind = ?"
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
        // Cached by its text: the few shapes a list takes are compiled once per connection.
        var versions: [ReadCache.Version] = []
        let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
        while let row = try rows.next() { versions.append(.init(id: row[0], revision: row[1])) }
        return try resources(versions, kind: kind, tenantId: tenantId, cache: cache, db: db)
    }

    /// The objects at `versions`: the read cache's copies where it keeps them at those revisions
    /// (one lock for the page; no JSON to parse, and the wire form already written), the others
    /// read by id, parsed and kept. Shaped for speed: parsing each row was a fifth of a list's
    /// server time, and a lock per object made the event loops contend.
    private static func resources(
        _ versions: [ReadCache.Version], kind: ResourceKind, tenantId: String, cache: ReadCache, db: Database
    ) throws -> [StoredResource] {
        let generation = cache.generation
        var found = cache.resources(at: versions)
        var fresh: [StoredResource] = []
        for (index, version) in versions.enumerated() {
            if let kept = found[index], kept.kind == kind, kept.tenantId == tenantId { continue }
            let statement = try db.cachedStatement(sql: "SELECT * FROM resources WHERE id = ?")
            guard let record = try ResourceRecord.fetchOne(statement, arguments: [version.id]) else {
                throw StoreCorruption(reason: "resource \(version.id) vanished inside one read transaction")
            }
            let parsed = try record.model().withWireForm()
            found[index] = parsed
            fresh.append(parsed)
        }
        cache.keep(fresh, generation: generation)
        return found.map { $0! }
    }
}
