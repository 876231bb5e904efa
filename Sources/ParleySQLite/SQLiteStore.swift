import Dispatch
import GRDB
import ParleyModel
import ParleyStore

/// The embedded store: one SQLite file in WAL mode with `synchronous=FULL`, one writer
/// connection (immediate transactions) and a pool of readers.
public final class SQLiteStore: RuleBasedStore {
    /// Options for opening the database.
    public struct Configuration: Sendable {
        /// How many concurrent reader connections to keep.
        public var maximumReaderCount: Int
        /// How long a connection waits for a lock before failing, in seconds.
        public var busyTimeoutSeconds: Double
        /// Whether concurrent writes share one commit (and one fsync); off, each write is its own transaction.
        public var groupCommit: Bool
        /// How many objects, and how many tenants, are kept in memory for reads (0: none).
        public var readCacheCapacity: Int
        /// Seconds one write may take inside the writer before it is rolled back
        /// (``StoreError/timeBudgetExceeded(seconds:)``), so that no write holds up the others for long.
        public var writeTimeBudget: Double
        /// The largest the database file may grow, in bytes (nil: no limit); writes past it fail
        /// with ``StoreError/unavailable(_:)`` `store_full`, as on a full disk.
        public var maximumDatabaseBytes: Int64?
        /// The error code a failed write's audit record carries: the JSON-RPC code its caller
        /// gets, which only the server knows (nil records none).
        public var auditErrorCode: @Sendable (any Error) -> Int64?

        public init(
            maximumReaderCount: Int = 4, busyTimeoutSeconds: Double = 5, groupCommit: Bool = true, readCacheCapacity: Int = 100_000,
            writeTimeBudget: Double = 10, maximumDatabaseBytes: Int64? = nil, auditErrorCode: @escaping @Sendable (any Error) -> Int64? = { _ in nil }
        ) {
            self.auditErrorCode = auditErrorCode
            self.maximumReaderCount = maximumReaderCount
            self.busyTimeoutSeconds = busyTimeoutSeconds
            self.groupCommit = groupCommit
            self.readCacheCapacity = readCacheCapacity
            self.writeTimeBudget = writeTimeBudget
            self.maximumDatabaseBytes = maximumDatabaseBytes
        }
    }

    /// The options the store was opened with.
    public let configuration: Configuration

    /// The database file.
    public let path: String
    /// Wakes watchers after each committed change.
    public let changeSignal = ChangeSignal()
    let pool: DatabasePool
    /// Runs every configuration write (grouping concurrent ones into one commit).
    let committer: GroupCommitter
    /// Tenants and objects read by id, dropped at every committed write.
    public let readCache: ReadCache
    /// Per-thread read-only connections for point lookups without a hop.
    let pointReaders: PointReaders

    /// Opens (creating if needed) and migrates the database at `path`.
    ///
    /// Throws ``StoreError/schemaTooNew(applied:)`` when the file was migrated by a newer Parley.
    public init(path: String, configuration: Configuration = .init()) throws {
        var config = GRDB.Configuration()
        config.busyMode = .timeout(configuration.busyTimeoutSeconds)
        config.maximumReaderCount = configuration.maximumReaderCount
        config.foreignKeysEnabled = true
        config.label = "parley"
        self.path = path
        self.configuration = configuration
        pool = try DatabasePool(path: path, configuration: config)
        committer = GroupCommitter(pool: pool, grouping: configuration.groupCommit)
        readCache = ReadCache(capacity: configuration.readCacheCapacity)
        pointReaders = PointReaders(path: path)
        // DatabasePool sets the writer to synchronous=NORMAL after prepareDatabase; an
        // acknowledged write must survive power loss, so FULL is set here, afterwards.
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // Every write of a group commit runs in a savepoint, and SQLite keeps a savepoint's
            // undo pages in a statement journal: a temporary file by default, written with a
            // pwrite per page (four times the writes to the WAL, a fifth of the server's CPU
            // under concurrent creates). Kept in memory instead: it is only ever needed to roll
            // back an open transaction, which a crash discards anyway.
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            if let limit = configuration.maximumDatabaseBytes {
                let pageSize = try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 4096
                try db.execute(sql: "PRAGMA max_page_count = \(max(1, limit / pageSize))")
            }
        }
        let migrator = Self.migrator
        let superseded = try pool.read { db in try migrator.hasBeenSuperseded(db) }
        if superseded {
            let applied = try pool.read { db in try migrator.appliedIdentifiers(db) }
            throw StoreError.schemaTooNew(applied: applied.sorted())
        }
        try migrator.migrate(pool)
    }

    /// How writes were grouped into commits since the store opened.
    public var commitStatistics: CommitStatistics { committer.statistics }

    public func currentRevision() async throws -> Int64 {
        try await pool.read { db in try Self.revision(db) }
    }

    /// Closes the database. GRDB's close waits for every reader to finish, and readers may be
    /// waiting for a thread of Swift's task pool: so the wait happens on a dispatch thread, never
    /// on the task pool (a close there could block the last free thread and hang the process).
    public func close() async throws {
        pointReaders.close()
        let pool = self.pool
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            DispatchQueue.global().async { done.resume(with: Result { try pool.close() }) }
        }
    }

    /// `PRAGMA synchronous` of the writer connection (2 = FULL).
    public func writerSynchronousMode() async throws -> Int {
        try await pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    /// `PRAGMA temp_store` of the writer connection (2 = MEMORY).
    public func writerTempStore() async throws -> Int {
        try await pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA temp_store") ?? -1 }
    }

    /// `PRAGMA journal_mode` (expected "wal").
    public func journalMode() async throws -> String {
        try await pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }

    /// The identifiers of the migrations applied to this file, in order.
    public func appliedMigrations() async throws -> [String] {
        try await pool.read { db in try Self.migrator.appliedMigrations(db) }
    }

    /// `PRAGMA integrity_check`; "ok" when the file is sound.
    public func integrityCheck() async throws -> String {
        try await pool.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "\n") }
    }

    /// `PRAGMA quick_check`: "ok" when the file's structure is sound (faster than ``integrityCheck()``).
    public func quickCheck() async throws -> String {
        try await pool.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check").joined(separator: "\n") }
    }

    /// Makes a write that is rolled back, to learn at start whether the database can be written;
    /// throws ``StoreError/unavailable(_:)`` when it cannot.
    public func probeWritable() async throws {
        do {
            try await pool.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    try db.execute(sql: "UPDATE store_revision SET revision = revision WHERE id = 1")
                    return .rollback
                }
            }
        } catch {
            throw StoreError.classify(error) ?? error
        }
    }

    static func revision(_ db: Database) throws -> Int64 {
        try db.fetchOneCached(Int64.self, "SELECT revision FROM store_revision WHERE id = 1") ?? 0
    }
}
