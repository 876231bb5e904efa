import ParleyModel
import ParleyStore

/// What one attempt at a batch's transaction knows beyond its rows, and what it still has to send.
/// The writer's round trips are its cost (each statement waits for PostgreSQL), so this remembers
/// what the transaction already learned and holds back what can travel later:
///
/// - the store revision, once the transaction holds its row lock (nobody else can change it),
///   raised in `store_revision` once, just before the commit (the change-log trigger takes each
///   write's revision from the `parley.revision` setting, set once per write: ``announced``);
/// - tenants known to exist, each read `FOR KEY SHARE`: nobody can delete one until the commit;
/// - the audit records, inserted together just before `COMMIT` (nothing reads them before);
/// - a new object's row, sent with its first unique key in one statement.
///
/// `@unchecked Sendable`: used only on the writer thread, one transaction at a time.
final class TransactionState: @unchecked Sendable {
    /// The jobs of the batch that run in a real `SAVEPOINT` (see ``PostgresTransaction/savepoint(_:)``).
    let guardedJobs: Set<Int>
    /// The job of the batch now running.
    var job = 0
    var revision: Int64?
    /// The revision `store_revision` holds in this transaction (read under its lock).
    var storedRevision: Int64?
    /// The revision the `parley.revision` setting holds in this transaction.
    var announced: Int64?
    var knownTenants: Set<String> = []
    var pendingAudits: [AuditRecord] = []
    var pendingInsert: (resource: StoredResource, nameKey: String)?
    /// Statements that changed rows, and whether any statement failed (PostgreSQL then refuses
    /// everything until a rollback): what an optimistic savepoint needs to know.
    var writes = 0
    var failed = false

    init(guardedJobs: Set<Int> = []) {
        self.guardedJobs = guardedJobs
    }

    /// What a savepoint restores when it is rolled back.
    struct Mark {
        var revision: Int64?
        var announced: Int64?
        var knownTenants: Set<String>
        var pendingAudits: Int
        var writes: Int
        var failed: Bool
    }

    func mark() -> Mark {
        Mark(revision: revision, announced: announced, knownTenants: knownTenants, pendingAudits: pendingAudits.count, writes: writes, failed: failed)
    }

    /// Whether anything was written, or failed, since `mark`: then only a rollback undoes it.
    func changed(since mark: Mark) -> Bool {
        writes != mark.writes || failed != mark.failed || pendingInsert != nil
    }

    /// Forgets what happened since `mark`; `rolledBack` when PostgreSQL undid it too (a real
    /// savepoint: the setting and the row locks taken since are gone with it).
    func restore(_ mark: Mark, rolledBack: Bool) {
        revision = mark.revision
        if rolledBack {
            announced = mark.announced
            knownTenants = mark.knownTenants
            failed = mark.failed
        }
        pendingAudits.removeLast(pendingAudits.count - mark.pendingAudits)
        pendingInsert = nil
    }
}

/// Thrown out of a job whose optimistic savepoint would have had to roll back: the writer rolls
/// the batch back and runs it again with that job in a real savepoint.
struct SavepointNeeded: Error {}
