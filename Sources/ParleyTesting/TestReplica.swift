import Foundation
import Logging
import ParleyAuth
import ParleyModel
import ParleyPostgres
import ParleyProtocol
import ParleyServer
import ParleyStore

/// One `parleyd` replica in-process for tests: a ``PostgresStore`` on a shared database and a
/// server on `127.0.0.1:0`. Several on one database behave as one server (issue 13 §3).
public final class TestReplica: Sendable {
    public let server: Server
    public let store: PostgresStore
    public let verifier: KeyVerifier
    public let port: Int
    private let pool: Argon2Pool
    private let task: Task<Void, any Error>

    private init(server: Server, store: PostgresStore, verifier: KeyVerifier, port: Int, pool: Argon2Pool, task: Task<Void, any Error>) {
        self.server = server
        self.store = store
        self.verifier = verifier
        self.port = port
        self.pool = pool
        self.task = task
    }

    /// Starts a replica on `url`; `configure` adjusts the server's configuration.
    public static func start(
        url: PostgresURL, readCache: Int = 100_000, configure: (inout Server.Configuration) -> Void = { _ in }
    ) async throws -> TestReplica {
        let store = try await PostgresStore.open(
            url: url, configuration: .init(readCacheCapacity: readCache, auditErrorCode: RPCError.auditCode(of:)),
            logger: Logger(label: "parley-test-postgres", factory: { _ in SwiftLogNoOpLogHandler() }))
        let pool = Argon2Pool(configuration: .init(threads: 2, queueLimit: 64))
        let started = try await LoopbackServer.start(store: store, pool: pool, label: "parley-test-replica", configure: configure)
        return TestReplica(server: started.server, store: store, verifier: started.verifier, port: started.port, pool: pool, task: started.task)
    }

    /// A new ADMIN key in the shared database (usable on every replica).
    public func issueAdminKey() async throws -> String {
        try await KeyIssuer(store: store, pool: pool).issue(name: "test admin", role: .admin, audit: .system("test.setup")).token.text
    }

    /// Stops the server and closes the store.
    public func stop() async throws {
        server.shutdown()
        try await task.value  // the server's lifecycle closes the store once it drained
        try await pool.shutdown()
    }
}
