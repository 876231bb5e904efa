import ParleyModel

/// `config.apply`: planning (``ApplyPlanner``, on a read snapshot, outside the writer) and
/// carrying the plan out in the writer, in an order that satisfies every reference.
extension StoreRules {
    /// The plan of `document` against the tenant's objects, and every problem found.
    static func plan(
        _ document: [String: JSONValue], tenant: Tenant, state: DocumentState, prune: Bool, at now: Timestamp
    ) -> (plan: ApplyPlan, issues: [ValidationIssue]) {
        var planner = ApplyPlanner(state: state, prune: prune)
        let plan = planner.plan(document, tenant: tenant, at: now)
        return (plan, planner.issues)
    }

    /// Applies `document` inside the writer: `early` is the plan made on a snapshot at
    /// `snapshot.revision`, used when nothing of the tenant changed since (writes to other
    /// tenants do not matter); else the plan is made again here.
    static func applyConfiguration<Tx: StoreTransaction>(
        tenantId: String, document: [String: JSONValue], prune: Bool, expectedRevision: Int64?,
        early: (plan: ApplyPlan, issues: [ValidationIssue])?, snapshot: (revision: Int64, tenant: Tenant?), at now: Timestamp,
        budget: WriteBudget, tx: Tx, revision: Int64
    ) throws -> WriteResult<JSONValue> {
        guard let tenant = try tx.tenant(id: tenantId) else { throw ConfigError.notFound(type: "tenant", id: tenantId) }
        let unchanged = try revision - 1 == snapshot.revision || !tx.tenantChanged(tenantId, afterRevision: snapshot.revision)
        let (plan, issues) =
            if let early, unchanged, tenant == snapshot.tenant {
                early
            } else {
                Self.plan(document, tenant: tenant, state: DocumentState(resources: try tx.resources(tenantId: tenantId)), prune: prune, at: now)
            }
        if !issues.isEmpty { throw ConfigError.invalid(issues) }
        try check(expectedRevision: expectedRevision, current: revision - 1, type: "store")
        guard !plan.isEmpty else { return WriteResult(value: plan.json(revision: revision - 1), changed: false) }
        try execute(plan, tenant: tenant, revision: revision, at: now, budget: budget, tx: tx)
        let summary: [String: JSONValue] = [
            "created": .int(Int64(plan.creates.count)), "updated": .int(Int64(plan.updates.count + (plan.tenantChanges.isEmpty ? 0 : 1))),
            "deleted": .int(Int64(plan.deletes.count)),
        ]
        let change = AuditChange(targetType: "tenant", targetId: tenantId, tenantId: tenantId, before: [:], after: ["plan": .object(summary)])
        return WriteResult(value: plan.json(revision: revision), changed: true, change: change)
    }

    /// Carries out a plan inside the apply transaction: creates and updates in family order, new
    /// groups after the new groups they fall back to (the plan has no cycles, so there is such an
    /// order), then deletes, referrers before what they refer to.
    static func execute<Tx: StoreTransaction>(
        _ plan: ApplyPlan, tenant: Tenant, revision: Int64, at now: Timestamp, budget: WriteBudget, tx: Tx
    ) throws {
        for kind in ConfigDocument.families {
            let creates = plan.creates.filter { $0.kind == kind }
            for create in kind == .group ? fallbacksFirst(creates) : creates {
                try budget.check()
                let resource = StoredResource(
                    kind: kind, id: create.id, tenantId: tenant.id, fields: create.content.fields, state: initialState(kind, at: now),
                    revision: revision, createdAt: now, updatedAt: now)
                try insert(resource, content: create.content, fallbackChains: false, tx: tx)
            }
            for update in plan.updates where update.current.kind == kind {
                try budget.check()
                _ = try replaceContent(of: update.current, with: update.content, revision: revision, fallbackChains: false, tx: tx)
            }
        }
        try delete(plan.deletes.map(\.resource), budget: budget, tx: tx)
        if !plan.tenantChanges.isEmpty {
            var updated = plan.tenantPatch.applied(to: tenant)
            updated.revision = revision
            updated.updatedAt = now
            try tx.updateTenant(updated)
        }
    }

    /// `creates` (new groups) ordered so that a group comes after the new group it falls back to.
    private static func fallbacksFirst(_ creates: [ApplyPlan.Create]) -> [ApplyPlan.Create] {
        let byID = Dictionary(creates.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var placed: Set<String> = []
        var ordered: [ApplyPlan.Create] = []
        ordered.reserveCapacity(creates.count)
        for create in creates where !placed.contains(create.id) {
            var chain: [ApplyPlan.Create] = []
            var onChain: Set<String> = []
            var next: ApplyPlan.Create? = create
            while let current = next, !placed.contains(current.id), onChain.insert(current.id).inserted {
                chain.append(current)
                next = current.content.fields["fallback_group_id"]?.stringValue.flatMap { byID[$0] }
            }
            for item in chain.reversed() {
                placed.insert(item.id)
                ordered.append(item)
            }
        }
        return ordered
    }

    /// Deletes `doomed`, each after every object of the set that refers to it (Kahn's order:
    /// linear in the objects and their references); a referrer outside the set is `in_use`.
    private static func delete<Tx: StoreTransaction>(_ doomed: [StoredResource], budget: WriteBudget, tx: Tx) throws {
        let ids = Set(doomed.map(\.id))
        var referrersLeft: [String: Int] = [:]
        var targetsOf: [String: [String]] = [:]
        for resource in doomed {
            try budget.check()
            let referrers = try tx.referrers(of: resource.id)
            if let outside = referrers.first(where: { !ids.contains($0.id) }) {
                throw inUse(resource.kind, id: resource.id, referrers: [outside])
            }
            referrersLeft[resource.id] = referrers.count
            for referrer in referrers { targetsOf[referrer.id, default: []].append(resource.id) }
        }
        var ready = doomed.filter { referrersLeft[$0.id] == 0 }.map(\.id)
        var deleted = 0
        while let id = ready.popLast() {
            try tx.deleteResource(id: id)
            deleted += 1
            for target in targetsOf[id] ?? [] {
                referrersLeft[target]! -= 1
                if referrersLeft[target] == 0 { ready.append(target) }
            }
        }
        guard deleted < doomed.count, let stuck = doomed.first(where: { referrersLeft[$0.id]! > 0 }) else { return }
        throw inUse(stuck.kind, id: stuck.id, referrers: try tx.referrers(of: stuck.id))
    }
}
