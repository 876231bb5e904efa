import Metrics
import ParleyModel

/// A store whose writes are the shared rules (``StoreRules``) run against its
/// ``StoreTransaction``: conform, provide a write transaction, reads and the change log, and
/// every write method of ``ConfigurationStore`` comes from here, the same for every store.
public protocol RuleBasedStore: ConfigurationStore {
    associatedtype Transaction: StoreTransaction

    /// Runs `work` in a write transaction (possibly shared with concurrent writes, each in its
    /// own savepoint, when the store groups commits) and returns its result once the transaction
    /// committed; throws when the commit fails.
    func inWriteTransaction<Value: Sendable>(_ work: @escaping @Sendable (Transaction) throws -> Value) async throws -> Value

    /// A write committed at `revision` with `changes`: drop what caches hold of them, wake watchers.
    func didCommit(_ changes: CommittedChanges, revision: Int64)

    /// The error code a failed attempt's audit record carries (the JSON-RPC code the caller gets).
    var auditErrorCode: @Sendable (any Error) -> Int64? { get }

    /// Seconds one write may spend in the writer before it is rolled back.
    var writeTimeBudget: Double { get }

    /// The revision, the tenant and all of its objects, read together (for planning `config.apply`
    /// outside the writer).
    func documentSnapshot(tenantId: String) async throws -> (revision: Int64, tenant: Tenant?, resources: [StoredResource])
}

extension RuleBasedStore {
    /// Runs `body` under the write protocol (``StoreRules/attempt(dryRun:audit:errorCode:in:_:)``)
    /// in a write transaction; after the commit, the changes are announced and a failure of the
    /// body is thrown.
    func write<Value: Sendable>(
        dryRun: Bool, audit: AuditContext, _ body: @escaping @Sendable (Transaction, _ nextRevision: Int64) throws -> WriteResult<Value>
    ) async throws -> Value {
        let errorCode = auditErrorCode
        let attempt = try await inWriteTransaction { tx in
            try StoreRules.attempt(dryRun: dryRun, audit: audit, errorCode: errorCode, in: tx, body)
        }
        audit.markRecorded()
        if let committed = attempt.committedRevision {
            didCommit(attempt.changes, revision: committed)
            Gauge(label: "parley_store_revision").record(committed)
        }
        if let failure = attempt.failure { throw failure.error }
        return attempt.value!
    }

    public func createTenant(_ input: TenantInput, seedBlockedFileTypes: Bool, dryRun: Bool, audit: AuditContext) async throws -> Tenant {
        try await write(dryRun: dryRun, audit: audit) { tx, revision in
            try StoreRules.createTenant(input, seedBlockedFileTypes: seedBlockedFileTypes, tx: tx, revision: revision)
        }
    }

    public func updateTenant(id: String, expectedRevision: Int64?, patch: TenantPatch, dryRun: Bool, audit: AuditContext) async throws -> Tenant {
        try await write(dryRun: dryRun, audit: audit) { tx, revision in
            try StoreRules.updateTenant(id: id, expectedRevision: expectedRevision, patch: patch, tx: tx, revision: revision)
        }
    }

    public func deleteTenant(id: String, expectedRevision: Int64?, cascade: Bool, dryRun: Bool, audit: AuditContext) async throws -> Int64 {
        try await write(dryRun: dryRun, audit: audit) { tx, revision in
            try StoreRules.deleteTenant(id: id, expectedRevision: expectedRevision, cascade: cascade, tx: tx, revision: revision)
        }
    }

    public func createResource<Content: ResourceContent>(
        _ content: Content, tenantId: String, state: [String: JSONValue]?, dryRun: Bool, audit: AuditContext
    ) async throws -> StoredResource {
        try await write(dryRun: dryRun, audit: audit) { tx, revision in
            try StoreRules.createResource(content, tenantId: tenantId, state: state, tx: tx, revision: revision)
        }
    }

    public func updateResource<Content: ResourceContent>(
        _ type: Content.Type, tenantId: String, id: String, expectedRevision: Int64?, changes: [String: JSONValue], dryRun: Bool,
        audit: AuditContext
    ) async throws -> (resource: StoredResource, warnings: [ValidationIssue]) {
        try await write(dryRun: dryRun, audit: audit) { tx, revision in
            try StoreRules.updateResource(
                type, tenantId: tenantId, id: id, expectedRevision: expectedRevision, changes: changes, tx: tx, revision: revision)
        }
    }

