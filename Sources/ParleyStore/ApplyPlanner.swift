import ParleyModel

/// Turns a configuration document into an ``ApplyPlan`` against the tenant's current objects,
/// collecting every problem with its path in the document.
struct ApplyPlanner {
    let state: DocumentState
    let prune: Bool
    private(set) var plan = ApplyPlan()
    private(set) var issues: [ValidationIssue] = []
    /// Match key -> id for current and planned objects.
    private var ids: [ResourceKind: [String: String]]
    /// Id -> link value for current and planned objects.
    private var linkValues: [String: JSONValue]
    /// Id -> path of its item, for the objects the document holds (in document order).
    private var itemPaths: [(id: String, path: String)] = []

    init(state: DocumentState, prune: Bool) {
        self.state = state
        self.prune = prune
        ids = state.idByKey
        linkValues = state.linkValueByID
    }

    mutating func plan(_ document: [String: JSONValue], tenant: Tenant, at time: Timestamp) -> ApplyPlan {
        var reader = ParamReader(document, path: "document")
        if let version = reader.integer("version", required: true), version != ConfigDocument.version {
            reader.report("version", "must be \(ConfigDocument.version)")
        }
        if var tenantReader = reader.object("tenant") {
            planTenant(&tenantReader, tenant: tenant)
            reader.absorb(tenantReader)
        }
        var items: [ResourceKind: [[String: JSONValue]]] = [:]
        for kind in ConfigDocument.families {
            guard let elements = reader.objectElements(kind.family, maximumCount: 100_000) else { continue }
            items[kind] = elements.map(\.params)
        }
        reader.reportUnknownMembers()
        issues += reader.issues
        for kind in ConfigDocument.families { register(kind, items[kind], at: time) }
        for kind in ConfigDocument.families { items[kind].map { planItems(kind, $0) } }
        if prune {
            for kind in ConfigDocument.families.reversed() where items[kind] != nil {
                let wanted = Set((items[kind] ?? []).map { key(kind, $0) })
                plan.deletes += (state.entries[kind] ?? []).filter { !wanted.contains($0.key) }
            }
        }
        checkFallbackChains()
        return plan
    }

    /// Every group's fallback chain in the state the plan leads to, checked at once (linear in
    /// the tenant's groups), so that the writer need not walk a chain per group.
    private mutating func checkFallbackChains() {
        var fallbackOf: [String: String] = [:]
        for entry in state.entries[.group] ?? [] {
            fallbackOf[entry.resource.id] = entry.resource.fields["fallback_group_id"]?.stringValue
        }
        for create in plan.creates where create.kind == .group {
            fallbackOf[create.id] = create.content.fields["fallback_group_id"]?.stringValue
        }
        for update in plan.updates where update.current.kind == .group {
            fallbackOf[update.current.id] = update.content.fields["fallback_group_id"]?.stringValue
        }
        for deleted in plan.deletes where deleted.resource.kind == .group { fallbackOf.removeValue(forKey: deleted.resource.id) }
        let groupPaths = itemPaths.filter { $0.path.hasPrefix("document.\(ResourceKind.group.family)[") }
        guard let cycle = FallbackChains.firstCycle(in: fallbackOf, from: groupPaths.map(\.id)) else { return }
        let path = groupPaths.first { $0.id == cycle[0] }?.path ?? "document.\(ResourceKind.group.family)"
        let names = cycle.map { linkValues[$0]?.stringValue ?? $0 }
        issues.append(ValidationIssue(path: "\(path).fallback_group", message: FallbackChains.message(names)))
    }

    private func key(_ kind: ResourceKind, _ item: [String: JSONValue]) -> String {
        ConfigDocument.matchKey(kind, linkValue: ConfigDocument.linkValue(kind, item: item))
    }

    /// Gives every item an id (its current object's, or a new one) before any reference is resolved.
    private mutating func register(_ kind: ResourceKind, _ items: [[String: JSONValue]]?, at time: Timestamp) {
        var seen: [String: Int] = [:]
        for (index, item) in (items ?? []).enumerated() {
            let key = key(kind, item)
            if let first = seen[key] {
                issues.append(ValidationIssue(path: "document.\(kind.family)[\(index)]", message: "repeats \(kind.family)[\(first)]"))
                continue
            }
            seen[key] = index
            if ids[kind]?[key] == nil { ids[kind, default: [:]][key] = Identifier.make(prefix: kind.idPrefix, at: time) }
            if kind != .template, let id = ids[kind]?[key] {
                let value = ConfigDocument.linkValue(kind, item: item)
                linkValues[id] = value.stringValue.map { .string(TextRules.trimmed($0)) } ?? value
            }
        }
    }

    private mutating func planItems(_ kind: ResourceKind, _ items: [[String: JSONValue]]) {
        let current = Dictionary((state.entries[kind] ?? []).map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        for (index, item) in items.enumerated() {
            let path = "document.\(kind.family)[\(index)]"
            let ids = self.ids
            let fields = ConfigDocument.imported(
                kind, item: item, path: path, idOf: { ids[$0]?[ConfigDocument.matchKey($0, linkValue: $1)] }, issues: &issues)
            var reader = ParamReader(fields, path: path)
            let content = ConfigDocument.contentType(of: kind).read(from: &reader)
            reader.reportUnknownMembers()
            // The family's checks name its id members; the document has link members instead.
            let renames = Dictionary(uniqueKeysWithValues: ConfigDocument.links(of: kind).map { ("\(path).\($0.idField)", "\(path).\($0.member)") })
            issues += reader.issues.map { ValidationIssue(path: renames[$0.path] ?? $0.path, message: $0.message) }
            plan.warnings += reader.warnings
            guard let content, let id = ids[kind]?[key(kind, item)] else { continue }
            itemPaths.append((id, path))
            // The copy of linkValues lives only while the closure runs, so that the write below
            // does not copy the whole dictionary (once per item, it made apply quadratic).
            let desired = { [linkValues] in ConfigDocument.exported(kind, fields: content.fields) { linkValues[$1] } }()
            let linkValue = ConfigDocument.linkValue(kind, item: desired)
            self.linkValues[id] = linkValue
            if let existing = current[key(kind, item)] {
                let changes = ApplyPlan.changes(from: existing.item, to: desired)
                if !changes.isEmpty {
                    plan.updates.append(.init(current: existing.resource, content: content, linkValue: linkValue, changes: changes))
                }
            } else {
                plan.creates.append(.init(kind: kind, id: id, content: content, item: desired, linkValue: linkValue))
            }
        }
    }

    private mutating func planTenant(_ reader: inout ParamReader, tenant: Tenant) {
        let patch = TenantPatch.read(from: &reader)
        var wanted = TenantPatch(name: patch.name, defaultLanguage: patch.defaultLanguage, timezone: patch.timezone)
        if reader.contains("slug") { reader.report("slug", "is not part of a document: apply never changes a tenant's slug") }
        let updated = wanted.applied(to: tenant)
        for (name, old, new) in [
            ("name", JSONValue.string(tenant.name), JSONValue.string(updated.name)),
            ("default_language", .optional(tenant.defaultLanguage), .optional(updated.defaultLanguage)),
            ("timezone", .optional(tenant.timezone), .optional(updated.timezone)),
        ] where old != new {
            plan.tenantChanges[name] = [old, new]
        }
        if plan.tenantChanges.isEmpty { wanted = TenantPatch() }
        plan.tenantPatch = wanted
    }
}
