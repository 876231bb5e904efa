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

    public func applyConfiguration(
        tenantId: String, document: [String: JSONValue], prune: Bool, expectedRevision: Int64?, dryRun: Bool, audit: AuditContext
    ) async throws -> JSONValue {
        try await write(dryRun: dryRun, audit: audit) { db, revision in
            guard let tenant = try TenantRecord.fetchOne(db, key: tenantId)?.model else {
                throw ConfigError.notFound(type: "tenant", id: tenantId)
            }
            let now = Timestamp.now()
            var planner = ApplyPlanner(state: DocumentState(resources: try Self.allResources(of: tenantId, db: db)), prune: prune)
            let plan = planner.plan(document, tenant: tenant, at: now)
            if !planner.issues.isEmpty { throw ConfigError.invalid(planner.issues) }
            try Self.check(expectedRevision: expectedRevision, current: revision - 1, type: "store")
            guard !plan.isEmpty else { return WriteResult(value: plan.json(revision: revision - 1), changed: false) }
            try Self.execute(plan, tenant: tenant, revision: revision, at: now, db: db)
            let summary: [String: JSONValue] = [
                "created": .int(Int64(plan.creates.count)), "updated": .int(Int64(plan.updates.count + (plan.tenantChanges.isEmpty ? 0 : 1))),
                "deleted": .int(Int64(plan.deletes.count)),
            ]
            let change = AuditChange(targetType: "tenant", targetId: tenantId, tenantId: tenantId, before: [:], after: ["plan": .object(summary)])
            return WriteResult(value: plan.json(revision: revision), changed: true, change: change)
        }
    }

    static func allResources(of tenantId: String, db: Database) throws -> [StoredResource] {
        try ResourceRecord.fetchAll(db, sql: "SELECT * FROM resources WHERE tenant_id = ? ORDER BY id", arguments: [tenantId])
            .map { try $0.model() }
    }

    /// Carries out a plan inside the apply transaction: creates and updates in family order
    /// (new groups first without their fallback, which is set once every group exists), then
    /// deletes, referrers before what they refer to.
    private static func execute(_ plan: ApplyPlan, tenant: Tenant, revision: Int64, at now: Timestamp, db: Database) throws {
        var pending: [(StoredResource, any ResourceContent)] = []
        for kind in ConfigDocument.families {
            for create in plan.creates where create.kind == kind {
                var fields = create.content.fields
                let deferFallback = kind == .group && fields["fallback_group_id"].map { !$0.isNull } == true
                if deferFallback { fields["fallback_group_id"] = .null }
                var reader = ParamReader(fields)
                guard let content = ConfigDocument.contentType(of: kind).read(from: &reader) else { throw ConfigError.invalid(reader.issues) }
                let resource = StoredResource(
                    kind: kind, id: create.id, tenantId: tenant.id, fields: content.fields, state: initialState(kind, at: now),
                    revision: revision, createdAt: now, updatedAt: now)
                try insert(resource, content: content, db: db)
                if deferFallback { pending.append((resource, create.content)) }
            }
            for update in plan.updates where update.current.kind == kind {
                _ = try replaceContent(of: update.current, with: update.content, revision: revision, db: db)
            }
            for (resource, content) in pending where resource.kind == kind {
                _ = try replaceContent(of: resource, with: content, revision: revision, db: db)
            }
        }
        var remaining = plan.deletes.map(\.resource)
        while !remaining.isEmpty {
            let doomed = Set(remaining.map(\.id))
            var progress = false
            for resource in remaining {
                let referrers = try referrers(of: resource.id, db: db)
                if let outside = referrers.first(where: { !doomed.contains($0.id) }) {
                    throw inUse(resource.kind, id: resource.id, referrers: [outside])
                }
                guard referrers.isEmpty else { continue }
                try db.execute(sql: "DELETE FROM resources WHERE id = ?", arguments: [resource.id])
                remaining.removeAll { $0.id == resource.id }
                progress = true
            }
            guard progress else { throw inUse(remaining[0].kind, id: remaining[0].id, referrers: try referrers(of: remaining[0].id, db: db)) }
        }
        if !plan.tenantChanges.isEmpty {
            var updated = plan.tenantPatch.applied(to: tenant)
            updated.revision = revision
            updated.updatedAt = now
            try TenantRecord(updated).update(db)
        }
    }
}
