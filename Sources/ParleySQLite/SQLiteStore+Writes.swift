import GRDB
import ParleyModel
import ParleyStore

/// The SQLite side of the write protocol: every write is ``StoreRules``' (through
/// ``RuleBasedStore``), run in the group committer's shared immediate transaction, each write in
/// its own savepoint.
extension SQLiteStore {
    public func inWriteTransaction<Value: Sendable>(_ work: @escaping @Sendable (SQLiteTransaction) throws -> Value) async throws -> Value {
        try await committer.submit { db in try work(SQLiteTransaction(db: db)) }
    }

    public func didCommit(_ changes: CommittedChanges, revision: Int64) {
        readCache.invalidate(changes)
        changeSignal.notify(revision: revision)
    }

    public var auditErrorCode: @Sendable (any Error) -> Int64? { configuration.auditErrorCode }

    public var writeTimeBudget: Double { configuration.writeTimeBudget }
}
