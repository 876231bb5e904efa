import GRDB
import ParleyModel

/// What a write body did: whether it changed anything, and its result.
struct WriteResult<Value: Sendable>: Sendable {
    var value: Value
    var changed: Bool
}

extension SQLiteStore {
    /// Runs `body` in one immediate transaction. `nextRevision` is the revision the write takes
    /// if it changes anything; the store revision is bumped only then, and nothing is committed
    /// for a dry run or an unchanged result.
    func write<Value: Sendable>(
        dryRun: Bool, _ body: @escaping @Sendable (Database, _ nextRevision: Int64) throws -> WriteResult<Value>
    ) async throws -> Value {
        try await pool.writeWithoutTransaction { db in
            var outcome: WriteResult<Value>?
            try db.inTransaction(.immediate) {
                let next = try Self.revision(db) + 1
                let result = try body(db, next)
                outcome = result
                guard result.changed, !dryRun else { return .rollback }
                try db.execute(sql: "UPDATE store_revision SET revision = ? WHERE id = 1", arguments: [next])
                return .commit
            }
            return outcome!.value
        }
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
