import ParleyModel

/// Create, update and delete for every configuration family.
extension StoreRules {
    static func createResource<Tx: StoreTransaction, Content: ResourceContent>(
        _ content: Content, tenantId: String, state: [String: JSONValue]?, tx: Tx, revision: Int64
    ) throws -> WriteResult<StoredResource> {
        try requireTenant(tenantId, tx: tx)
        let now = Timestamp.now()
        let kind = Content.kind
        let resource = StoredResource(
            kind: kind, id: Identifier.make(prefix: kind.idPrefix, at: now), tenantId: tenantId, fields: content.fields,
            state: state ?? initialState(kind, at: now), revision: revision, createdAt: now, updatedAt: now)
        try insert(resource, content: content, tx: tx)
        return WriteResult(value: resource, changed: true, change: .resource(nil, resource))
    }

    /// Inserts a new object with its keys and references, after the family's own checks.
    /// `fallbackChains: false` when the caller checked every chain of the tenant already (apply).
    static func insert<Tx: StoreTransaction>(
        _ resource: StoredResource, content: any ResourceContent, fallbackChains: Bool = true, tx: Tx
    ) throws {
        try tx.insertResource(resource, nameKey: content.nameKey)
        try storeReferences(content.references, tenantId: resource.tenantId, id: resource.id, new: true, tx: tx)
        try storeKeys(content.uniqueKeys, kind: resource.kind, tenantId: resource.tenantId, id: resource.id, new: true, tx: tx)
        try checkFamilyRules(resource, fallbackChains: fallbackChains, tx: tx)
    }

    static func updateResource<Tx: StoreTransaction, Content: ResourceContent>(
        _ type: Content.Type, tenantId: String, id: String, expectedRevision: Int64?, changes: [String: JSONValue], tx: Tx, revision: Int64
    ) throws -> WriteResult<(resource: StoredResource, warnings: [ValidationIssue])> {
        let current = try existingResource(Content.kind, tenantId: tenantId, id: id, tx: tx)
        let patched = ResourcePatch.apply(changes, to: current.fields, as: Content.self)
        var reader = patched.reader
        try reader.finish()
        guard let content = patched.content else { throw ConfigError.invalid([]) }
        try check(expectedRevision: expectedRevision, current: current.revision, type: Content.kind.type)
        guard let updated = try replaceContent(of: current, with: content, revision: revision, tx: tx) else {
            return WriteResult(value: (current, reader.warnings), changed: false, change: .resource(current, current))
        }
        return WriteResult(value: (updated, reader.warnings), changed: true, change: .resource(current, updated))
    }

    /// Stores `content` as the new content of `current` with its keys, references and family
    /// rules; nil when it changes nothing.
    static func replaceContent<Tx: StoreTransaction>(
        of current: StoredResource, with content: any ResourceContent, revision: Int64, fallbackChains: Bool = true, tx: Tx
    ) throws -> StoredResource? {
        let fields = content.fields
        for field in type(of: content).immutableFields.sorted() where fields[field] != current.fields[field] {
            throw ConfigError.conflict(
                reason: "immutable", message: "\(field) of a \(current.kind.type) cannot be changed once created",
                details: ["field": .string(field)])
        }
        guard fields != current.fields else { return nil }
        var updated = current
        updated.fields = fields
        updated.state = try stateAfterContentChange(current, fields: fields)
        updated.revision = revision
        updated.updatedAt = .now()
        try tx.updateResource(updated, nameKey: content.nameKey)
        try storeReferences(content.references, tenantId: current.tenantId, id: current.id, tx: tx)
        try storeKeys(content.uniqueKeys, kind: current.kind, tenantId: current.tenantId, id: current.id, tx: tx)
        try checkFamilyRules(updated, previous: current, fallbackChains: fallbackChains, tx: tx)
        return updated
    }

    static func deleteResource<Tx: StoreTransaction>(
        _ kind: ResourceKind, tenantId: String, id: String, expectedRevision: Int64?, cascade: Bool, tx: Tx, revision: Int64
    ) throws -> WriteResult<ResourceDeletion> {
        let current = try existingResource(kind, tenantId: tenantId, id: id, tx: tx)
        try check(expectedRevision: expectedRevision, current: current.revision, type: kind.type)
        let referrers = try tx.referrers(of: id)
        let cascadable = cascade ? cascadingKinds(of: kind) : []
        let cascaded = referrers.filter { cascadable.contains($0.kind) }
        let removed = Set(cascaded.map(\.id) + [id])
        var blocking = referrers.filter { !cascadable.contains($0.kind) }
        for dependent in cascaded {
            blocking += try tx.referrers(of: dependent.id).filter { !removed.contains($0.id) }
        }
        guard blocking.isEmpty else { throw inUse(kind, id: id, referrers: blocking) }
        for dependent in cascaded { try tx.deleteResource(id: dependent.id) }
        try tx.deleteResource(id: id)
        let links = cascaded.map { ResourceLink(kind: $0.kind, id: $0.id, name: $0.name, field: nil) }
        var change = AuditChange.resource(current, nil)
        if !links.isEmpty { change.after = ["cascaded": .array(links.map(\.json))] }
        return WriteResult(value: ResourceDeletion(revision: revision, cascaded: links), changed: true, change: change)
    }
}