    public func deleteResource(
        _ kind: ResourceKind, tenantId: String, id: String, expectedRevision: Int64?, cascade: Bool, dryRun: Bool, audit: AuditContext
    ) async throws -> ResourceDeletion {
        try await write(dryRun: dryRun, audit: audit) { tx, revision in
            try StoreRules.deleteResource(
                kind, tenantId: tenantId, id: id, expectedRevision: expectedRevision, cascade: cascade, tx: tx, revision: revision)
        }
    }

    public func setTemplateStatus(
        tenantId: String, id: String, review: TemplateReview, expectedRevision: Int64?, dryRun: Bool, audit: AuditContext
    ) async throws -> StoredResource {
        try await write(dryRun: dryRun, audit: audit) { tx, revision in
            try StoreRules.setTemplateStatus(tenantId: tenantId, id: id, review: review, expectedRevision: expectedRevision, tx: tx, revision: revision)
        }
    }

    public func exportConfiguration(tenantId: String) async throws -> JSONValue {
        let snapshot = try await documentSnapshot(tenantId: tenantId)
        guard let tenant = snapshot.tenant else { throw ConfigError.notFound(type: "tenant", id: tenantId) }
        return DocumentState(resources: snapshot.resources).document(of: tenant)
    }

    /// Plans on a read snapshot first, outside the writer (validation, references, fallback
    /// chains: the expensive part), then executes in the writer, planning again there only if
    /// another write committed in between. The writer's part is bounded by the write time budget.
    public func applyConfiguration(
        tenantId: String, document: [String: JSONValue], prune: Bool, expectedRevision: Int64?, dryRun: Bool, audit: AuditContext
    ) async throws -> JSONValue {
        let snapshot = try await documentSnapshot(tenantId: tenantId)
        let now = Timestamp.now()
        let early = snapshot.tenant.map {
            StoreRules.plan(document, tenant: $0, state: DocumentState(resources: snapshot.resources), prune: prune, at: now)
        }
        let seconds = writeTimeBudget
        return try await write(dryRun: dryRun, audit: audit) { tx, revision in
            try StoreRules.applyConfiguration(
                tenantId: tenantId, document: document, prune: prune, expectedRevision: expectedRevision, early: early,
                snapshot: (snapshot.revision, snapshot.tenant), at: now, budget: WriteBudget(seconds: seconds), tx: tx, revision: revision)
        }
    }

    public func createAPIKey(_ key: APIKey, dryRun: Bool, audit: AuditContext) async throws -> APIKey {
        try await write(dryRun: dryRun, audit: audit) { tx, revision in try StoreRules.createAPIKey(key, tx: tx, revision: revision) }
    }

    public func revokeAPIKey(id: String, expectedRevision: Int64?, dryRun: Bool, audit: AuditContext) async throws -> APIKey {
        try await write(dryRun: dryRun, audit: audit) { tx, revision in
            try StoreRules.revokeAPIKey(id: id, expectedRevision: expectedRevision, tx: tx, revision: revision)
        }
    }

    public func rotateAPIKey(
        id: String, replacement: APIKey, graceSeconds: Int64, dryRun: Bool, audit: AuditContext
    ) async throws -> (old: APIKey, new: APIKey) {
        try await write(dryRun: dryRun, audit: audit) { tx, revision in
            try StoreRules.rotateAPIKey(id: id, replacement: replacement, graceSeconds: graceSeconds, tx: tx, revision: revision)
        }
    }

    /// Writes the audit record of a call that never reached a store write, in a transaction of its own.
    public func recordAudit(_ audit: AuditContext, outcome: AuditRecord.Outcome, errorCode: Int64?) async throws {
        let record = StoreRules.auditRecord(audit, outcome: outcome, change: nil, revision: nil, errorCode: errorCode)
        try await inWriteTransaction { tx in try tx.insertAudit(record) }
        audit.markRecorded()
    }
}
