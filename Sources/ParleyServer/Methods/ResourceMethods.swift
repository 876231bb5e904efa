import ParleyModel
import ParleyStore

/// `<family>.create|get|list|update|delete`, the same five methods for every configuration family.
enum ResourceMethods {
    /// The members of `update` params that steer the call rather than change the object.
    static let updateControls: Set<String> = ["tenant_id", "id", "expected_revision", "dry_run"]

    /// Another form `*.get` can answer in (`"format": "meta"`), from the stored object.
    typealias Form = @Sendable (StoredResource) throws -> JSONValue

    static func family<Content: ResourceContent>(
        _ type: Content.Type, cascades: Bool = false, forms: [String: Form] = [:]
    ) -> [Method] {
        let kind = Content.kind
        let filters = kind.listFilters
        return [
            Method("\(kind.family).create", permission: .tenantWrite) { context, params in
                var reader = ParamReader(params)
                let tenantId = reader.string("tenant_id", required: true)
                let dryRun = reader.bool("dry_run") ?? false
                let content = Content.read(from: &reader)
                try reader.finish()
                let created = try await context.store.createResource(content!, tenantId: tenantId!, state: nil, dryRun: dryRun, audit: context.audit)
                return withWarnings(created.json, reader.warnings)
            },
            Method(
                "\(kind.family).get", permission: .tenantRead,
                immediate: { context, params in
                    let (tenantId, id, form) = try objectAddress(params, forms: forms)
                    switch try context.store.resourceNow(kind, tenantId: tenantId, id: id, readPoint: context.readPoint) {
                    case .found(let resource): return try form.map { try $0(resource) } ?? resource.wireJSON
                    case .missing: throw ConfigError.notFound(type: kind.type, id: id)
                    case .unknown: return nil
                    }
                }
            ) { context, params in
                let (tenantId, id, form) = try objectAddress(params, forms: forms)
                guard let found = try await context.store.resource(kind, tenantId: tenantId, id: id) else {
                    throw ConfigError.notFound(type: kind.type, id: id)
                }
                return try form.map { try $0(found) } ?? found.wireJSON
            },
            Method(
                "\(kind.family).list", permission: .tenantRead,
                immediate: { context, params in
                    // A page that is one index range is read on the event loop (SQLite's point reader).
                    let (tenantId, page, query) = try listQuery(kind, filters: filters, params)
                    guard case .found(let fetched) = try context.store.resourcesNow(kind, tenantId: tenantId, query: query) else { return nil }
                    return page.result(fetched, id: \.id, json: \.wireJSON)
                }
            ) { context, params in
                let (tenantId, page, query) = try listQuery(kind, filters: filters, params)
                let fetched = try await context.store.resources(kind, tenantId: tenantId, query: query)
                return page.result(fetched, id: \.id, json: \.wireJSON)
            },
            Method("\(kind.family).update", permission: .tenantWrite) { context, params in
                var reader = ParamReader(params)
                let tenantId = reader.string("tenant_id", required: true)
                let id = reader.string("id", required: true)
                let expected = reader.integer("expected_revision", in: 0...Int64.max)
                let dryRun = reader.bool("dry_run") ?? false
                // The changes are checked by the store, merged into the stored fields.
                let changes = params.filter { !updateControls.contains($0.key) }
                for name in changes.keys { _ = reader.contains(name) }
                if !reader.issues.isEmpty, let tenantId, let id {
                    // Every problem at once (PROTOCOL.md §5): with a bad expected_revision or dry_run,
                    // the fields' own problems too, checked on the stored object (a missing one adds none).
                    let stored = (try? await context.store.resource(kind, tenantId: tenantId, id: id)) ?? nil
                    let fieldIssues = stored.map { stored -> [ValidationIssue] in
                        var fields = ResourcePatch.apply(changes, to: stored.fields, as: Content.self).reader
                        fields.reportUnknownMembers()
                        return fields.issues
                    } ?? []
                    throw ConfigError.invalid(reader.issues + fieldIssues)
                }
                try reader.finish()
                let (updated, warnings) = try await context.store.updateResource(
                    Content.self, tenantId: tenantId!, id: id!, expectedRevision: expected, changes: changes, dryRun: dryRun, audit: context.audit)
                return withWarnings(updated.json, warnings)
            },
            Method("\(kind.family).delete", permission: .tenantWrite) { context, params in
                var reader = ParamReader(params)
                let tenantId = reader.string("tenant_id", required: true)
                let id = reader.string("id", required: true)
                let expected = reader.integer("expected_revision", in: 0...Int64.max)
                let cascade = cascades ? (reader.bool("cascade") ?? false) : false
                let dryRun = reader.bool("dry_run") ?? false
                try reader.finish()
                let deletion = try await context.store.deleteResource(
                    kind, tenantId: tenantId!, id: id!, expectedRevision: expected, cascade: cascade, dryRun: dryRun, audit: context.audit)
                var result: [String: JSONValue] = ["id": .string(id!), "deleted": true, "revision": .int(deletion.revision)]
                if cascades { result["cascaded"] = .array(deletion.cascaded.map(\.json)) }
                return .object(result)
            },
        ]
    }

    /// `object` with a `warnings` member added when there are any.
    static func withWarnings(_ object: JSONValue, _ warnings: [ValidationIssue]) -> JSONValue {
        guard !warnings.isEmpty, case .object(var members) = object else { return object }
        members["warnings"] = .array(warnings.map(\.json))
        return .object(members)
    }

    /// The tenant, page and query of a `*.list`, checked (one more row than the page, to tell
    /// whether another page follows).
    private static func listQuery(
        _ kind: ResourceKind, filters: [ListFilter], _ params: [String: JSONValue]
    ) throws -> (tenantId: String, page: ListPage, query: ResourceQuery) {
        var reader = ParamReader(params)
        let tenantId = reader.string("tenant_id", required: true)
        let page = ListPage(reading: &reader, idPrefix: kind.idPrefix)
        let prefix = reader.string("name_prefix").map { $0.lowercased() }
        let chosen = filters.compactMap { $0.read(from: &reader) }
        try reader.finish()
        return (tenantId!, page, ResourceQuery(afterID: page.afterID, limit: page.limit + 1, namePrefix: prefix, filters: chosen))
    }

    /// The `tenant_id` and `id` of a `*.get`, checked, and the form asked for with `format` (nil:
    /// Parley's own; only families with other forms take `format`).
    private static func objectAddress(_ params: [String: JSONValue], forms: [String: Form]) throws -> (tenantId: String, id: String, form: Form?) {
        var reader = ParamReader(params)
        let tenantId = reader.string("tenant_id", required: true)
        let id = reader.string("id", required: true)
        var form: Form?
        if !forms.isEmpty, let name = reader.enumeration("format", ["parley"] + forms.keys.sorted(), default: "parley") {
            form = forms[name]
        }
        try reader.finish()
        return (tenantId!, id!, form)
    }
}
