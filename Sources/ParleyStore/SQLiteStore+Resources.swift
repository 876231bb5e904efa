import GRDB
import ParleyModel

/// Create, read, list, update and delete for every configuration family.
extension SQLiteStore {
    public func createResource<Content: ResourceContent>(
        _ content: Content, tenantId: String, state: [String: JSONValue]?, dryRun: Bool, audit: AuditContext
    ) async throws -> StoredResource {
        try await write(dryRun: dryRun, audit: audit) { db, revision in
            try Self.requireTenant(tenantId, db: db)
            let now = Timestamp.now()
            let kind = Content.kind
            let resource = StoredResource(
                kind: kind, id: Identifier.make(prefix: kind.idPrefix, at: now), tenantId: tenantId, fields: content.fields,
                state: state ?? Self.initialState(kind, at: now), revision: revision, createdAt: now, updatedAt: now)
            try Self.insert(resource, content: content, db: db)
            return WriteResult(value: resource, changed: true, change: .resource(nil, resource))
        }
    }

    /// Inserts a new object with its keys and references, after the family's own checks.
    static func insert<Content: ResourceContent>(
        _ resource: StoredResource, content: Content, fallbackChains: Bool = true, db: Database
    ) throws {
        try ResourceRecord(resource, nameKey: content.nameKey).insert(db)
        try storeReferences(content.references, tenantId: resource.tenantId, id: resource.id, new: true, db: db)
        try storeKeys(content.uniqueKeys, kind: resource.kind, tenantId: resource.tenantId, id: resource.id, new: true, db: db)
        try checkFamilyRules(resource, fallbackChains: fallbackChains, db: db)
    }

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

    public func resourceNow(_ kind: ResourceKind, tenantId: String, id: String) throws -> ImmediateLookup<StoredResource> {
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
        let statement = try db.cachedStatement(sql: "SELECT * FROM resources WHERE id = ? AND tenant_id = ? AND kind = ?")
        if let record = try ResourceRecord.fetchOne(statement, arguments: [id, tenantId, kind.family]) {
            return try record.model()
        }
        try requireTenant(tenantId, db: db)
        return nil
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

    public func updateResource<Content: ResourceContent>(
        _ type: Content.Type, tenantId: String, id: String, expectedRevision: Int64?, changes: [String: JSONValue], dryRun: Bool,
        audit: AuditContext
    ) async throws -> (resource: StoredResource, warnings: [ValidationIssue]) {
        try await write(dryRun: dryRun, audit: audit) { db, revision in
            let current = try Self.fetchResource(Content.kind, tenantId: tenantId, id: id, db: db).model()
            let patched = ResourcePatch.apply(changes, to: current.fields, as: Content.self)
            var reader = patched.reader
            try reader.finish()
            guard let content = patched.content else { throw ConfigError.invalid([]) }
            try Self.check(expectedRevision: expectedRevision, current: current.revision, type: Content.kind.type)
            guard let updated = try Self.replaceContent(of: current, with: content, revision: revision, db: db) else {
                return WriteResult(value: (current, reader.warnings), changed: false, change: .resource(current, current))
            }
            return WriteResult(value: (updated, reader.warnings), changed: true, change: .resource(current, updated))
        }
    }

    /// Stores `content` as the new content of `current` with its keys, references and family
    /// rules; nil when it changes nothing.
    static func replaceContent<Content: ResourceContent>(
        of current: StoredResource, with content: Content, revision: Int64, fallbackChains: Bool = true, db: Database
    ) throws -> StoredResource? {
        let fields = content.fields
        for field in Content.immutableFields.sorted() where fields[field] != current.fields[field] {
            throw ConfigError.conflict(
                reason: "immutable", message: "\(field) of a \(Content.kind.type) cannot be changed once created",
                details: ["field": .string(field)])
        }
        guard fields != current.fields else { return nil }
        var updated = current
        updated.fields = fields
        updated.state = try stateAfterContentChange(current)
        updated.revision = revision
        updated.updatedAt = .now()
        try ResourceRecord(updated, nameKey: content.nameKey).update(db)
        try storeReferences(content.references, tenantId: current.tenantId, id: current.id, db: db)
        try storeKeys(content.uniqueKeys, kind: Content.kind, tenantId: current.tenantId, id: current.id, db: db)
        try checkFamilyRules(updated, previous: current, fallbackChains: fallbackChains, db: db)
        return updated
    }

    public func deleteResource(
        _ kind: ResourceKind, tenantId: String, id: String, expectedRevision: Int64?, cascade: Bool, dryRun: Bool, audit: AuditContext
    ) async throws -> ResourceDeletion {
        try await write(dryRun: dryRun, audit: audit) { db, revision in
            let current = try Self.fetchResource(kind, tenantId: tenantId, id: id, db: db)
            try Self.check(expectedRevision: expectedRevision, current: current.revision, type: kind.type)
            let referrers = try Self.referrers(of: id, db: db)
            let cascadable = cascade ? Self.cascadingKinds(of: kind) : []
            let cascaded = referrers.filter { cascadable.contains($0.kind) }
            let removed = Set(cascaded.map(\.id) + [id])
            var blocking = referrers.filter { !cascadable.contains($0.kind) }
            for dependent in cascaded {
                blocking += try Self.referrers(of: dependent.id, db: db).filter { !removed.contains($0.id) }
            }
            guard blocking.isEmpty else { throw Self.inUse(kind, id: id, referrers: blocking) }
            for dependent in cascaded {
                try db.executeCached("DELETE FROM resources WHERE id = ?", [dependent.id])
            }
            try current.delete(db)
            let links = cascaded.map { ResourceLink(kind: $0.kind, id: $0.id, name: $0.name, field: nil) }
            var change = AuditChange.resource(try current.model(), nil)
            if !links.isEmpty { change.after = ["cascaded": .array(links.map(\.json))] }
            return WriteResult(value: ResourceDeletion(revision: revision, cascaded: links), changed: true, change: change)
        }
    }
}
