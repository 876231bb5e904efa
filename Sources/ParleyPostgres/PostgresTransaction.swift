import ParleyModel
import ParleyStore
import PostgresNIO

/// ``StoreTransaction`` over the writer's connection inside one transaction: the same tables as
/// the SQLite store, with the change log written by triggers (PostgresMigrations).
///
/// The revision is read with `FOR UPDATE`: the first write of a transaction locks the one
/// `store_revision` row until the commit, so writers on every replica take revisions one at a
/// time, and commit order is revision order (no watcher can see revision 8 before 7).
///
/// Every statement is a round trip the writer waits for (postgres-nio runs one statement at a
/// time on a connection, without pipelining), and round trips are what a write costs here, so
/// the transaction sends as few as the rules allow (``TransactionState`` says what it remembers
/// and what it holds back), and savepoints are optimistic (``savepoint(_:)``).
public struct PostgresTransaction: StoreTransaction {
    let connection: BlockingConnection
    let state: TransactionState

    public func revision() throws -> Int64 {
        if let known = state.revision { return known }
        let current = try read("SELECT revision FROM store_revision WHERE id = 1 FOR UPDATE").first?.decode(Int64.self) ?? 0
        state.revision = current
        state.storedRevision = current
        return current
    }

    /// Remembered; `store_revision` is raised once for the batch (``sendPendingAudits()``).
    public func setRevision(_ revision: Int64) throws {
        state.revision = revision
    }

    /// Savepoints are optimistic: most writes keep what they did, and a `SAVEPOINT` with its
    /// `RELEASE` would be two round trips each. So the body runs without one; if it ends without
    /// keeping its work (refused, a dry run, nothing changed) and had written nothing, nothing
    /// needs undoing; if it had written something, ``SavepointNeeded`` is thrown, and the writer
    /// rolls the batch back and runs it again with this job in a real savepoint (the jobs are
    /// closures over their input, so running one again is the same write; nothing of a batch is
    /// answered before its commit). Rolling back a real savepoint also forgets what
    /// ``TransactionState`` learned inside it.
    public func savepoint<Value>(_ body: () throws -> (value: Value, keep: Bool)) throws -> Value {
        let mark = state.mark()
        guard state.guardedJobs.contains(state.job) else {
            let outcome: (value: Value, keep: Bool)
            do {
                outcome = try body()
            } catch {
                guard !state.changed(since: mark) else { throw SavepointNeeded() }
                throw error
            }
            if !outcome.keep {
                guard !state.changed(since: mark) else { throw SavepointNeeded() }
                state.restore(mark, rolledBack: false)
            }
            return outcome.value
        }
        try write("SAVEPOINT body")
        let outcome: (value: Value, keep: Bool)
        do {
            outcome = try body()
        } catch {
            state.restore(mark, rolledBack: true)
            _ = try? connection.execute("ROLLBACK TO SAVEPOINT body")
            throw error
        }
        if !outcome.keep { state.restore(mark, rolledBack: true) }
        try write(outcome.keep ? "RELEASE SAVEPOINT body" : "ROLLBACK TO SAVEPOINT body")
        return outcome.value
    }

    /// Nothing: this store's cache is kept by the change-log listener under the consistent-read
    /// rule (``ConsistentReads``): until the listener has applied a revision, reads that need it
    /// bypass the cache, so the writer need not read back what it changed (one round trip less).
    public func changes(atRevision revision: Int64) throws -> CommittedChanges {
        CommittedChanges()
    }

    public func tenantChanged(_ tenantId: String, afterRevision revision: Int64) throws -> Bool {
        try read("SELECT EXISTS (SELECT 1 FROM change_log WHERE revision > \(revision) AND tenant_id = \(tenantId))")
            .first?.decode(Bool.self) ?? true
    }

    // MARK: Statements

    /// Runs a statement whose rows the rules need (after what was held back).
    func read(_ query: PostgresQuery) throws -> PostgresQueryResult {
        try sendPendingInsert()
        return try recordingFailure { try connection.rows(query) }
    }

    /// Runs a statement that changes rows (after what was held back); returns how many it changed.
    /// `logged`: it changes tenants or objects, whose trigger writes the change log with the
    /// revision of the `parley.revision` setting, so that is set first (once per write).
    @discardableResult
    func write(_ query: PostgresQuery, logged: Bool = false) throws -> Int {
        try sendPendingInsert()
        if logged, let next = try revisionToAnnounce() {
            _ = try recordingFailure { try connection.rows("SELECT set_config('parley.revision', \(String(next)), true)") }
            state.announced = next
        }
        state.writes += 1
        return try recordingFailure { try connection.execute(query) }
    }

    /// The revision of the write now running, when the setting does not hold it yet.
    func revisionToAnnounce() throws -> Int64? {
        let next = try revision() + 1
        return state.announced == next ? nil : next
    }

    /// Sends what the batch held back for its end, before the commit: the audit records, a
    /// thousand to a statement (a statement takes at most 65,535 values), the first of them with
    /// the raised `store_revision`.
    func sendPendingWork() throws {
        try sendPendingInsert()
        let records = state.pendingAudits
        state.pendingAudits = []
        var raise = state.revision != state.storedRevision ? state.revision : nil
        for start in stride(from: 0, to: records.count, by: 1000) {
            try write(Self.auditInsert(Array(records[start..<min(start + 1000, records.count)]), raisingRevisionTo: raise))
            raise = nil
        }
        if let raise { try write("UPDATE store_revision SET revision = \(raise) WHERE id = 1") }
        state.storedRevision = state.revision
    }

    /// Sends the object row held back, announcing its revision in the same statement, and with
    /// `key` its first unique key too; returns the statement's row count (nil: nothing was held back).
    @discardableResult
    func sendPendingInsert(claiming key: ClaimedKey? = nil) throws -> Int? {
        guard let pending = state.pendingInsert else { return nil }
        state.pendingInsert = nil
        let announcing = try revisionToAnnounce()
        state.writes += 1
        let count = try recordingFailure {
            try connection.execute(Self.resourceInsert(pending.resource, nameKey: pending.nameKey, claiming: key, announcing: announcing))
        }
        if let announcing { state.announced = announcing }
        return count
    }

    /// A failed statement leaves the transaction refusing everything until it is rolled back.
    private func recordingFailure<Result>(_ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch {
            state.failed = true
            throw error
        }
    }

}
