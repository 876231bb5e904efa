import Foundation
import Logging
import NIOCore
import ParleyAuth
import ParleyModel
import ParleyProtocol
import ParleySQLite
import ParleyServer
import ParleyStore

/// A real server for tests: a fresh SQLite file in a temporary directory, an ADMIN key, and
/// `127.0.0.1:0` (a free loopback port). Stop it with ``stop()``.
public final class TestServer: Sendable {
    public let server: Server
    public let store: SQLiteStore
    public let pool: Argon2Pool
    /// The server's key verifier (its cache and throttle can be inspected or cleared).
    public let verifier: KeyVerifier
    public let directory: URL
    /// The ADMIN key created for the test (shown once, as for a real user).
    public let adminKey: String
    public let port: Int
    private let task: Task<Void, any Error>

    /// The database file.
    public var databasePath: String { store.path }

    private init(
        server: Server, store: SQLiteStore, pool: Argon2Pool, verifier: KeyVerifier, directory: URL, adminKey: String, port: Int,
        task: Task<Void, any Error>
    ) {
        self.server = server
        self.store = store
        self.pool = pool
        self.verifier = verifier
        self.directory = directory
        self.adminKey = adminKey
        self.port = port
        self.task = task
    }

    /// Starts a server; `configure` adjusts its configuration (host and port are forced to loopback:0).
    /// Pass `reusing` to start on an existing database directory (its admin key is reused).
    public static func start(
        reusing previous: (directory: URL, adminKey: String)? = nil,
        configure: (inout Server.Configuration) -> Void = { _ in }
    ) async throws -> TestServer {
        let directory =
            previous?.directory
            ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("parley-test-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try SQLiteStore(
            path: directory.appendingPathComponent("parley.db").path, configuration: .init(auditErrorCode: RPCError.auditCode(of:)))
        let pool = Argon2Pool(configuration: .init(threads: 2, queueLimit: 64))
        var adminKey = previous?.adminKey
        if adminKey == nil {
            adminKey = try await KeyIssuer(store: store, pool: pool).issue(name: "test admin", role: .admin, audit: .system("test.setup")).token.text
        }
        let started = try await LoopbackServer.start(store: store, pool: pool, label: "parley-test", configure: configure)
        return TestServer(
            server: started.server, store: store, pool: pool, verifier: started.verifier, directory: directory, adminKey: adminKey!,
            port: started.port, task: started.task)
    }

    /// Gracefully stops the server and closes the store (the files stay until ``removeFiles()``).
    public func stop() async throws {
        server.shutdown()
        try await task.value  // the server's lifecycle closes the store once it drained
        try await pool.shutdown()
    }

    /// Stops the server and deletes its database directory.
    public func stopAndRemove() async throws {
        try await stop()
        removeFiles()
    }

    /// Deletes the database directory.
    public func removeFiles() {
        try? FileManager.default.removeItem(at: directory)
    }
}
