import Logging
import NIOCore
import NIOPosix
import ParleyModel
import ParleyStore
import PostgresNIO
import Synchronization

/// The store on PostgreSQL: the same tables, rules and semantics as ``SQLiteStore`` (the shared
/// ``StoreRules`` run against ``PostgresTransaction``), for several `parleyd` replicas on one
/// database. Writes go through one writer thread per replica with group commit; revisions are
/// serialized across replicas by the `store_revision` row lock; reads use a connection pool; a
/// `LISTEN` connection learns of every commit (on any replica) to wake watchers, keep the read
/// cache coherent and report key changes (PostgresStore+Listener).
public final class PostgresStore: RuleBasedStore {
    public struct Configuration: Sendable {
        /// Pooled connections for reads (the writer and the listener have one each).
        public var maximumReadConnections: Int
        /// Objects and tenants kept in memory for reads (0: none); see ``ConsistentReads``.
        public var readCacheCapacity: Int
        /// Seconds one write may spend in the writer before it is rolled back.
        public var writeTimeBudget: Double
        /// Seconds a read or a connection attempt may take before it fails as `store_unreachable`.
        public var requestTimeout: Double
        /// The JSON-RPC code a failed write's audit record carries (nil records none).
        public var auditErrorCode: @Sendable (any Error) -> Int64?

        public init(
            maximumReadConnections: Int = 8, readCacheCapacity: Int = 100_000, writeTimeBudget: Double = 10, requestTimeout: Double = 5,
            auditErrorCode: @escaping @Sendable (any Error) -> Int64? = { _ in nil }
        ) {
            self.maximumReadConnections = maximumReadConnections
            self.readCacheCapacity = readCacheCapacity
            self.writeTimeBudget = writeTimeBudget
            self.requestTimeout = requestTimeout
            self.auditErrorCode = auditErrorCode
        }
    }

    public let configuration: Configuration
    /// Where the database is (its description hides the password).
    public let url: PostgresURL
    public let changeSignal = ChangeSignal()
    /// Tenants and objects read by id, guarded by ``ConsistentReads``.
    public let readCache: ReadCache
    let client: PostgresClient
    let writer: PostgresWriter
    let logger: Logger
    let consistency: ConsistentReads
    let revisions: RevisionReader
    let keyChanges: KeyChangeFeed
    let tasks: TaskBox

    /// Connects, checks that the database is Parley's (or empty), and migrates it under an
    /// advisory lock (replicas starting at once migrate once). Throws ``PostgresStoreError`` with a
    /// one-line reason (unreachable, wrong password, missing database, another program's tables)
    /// or ``StoreError/schemaTooNew(applied:)``.
    public static func open(url: PostgresURL, configuration: Configuration = .init(), logger: Logger = Logger(label: "parley.postgres")) async throws
        -> PostgresStore
    {
        let connectionConfiguration = try url.connectionConfiguration(timeout: configuration.requestTimeout)
        try await PostgresMigrator(configuration: connectionConfiguration, url: url, logger: logger).migrate()
        return PostgresStore(url: url, configuration: configuration, connectionConfiguration: connectionConfiguration, logger: logger)
    }

    private init(url: PostgresURL, configuration: Configuration, connectionConfiguration: PostgresConnection.Configuration, logger: Logger) {
        self.url = url
        self.configuration = configuration
        self.logger = logger
        var poolConfiguration = url.clientConfiguration(timeout: configuration.requestTimeout)
        poolConfiguration.options.maximumConnections = configuration.maximumReadConnections
        // The pool reports every failed connection attempt at info (also each one cancelled at
        // close); warnings and worse are what an operator needs from it.
        var background = logger
        background.logLevel = max(logger.logLevel, .warning)
        client = PostgresClient(configuration: poolConfiguration, backgroundLogger: background)
        writer = PostgresWriter(connection: BlockingConnection(configuration: connectionConfiguration, logger: logger))
        readCache = ReadCache(capacity: configuration.readCacheCapacity)
        consistency = ConsistentReads()
        revisions = RevisionReader(configuration: connectionConfiguration, timeout: configuration.requestTimeout, logger: Self.silent)
        keyChanges = KeyChangeFeed()
        tasks = TaskBox()
        let client = client
        tasks.add(Task { await client.run() })
        startListening(configuration: connectionConfiguration)
    }

    public func currentRevision() async throws -> Int64 {
        try await onPool { client in
            try await client.query("SELECT revision FROM store_revision WHERE id = 1").collect().first?.decode(Int64.self) ?? 0
        }
    }

    public func close() async throws {
        tasks.cancelAll()
        keyChanges.finish()
        await revisions.close()
        try await writer.shutdown()
    }

    /// Runs `body` with the pool (reads, and the writes outside the writer: bookkeeping, purges), failing as `store_unreachable` after the request timeout
    /// (the pool would otherwise wait for PostgreSQL to come back).
    func onPool<Value: Sendable>(_ body: @escaping @Sendable (PostgresClient) async throws -> Value) async throws -> Value {
        let client = client
        return try await withinRequestTimeout { try await body(client) }
    }

    /// Runs `body`, failing as `store_unreachable` after the request timeout.
    func withinRequestTimeout<Value: Sendable>(_ body: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let seconds = configuration.requestTimeout
        do {
            return try await withThrowingTaskGroup(of: Value.self) { group in
                group.addTask { try await body() }
                group.addTask {
                    try await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
                    throw StoreError.unavailable(.init(reason: "store_unreachable", detail: "PostgreSQL did not answer within \(seconds) s"))
                }
                defer { group.cancelAll() }
                return try await group.next()!
            }
        } catch {
            throw StoreError.classify(error) ?? error
        }
    }
}

/// Tasks the store runs for its lifetime (the pool, the listener), cancelled on close.
final class TaskBox: Sendable {
    private let tasks = Mutex<[Task<Void, Never>]>([])

    func add(_ task: Task<Void, Never>) { tasks.withLock { $0.append(task) } }

    func cancelAll() {
        for task in tasks.withLock({ $0 }) { task.cancel() }
    }
}
