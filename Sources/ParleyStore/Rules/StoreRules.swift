import ParleyModel

/// The rules every store applies, written once against ``StoreTransaction``: the write protocol
/// (one revision per committed change, the audit record in the same transaction, dry runs and
/// no-op writes rolled back), and the rules of tenants, objects, references, unique keys,
/// template states, fallback chains, API keys and `config.apply`. Stores implement storage; the
/// default implementations of ``RuleBasedStore`` call these.
public enum StoreRules {}

/// What one write did inside its transaction, handed back once the transaction committed.
public struct WriteAttempt<Value: Sendable>: Sendable {
    public var value: Value?
    var failure: SendableError?
    public var committedRevision: Int64?
    /// What the write changed, read back from the change log of its revision.
    public var changes = CommittedChanges()
}

/// The objects one committed write changed, as its change-log rows name them (every change,
/// whatever path made it: cascades, seeding, apply).
public struct CommittedChanges: Sendable, Hashable {
    public var tenantChanged: Bool
    public var resourceIds: [String]

    public init(tenantChanged: Bool = false, resourceIds: [String] = []) {
        self.tenantChanged = tenantChanged
        self.resourceIds = resourceIds
    }
}

/// An error carried out of the writer (errors thrown by write bodies are ConfigError, StoreError or
/// the storage engine's, all Sendable in practice; this box only lets `any Error` cross the boundary).
struct SendableError: @unchecked Sendable {
    let error: any Error
}

/// What a write body did: whether it changed anything, its result, and what to audit.
struct WriteResult<Value: Sendable>: Sendable {
    var value: Value
    var changed: Bool
    /// The object touched and its members before and after, for the audit record.
    var change: AuditChange?
}

extension StoreRules {
    /// Runs `body` and writes the audit record of the attempt, inside the caller's transaction.
    ///
    /// `nextRevision` is the revision the write takes if it changes anything. The body runs in a
    /// savepoint: kept (and the store revision bumped) only when it changed something and this is
    /// not a dry run; otherwise, or when it throws, undone, and only the audit record (DRY_RUN,
    /// UNCHANGED or FAILED) stays. A failing body is reported in the attempt, not thrown, so that
    /// its audit record still commits; a store failure (a full disk) is thrown: nothing more can
    /// be written then, not even the audit record.
    static func attempt<Tx: StoreTransaction, Value: Sendable>(
        dryRun: Bool, audit: AuditContext, errorCode: (any Error) -> Int64?, in tx: Tx,
        _ body: (Tx, _ nextRevision: Int64) throws -> WriteResult<Value>
    ) throws -> WriteAttempt<Value> {
        let next = try tx.revision() + 1
        var outcome: WriteResult<Value>?
        var failure: (any Error)?
        var changes = CommittedChanges()
        let committed: Bool
        do {
            committed = try tx.savepoint { () -> (value: Bool, keep: Bool) in
                do {
                    outcome = try body(tx, next)
                } catch {
                    failure = error
                    return (false, false)
                }
                guard outcome!.changed, !dryRun else { return (false, false) }
                try tx.setRevision(next)
                changes = try tx.changes(atRevision: next)
                return (true, true)
            }
        } catch {
            // A full disk or an I/O error can make the engine roll back the whole transaction,
            // and then everything after it fails as "aborted": throw the cause, not the echo.
            throw failure.flatMap { StoreError.classify($0) } ?? StoreError.classify(error) ?? error
        }
        if let failure, case .unavailable? = StoreError.classify(failure) { throw StoreError.classify(failure)! }
        let result: AuditRecord.Outcome =
            failure != nil ? .failed : committed ? .applied : dryRun && outcome!.changed ? .dryRun : .unchanged
        try tx.insertAudit(
            auditRecord(
                audit, outcome: result, change: outcome?.change, revision: committed ? next : nil, errorCode: failure.flatMap(errorCode)))
        return WriteAttempt(
            value: outcome?.value, failure: failure.map(SendableError.init), committedRevision: committed ? next : nil, changes: changes)
    }

    /// The audit record of an attempt.
    static func auditRecord(
        _ audit: AuditContext, outcome: AuditRecord.Outcome, change: AuditChange?, revision: Int64?, errorCode: Int64?
    ) -> AuditRecord {
        let now = Timestamp.now()
        return AuditRecord(
            id: Identifier.make(prefix: AuditRecord.idPrefix, at: now), at: now, keyId: audit.keyId,
            tenantId: change?.tenantId ?? audit.tenantId, method: audit.method,
            targetType: change?.targetType ?? audit.targetType, targetId: change?.targetId ?? audit.targetId,
            outcome: outcome, errorCode: errorCode, revision: revision,
            changes: change.map { AuditRecord.changes(before: $0.before, after: $0.after) } ?? [:])
    }

    /// Throws a revision conflict unless `expected` is nil or equals `current`.
    static func check(expectedRevision expected: Int64?, current: Int64, type: String) throws {
        guard let expected, expected != current else { return }
        throw ConfigError.conflict(
            reason: "revision_mismatch",
            message: "the \(type) is at revision \(current), not \(expected); re-read it and retry",
            currentRevision: current)
    }
}
