import ParleyModel
import ParleyStore

/// `<family>.create|get|list|update|delete`, the same five methods for every configuration family.
enum ResourceMethods<Content: ServedContent> {
    static var kind: ResourceKind { Content.kind }

    /// The five methods of `type`'s family; with `cascades`, its `delete` takes `cascade` (and
    /// lists what went with the object).
    static func family(_ type: Content.Type, cascades: Bool = false) -> [Method] {
        [
            Method("\(kind.family).create", permission: .tenantWrite, handler: create),
            Method("\(kind.family).get", permission: .tenantRead, immediate: getNow, immediateAtReadPoint: true, handler: get),
            Method("\(kind.family).list", permission: .tenantRead, immediate: listNow, handler: list),
            Method("\(kind.family).update", permission: .tenantWrite, handler: update),
            cascades
                ? Method("\(kind.family).delete", permission: .tenantWrite, handler: deleteCascading)
                : Method("\(kind.family).delete", permission: .tenantWrite, handler: delete),
        ]
    }

    static func create(_ context: RequestContext, _ params: CreateResourceParams<Content>) async throws -> JSONValue {
        let created = try await context.store.createResource(
            params.content, tenantId: params.tenantId, state: nil, dryRun: params.options.dryRun, audit: context.audit)
        return withWarnings(created.json, params.warnings)
    }

    /// `get` from memory, when the store has the object at hand.
    static func getNow(_ context: RequestContext, _ params: GetResourceParams<Content>) throws -> JSONValue? {
        let address = params.address
        switch try context.store.resourceNow(kind, tenantId: address.tenantId, id: address.id, readPoint: context.readPoint) {
        case .found(let resource): return try params.form.map { try $0(resource) } ?? resource.wireJSON
        case .missing: throw ConfigError.notFound(type: kind.type, id: address.id)
        case .unknown: return nil
        }
    }

    static func get(_ context: RequestContext, _ params: GetResourceParams<Content>) async throws -> JSONValue {
        let address = params.address
        guard let found = try await context.store.resource(kind, tenantId: address.tenantId, id: address.id) else {
            throw ConfigError.notFound(type: kind.type, id: address.id)
        }
        return try params.form.map { try $0(found) } ?? found.wireJSON
    }

    /// `list` on the event loop, when the page is one index range (SQLite's point reader).
    static func listNow(_ context: RequestContext, _ params: ListResourcesParams<Content>) throws -> JSONValue? {
        guard case .found(let fetched) = try context.store.resourcesNow(kind, tenantId: params.tenantId, query: params.query) else { return nil }
        return params.page.result(fetched, id: \.id, json: \.wireJSON)
    }

    static func list(_ context: RequestContext, _ params: ListResourcesParams<Content>) async throws -> JSONValue {
        let fetched = try await context.store.resources(kind, tenantId: params.tenantId, query: params.query)
        return params.page.result(fetched, id: \.id, json: \.wireJSON)
    }

    static func update(_ context: RequestContext, _ params: UpdateResourceParams<Content>) async throws -> JSONValue {
        switch params.controls {
        case .invalid(let issues, let address):
            throw ConfigError.invalid(issues + (await fieldIssues(of: params.changes, at: address, context)))
        case .valid(let address, let options):
            let (updated, warnings) = try await context.store.updateResource(
                Content.self, tenantId: address.tenantId, id: address.id, expectedRevision: options.expectedRevision,
                changes: params.changes, dryRun: options.dryRun, audit: context.audit)
            return withWarnings(updated.json, warnings)
        }
    }

    /// Every problem at once (PROTOCOL.md §5): with a bad `expected_revision` or `dry_run`, the
    /// problems of the changes too, checked on the stored object (a missing one adds none).
    private static func fieldIssues(
        of changes: [String: JSONValue], at address: ObjectAddress?, _ context: RequestContext
    ) async -> [ValidationIssue] {
        guard let address, let stored = (try? await context.store.resource(kind, tenantId: address.tenantId, id: address.id)) ?? nil else {
            return []
        }
        var fields = ResourcePatch.apply(changes, to: stored.fields, as: Content.self).reader
        fields.reportUnknownMembers()
        return fields.issues
    }

    static func delete(_ context: RequestContext, _ params: DeleteResourceParams) async throws -> JSONValue {
        try await remove(params.address, params.options, listingCascaded: false, context)
    }

    static func deleteCascading(_ context: RequestContext, _ params: CascadingDeleteParams) async throws -> JSONValue {
        try await remove(params.address, params.options, listingCascaded: true, context)
    }

    private static func remove(
        _ address: ObjectAddress, _ options: WriteOptions, listingCascaded: Bool, _ context: RequestContext
    ) async throws -> JSONValue {
        let deletion = try await context.store.deleteResource(
            kind, tenantId: address.tenantId, id: address.id, expectedRevision: options.expectedRevision, cascade: options.cascade,
            dryRun: options.dryRun, audit: context.audit)
        var result: [String: JSONValue] = ["id": .string(address.id), "deleted": true, "revision": .int(deletion.revision)]
        if listingCascaded { result["cascaded"] = .array(deletion.cascaded.map(\.json)) }
        return .object(result)
    }

    /// `object` with a `warnings` member added when there are any.
    private static func withWarnings(_ object: JSONValue, _ warnings: [ValidationIssue]) -> JSONValue {
        guard !warnings.isEmpty, case .object(var members) = object else { return object }
        members["warnings"] = .array(warnings.map(\.json))
        return .object(members)
    }
}
