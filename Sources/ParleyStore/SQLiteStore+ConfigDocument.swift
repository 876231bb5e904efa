import GRDB
import ParleyModel

/// `config.export` and `config.apply`: a tenant's configuration as one declarative document.
extension SQLiteStore {
    public func exportConfiguration(tenantId: String) async throws -> JSONValue {
        try await pool.read { db in
            guard let tenant = try TenantRecord.fetchOne(db, key: tenantId)?.model else {
                throw ConfigError.notFound(type: "tenant", id: tenantId)
            }
            return DocumentState(resources: try Self.allResources(of: tenantId, db: db)).document(of: tenant)
        }
    }

    /// Plans on a read snapshot first, outside the writer (validation, references, fallback
    /// chains: the expensive part), then executes in the writer, planning again there only if
    /// another write committed in between. The writer's part is bounded by the write time budget.
    public func applyConfiguration(
        tenantId: String, document: [String: JSONValue], prune: Bool, expectedRevision: Int64?, dryRun: Bool, audit: AuditContext
    ) async throws -> JSONValue {
        let snapshot = try await pool.read { db -> (revision: Int64, tenant: Tenant?, state: DocumentState) in
            (try Self.revision(db), try TenantRecord.fetchOne(db, key: tenantId)?.model,
                DocumentState(resources: try Self.allResources(of: tenantId, db: db)))
        }
        let now = Timestamp.now()
        let early = snapshot.tenant.map { Self.planned(document, tenant: $0, state: snapshot.state, prune: prune, at: now) }
        let budget = configuration.writeTimeBudget
        return try await write(dryRun: dryRun, audit: audit) { db, revision in
            let budget = WriteBudget(seconds: budget)
            guard let tenant = try TenantRecord.fetchOne(db, key: tenantId)?.model else {
                throw ConfigError.notFound(type: "tenant", id: tenantId)
            }
            let (plan, issues) = if let early, revision - 1 == snapshot.revision, tenant == snapshot.tenant {
                early
            } else {
                Self.planned(document, tenant: tenant, state: DocumentState(resources: try Self.allResources(of: tenantId, db: db)), prune: prune, at: now)
            }
            if !issues.isEmpty { throw ConfigError.invalid(issues) }
            try Self.check(expectedRevision: expectedRevision, current: revision - 1, type: "store")
            guard !plan.isEmpty else { return WriteResult(value: plan.json(revision: revision - 1), changed: false) }
            try Self.execute(plan, tenant: tenant, revision: revision, at: now, budget: budget, db: db)
            let summary: [String: JSONValue] = [
                "created": .int(Int64(plan.creates.count)), "updated": .int(Int64(plan.updates.count + (plan.tenantChanges.isEmpty ? 0 : 1))),
                "deleted": .int(Int64(plan.deletes.count)),
            ]
            let change = AuditChange(targetType: "tenant", targetId: tenantId, tenantId: tenantId, before: [:], after: ["plan": .object(summary)])
            return WriteResult(value: plan.json(revision: revision), changed: true, change: change)
        }
    }

    private static func planned(
        _ document: [String: JSONValue], tenant: Tenant, state: DocumentState, prune: Bool, at now: Timestamp
    ) -> (plan: ApplyPlan, issues: [ValidationIssue]) {
        var planner = ApplyPlanner(state: state, prune: prune)
        let plan = planner.plan(document, tenant: tenant, at: now)
        return (plan, planner.issues)
    }

    static func allResources(of tenantId: String, db: Database) throws -> [StoredResource] {
        try ResourceRecord.fetchAll(db, sql: "SELECT * FROM resources WHERE tenant_id = ? ORDER BY id", arguments: [tenantId])
            .map { try $0.model() }
    }

    /// Carries out a plan inside the apply transaction: creates and updates in family order, new
    /// groups after the new groups they fall back to (the plan has no cycles, so there is such an
    /// order), then deletes, referrers before what they refer to.
    private static func execute(
        _ plan: ApplyPlan, tenant: Tenant, revision: Int64, at now: Timestamp, budget: WriteBudget, db: Database
    ) throws {
        for kind in ConfigDocument.families {
            let creates = plan.creates.filter { $0.kind == kind }
            for create in kind == .group ? fallbacksFirst(creates) : creates {
                try budget.check()
                let resource = StoredResource(
                    kind: kind, id: create.id, tenantId: tenant.id, fields: create.content.fields, state: initialState(kind, at: now),
                    revision: revision, createdAt: now, updatedAt: now)
                try insert(resource, content: create.content, fallbackChains: false, db: db)
            }
            for update in plan.updates where update.current.kind == kind {
                try budget.check()
                _ = try replaceContent(of: update.current, with: update.content, revision: revision, fallbackChains: false, db: db)
            }
        }
        try delete(plan.deletes.map(\.resource), budget: budget, db: db)
        if !plan.tenantChanges.isEmpty {
            var updated = plan.tenantPatch.applied(to: tenant)
            updated.revision = revision
            updated.updatedAt = now
            try TenantRecord(updated).update(db)
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
    private static func delete(_ doomed: [StoredResource], budget: WriteBudget, db: Database) throws {
        let ids = Set(doomed.map(\.id))
        var referrersLeft: [String: Int] = [:]
        var targetsOf: [String: [String]] = [:]
        for resource in doomed {
            try budget.check()
            let referrers = try referrers(of: resource.id, db: db)
            if let outside = referrers.first(where: { !ids.contains($0.id) }) {
                throw inUse(resource.kind, id: resource.id, referrers: [outside])
            }
            referrersLeft[resource.id] = referrers.count
            for referrer in referrers { targetsOf[referrer.id, default: []].append(resource.id) }
        }
        var ready = doomed.filter { referrersLeft[$0.id] == 0 }.map(\.id)
        var deleted = 0
        while let id = ready.popLast() {
            try db.executeCached("DELETE FROM resources WHERE id = ?", [id])
            deleted += 1
            for target in targetsOf[id] ?? [] {
                referrersLeft[target]! -= 1
                if referrersLeft[target] == 0 { ready.append(target) }
            }
        }
        guard deleted < doomed.count, let stuck = doomed.first(where: { referrersLeft[$0.id]! > 0 }) else { return }
        throw inUse(stuck.kind, id: stuck.id, referrers: try referrers(of: stuck.id, db: db))
    }
}
