import Foundation
import Logging
import NIOPosix
import ParleyPostgres
import PostgresNIO

/// PostgreSQL for tests: the run's shared throwaway cluster (`PARLEY_TEST_POSTGRES`, started by
/// `./dev test`), or a cluster of a test's own (for tests that restart it), started and stopped by
/// `scripts/pg_cluster.sh` (initdb in a temporary folder, as the postgres user, on a free loopback
/// port, stopped by PID). Each test takes a database of its own.
public struct TestPostgres: Sendable {
    /// The cluster's `postgres` database, as its admin user.
    public let adminURL: PostgresURL
    /// The cluster's folder when this value started it (then ``stop()`` and ``restart()`` work).
    public let directory: String?

    /// The shared cluster of this test run, or nil (tests that need PostgreSQL are skipped then).
    public static var shared: TestPostgres? {
        guard let text = ProcessInfo.processInfo.environment["PARLEY_TEST_POSTGRES"], !text.isEmpty,
            let url = try? PostgresURL(text)
        else { return nil }
        return TestPostgres(adminURL: url, directory: nil)
    }

    /// Whether a cluster of a test's own can be started here (PostgreSQL's binaries are installed).
    public static var canStartClusters: Bool {
        shared != nil && ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql"))?.isEmpty == false)
    }

    /// Starts a cluster of its own in a new temporary folder (a second or two).
    public static func start() throws -> TestPostgres {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-pg-\(UUID().uuidString.prefix(8))").path
        let printed = try script("start", directory)
        return TestPostgres(adminURL: try PostgresURL(printed.trimmingCharacters(in: .whitespacesAndNewlines)), directory: directory)
    }

    /// Stops the cluster (fast shutdown, by the postmaster's PID).
    public func stop() throws {
        guard let directory else { return }
        _ = try Self.script("stop", directory)
    }

    /// Starts it again on the same port and data.
    public func restart() throws {
        guard let directory else { return }
        _ = try Self.script("start", directory)
    }

    /// Stops the cluster and removes its folder.
    public func remove() {
        guard let directory else { return }
        try? stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A new, empty database on the cluster, for one test.
    public func makeDatabase() async throws -> PostgresURL {
        let name = "parley_test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased())"
        try await execute("CREATE DATABASE \(name)")
        var url = adminURL
        url.database = name
        return url
    }

    /// Runs one statement as the admin user, on `database` (default: `postgres`).
    public func execute(_ sql: String, database: String? = nil) async throws {
        let configuration = PostgresConnection.Configuration(
            host: adminURL.host, port: adminURL.port, username: adminURL.user, password: adminURL.password,
            database: database ?? adminURL.database, tls: .disable)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: Logger(label: "parley.test.postgres"))
        do {
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Logger(label: "parley.test.postgres"))
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }

    private static func script(_ command: String, _ directory: String) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        // Output goes to files, not pipes: the postmaster that pg_ctl leaves running would hold a
        // pipe open, and reading it to its end would wait for the server to stop.
        let outputs = FileManager.default.temporaryDirectory.appendingPathComponent("parley-pg-script-\(UUID().uuidString)")
        let printedURL = outputs.appendingPathExtension("out")
        let complaintURL = outputs.appendingPathExtension("err")
        _ = FileManager.default.createFile(atPath: printedURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: complaintURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: printedURL)
            try? FileManager.default.removeItem(at: complaintURL)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [root.appendingPathComponent("scripts/pg_cluster.sh").path, command, directory]
        process.standardOutput = try FileHandle(forWritingTo: printedURL)
        process.standardError = try FileHandle(forWritingTo: complaintURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let printed = (try? String(contentsOf: printedURL, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 else {
            let complaint = (try? String(contentsOf: complaintURL, encoding: .utf8)) ?? ""
            throw Failure(description: "pg_cluster.sh \(command) failed: \(complaint)")
        }
        return printed
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }
}
