import GRDB
import ParleyModel
import ParleyProtocol

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
        let (value, committed) = try await pool.writeWithoutTransaction { db -> (Value, Int64?) in
            var outcome: WriteResult<Value>?
            var failure: (any Error)?
            var committedRevision: Int64?
            try db.inTransaction(.immediate) {
                let next = try Self.revision(db) + 1
                var committed = false
                try db.inSavepoint {
                    do {
                        outcome = try body(db, next)
                    } catch {
                        failure = error
                        return .rollback
                    }
                    guard outcome!.changed, !dryRun else { return .rollback }
                    try db.execute(sql: "UPDATE store_revision SET revision = ? WHERE id = 1", arguments: [next])
                    committed = true
                    committedRevision = next
                    return .commit
                }
                let result: AuditRecord.Outcome =
                    failure != nil ? .failed : committed ? .applied : dryRun && outcome!.changed ? .dryRun : .unchanged
                try Self.insertAudit(
                    audit, outcome: result, change: outcome?.change, revision: committed ? next : nil,
                    errorCode: failure.map(Self.errorCode), db: db)
                return .commit
            }
            audit.markRecorded()
            if let failure { throw failure }
            return (outcome!.value, committedRevision)
        }
        if let committed { changeSignal.notify(revision: committed) }
        return value
    }

    /// The JSON-RPC code a failed write is answered with.
    static func errorCode(_ error: any Error) -> Int64 {
        if let error = error as? ConfigError { return Int64(RPCError(error).code.value) }
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
