import ParleyModel
import ParleyStore

/// The PostgreSQL side of the write protocol: every write is ``StoreRules``' (through
/// ``RuleBasedStore``), run by the writer thread in a group-committed transaction.
extension PostgresStore {
    public func inWriteTransaction<Value: Sendable>(_ work: @escaping @Sendable (PostgresTransaction) throws -> Value) async throws -> Value {
        try await writer.submit(work)
    }

    public func didCommit(_ changes: CommittedChanges, revision: Int64) {
        readCache.invalidate(changes)
        changeSignal.notify(revision: revision)
    }

    public var auditErrorCode: @Sendable (any Error) -> Int64? { configuration.auditErrorCode }

    public var writeTimeBudget: Double { configuration.writeTimeBudget }

    /// Other replicas' commits arrive by NOTIFY, which a listener that is reconnecting misses: a
    /// watcher looks at the change log at least every second.
    public var changePollInterval: Duration { .seconds(1) }
}

extension PostgresStore: KeyChangeReporting {
    public func keyChangeEvents() -> AsyncStream<KeyChangeEvent> { keyChanges.events }
}
