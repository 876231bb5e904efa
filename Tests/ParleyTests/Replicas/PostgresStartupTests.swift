import Foundation
import ParleyModel
import ParleyPostgres
import ParleyStore
import ParleyTesting
import Testing

/// Starting on PostgreSQL (issue 13 §2, §4): migrations once under concurrent starts, a newer
/// schema or another program's database refused, every startup failure one line naming what is
/// wrong, and a database carried over by pg_dump and pg_restore served as it was.
@Suite(.enabled(if: TestPostgres.shared != nil, "needs PARLEY_TEST_POSTGRES (./dev test starts a cluster)"))
struct PostgresStartupTests {
    private var cluster: TestPostgres { TestPostgres.shared! }

    private func text(_ url: PostgresURL, password: String? = nil, database: String? = nil) -> String {
        "postgres://\(url.user):\(password ?? url.password ?? "")@\(url.host):\(url.port)/\(database ?? url.database)"
    }

    @Test func replicasStartingTogetherMigrateOnce() async throws {
        let url = try await cluster.makeDatabase()
        let stores = try await withThrowingTaskGroup(of: PostgresStore.self) { group in
            for _ in 0..<4 { group.addTask { try await PostgresStore.open(url: url) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(stores.count == 4)
        for store in stores { #expect(try await store.currentRevision() == 0) }
        for store in stores { try await store.close() }
        try await cluster.execute("SELECT 1")  // the cluster is fine
    }

    @Test func aSchemaFromANewerParleyIsRefused() async throws {
        let url = try await cluster.makeDatabase()
        try await PostgresStore.open(url: url).close()
        try await cluster.execute("INSERT INTO parley_schema_migrations (id) VALUES ('v999_from_the_future')", database: url.database)
        await #expect(throws: StoreError.self) { try await PostgresStore.open(url: url).close() }
    }

    @Test func startupFailuresAreOneLineNamingTheProblemAndWriteNothing() async throws {
        let url = try await cluster.makeDatabase()
        let wrongPassword = try await BuiltBinaries.run("parleyd", ["init", "--db", text(url, password: "not-the-password")])
        #expect(wrongPassword.status == 1)
        #expect(wrongPassword.stderr.contains("refused user parley"), "\(wrongPassword.stderr)")
        #expect(!wrongPassword.stderr.contains("not-the-password"), "the password is never printed")
        let missing = try await BuiltBinaries.run("parleyd", ["init", "--db", text(url, database: "no_such_database")])
        #expect(missing.status == 1 && missing.stderr.contains("does not exist"), "\(missing.stderr)")
        let refused = try await BuiltBinaries.run("parleyd", ["init", "--db", "postgres://parley:parley-test@127.0.0.1:1/x"])
        #expect(refused.status == 1 && refused.stderr.contains("cannot reach PostgreSQL at 127.0.0.1:1"), "\(refused.stderr)")
        let malformed = try await BuiltBinaries.run("parleyd", ["serve", "--db", "postgres://nobody/"])
        #expect(malformed.status == 1 && malformed.stderr.contains("names no"), "\(malformed.stderr)")
        for failure in [wrongPassword, missing, refused, malformed] {
            #expect(failure.stderr.split(separator: "\n").filter { $0.hasPrefix("parleyd:") }.count == 1, "one line: \(failure.stderr)")
        }
        // Another program's database is left alone.
        try await cluster.execute("CREATE TABLE invoices (id integer PRIMARY KEY)", database: url.database)
        let refusedForeign = try await BuiltBinaries.run("parleyd", ["init", "--db", text(url)])
        #expect(refusedForeign.status == 1 && refusedForeign.stderr.contains("not Parley's"), "\(refusedForeign.stderr)")
        try await cluster.execute("SELECT 1 FROM invoices", database: url.database)  // still there
        await #expect(throws: (any Error).self) { try await cluster.execute("SELECT 1 FROM store_revision", database: url.database) }
        // backup and restore point at PostgreSQL's tools.
        let backup = try await BuiltBinaries.run("parleyd", ["backup", "--db", text(url), "--out", "/tmp/never-written"])
        #expect(backup.status == 64 && backup.stderr.contains("pg_dump"), "\(backup.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never-written"))
    }

    @Test func aDatabaseCarriedOverByPgDumpAndPgRestoreIsServedAsItWas() async throws {
        let source = try await cluster.makeDatabase()
        let key = try await BuiltBinaries.run("parleyd", ["init", "--db", text(source)]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-dump-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try await BuiltBinaries.Daemon(database: text(source), directory: directory)
        let connection = try await RawConnection.authenticated(port: first.port, apiKey: key)
        let tenant = try #require(try await connection.call("tenants.create", ["slug": "dumped", "name": "Dumped"])["result"]?["id"])
        _ = try await connection.call("groups.create", ["tenant_id": tenant, "name": "Survives"])
        let revision = try #require(try await connection.call("groups.list", ["tenant_id": tenant])["result"]?["items"]?[0]?["revision"])
        #expect(try await first.stop() == 0)

        let dump = directory.appendingPathComponent("parley.dump").path
        let dumped = try await BuiltBinaries.runTool(
            "pg_dump", ["--format=custom", "--file=\(dump)", text(source)])
        #expect(dumped.status == 0, "\(dumped.stderr)")
        let target = try await cluster.makeDatabase()
        let restored = try await BuiltBinaries.runTool("pg_restore", ["--no-owner", "--dbname=\(text(target))", dump])
        #expect(restored.status == 0, "\(restored.stderr)")

        let second = try await BuiltBinaries.Daemon(database: text(target), directory: directory)
        let again = try await RawConnection.authenticated(port: second.port, apiKey: key)
        let groups = try #require(try await again.call("groups.list", ["tenant_id": tenant])["result"]?["items"]?.arrayValue)
        #expect(groups.map { $0["name"] } == ["Survives"] && groups[0]["revision"] == revision)
        let created = try await again.call("groups.create", ["tenant_id": tenant, "name": "After the restore"])
        #expect(created["result"]?["revision"]?.intValue == (revision.intValue ?? 0) + 1, "revisions go on from the dump")
        #expect(try await second.stop() == 0)
    }
}
