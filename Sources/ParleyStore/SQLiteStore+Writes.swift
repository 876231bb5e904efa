import GRDB
import Metrics
import ParleyModel
import ParleyProtocol

/// What one write did inside its transaction, handed back once the transaction committed.
struct WriteAttempt<Value: Sendable>: Sendable {
    var value: Value?
    var failure: SendableError?
    var committedRevision: Int64?
    /// What the write changed, read back from the change log of its revision.
    var changes = CommittedChanges()
}

/// The objects one committed write changed, as its change-log rows name them (the triggers log
/// every change, whatever code path made it: cascades, seeding, apply).
struct CommittedChanges: Sendable {
    var tenantChanged = false
    var resourceIds: [String] = []

    static func read(revision: Int64, db: Database) throws -> CommittedChanges {
        var changes = CommittedChanges()
        let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT family, object_id FROM change_log WHERE revision = ?"), arguments: [revision])
        while let row = try rows.next() {
            if row["family"] as String == "tenants" {
                changes.tenantChanged = true
            } else {
                changes.resourceIds.append(row["object_id"])
            }
        }
        return changes
    }
}

/// An error carried out of the writer (errors thrown by write bodies are ConfigError or GRDB
/// errors, both Sendable; this box only lets `any Error` cross the boundary).
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

extension SQLiteStore {
    /// Runs `body` in one immediate transaction and writes the audit record of the attempt in
    /// that same transaction.
    ///
    /// `nextRevision` is the revision the write takes if it changes anything. The body runs in a
    /// savepoint: it is committed (and the store revision bumped) only when it changed something
    /// and this is not a dry run; otherwise, or when it throws, it is rolled back, and only the
    /// audit record (DRY_RUN, UNCHANGED or FAILED) is committed.
    func write<Value: Sendable>(
        dryRun: Bool, audit: AuditContext, _ body: @escaping @Sendable (Database, _ nextRevision: Int64) throws -> WriteResult<Value>
    ) async throws -> Value {
        // Runs inside a (possibly shared) transaction; a failing body is reported, not thrown, so
        // that its audit record still commits. Only a failure to write the audit record throws.
        let attempt = try await committer.submit { db -> WriteAttempt<Value> in
            let next = try Self.revision(db) + 1
            var outcome: WriteResult<Value>?
            var failure: (any Error)?
            var committed = false
            var changes = CommittedChanges()
            do {
                try db.withSavepoint("body") {
                    do {
                        outcome = try body(db, next)
                    } catch {
                        failure = error
                        return .rollback
                    }
                    guard outcome!.changed, !dryRun else { return .rollback }
                    try db.executeCached("UPDATE store_revision SET revision = ? WHERE id = 1", [next])
                    changes = try CommittedChanges.read(revision: next, db: db)
                    committed = true
                    return .commit
                }
            } catch {
                // A full disk or an I/O error can make SQLite roll back the whole transaction, and
                // then everything after it fails as "aborted": throw the cause, not the echo.
                throw failure.flatMap { StoreError.classify($0) } ?? StoreError.classify(error) ?? error
            }
            // Nothing more can be written for this attempt (not even its audit record).
            if let failure, case .unavailable? = StoreError.classify(failure) { throw StoreError.classify(failure)! }
            let result: AuditRecord.Outcome =
                failure != nil ? .failed : committed ? .applied : dryRun && outcome!.changed ? .dryRun : .unchanged
            try Self.insertAudit(
                audit, outcome: result, change: outcome?.change, revision: committed ? next : nil,
                errorCode: failure.map(Self.errorCode), db: db)
            return WriteAttempt(
                value: outcome?.value, failure: failure.map(SendableError.init), committedRevision: committed ? next : nil, changes: changes)
        }
        audit.markRecorded()
        if let committed = attempt.committedRevision {
            readCache.invalidate(attempt.changes)
            changeSignal.notify(revision: committed)
            Gauge(label: "parley_store_revision").record(committed)
        }
        if let failure = attempt.failure { throw failure.error }
        return attempt.value!
    }

    /// The JSON-RPC code a failed write is answered with.
    static func errorCode(_ error: any Error) -> Int64 {
        if let error = error as? ConfigError { return Int64(RPCError(error).code.value) }
        if StoreError.classify(error) != nil { return Int64(RPCError.Code.unavailable.value) }
        return Int64(RPCError.Code.internalError.value)
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
