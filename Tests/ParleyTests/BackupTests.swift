import Foundation
import GRDB
import ParleyModel
import ParleySQLite
import ParleyStore
import ParleyTesting
import Testing

/// `parleyd backup` while the server writes, then `parleyd restore`.
@Suite(.serialized) struct BackupTests {
    /// Every row of the tables that hold configuration, as text, for comparing two files.
    private func dump(_ path: String) throws -> [String] {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read { db in
            try ["store_revision", "tenants", "resources", "resource_keys", "resource_refs", "api_keys", "audit_log"].flatMap { table in
                try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1, 2").map { "\(table): \($0)" }
            }
        }
    }

    @Test func aBackupUnderWriteLoadIsAConsistentSnapshotAndRestoresExactly() async throws {
        try await TestServer.with { server in
            let client = try await RawConnection.authenticated(port: server.port, apiKey: server.adminKey)
            let base = try await server.store.currentRevision()
            let writer = Task {
                var created = 0
                while !Task.isCancelled, created < 2000 {
                    let response = try? await client.call(
                        "tenants.create",
                        [
                            "slug": .string("load-\(created)"), "name": "Load", "seed_blocked_file_types": false,
                        ])
                    guard response?["result"] != nil else { break }
                    created += 1
                }
                return created
            }
            while try await server.store.currentRevision() < base + 30 { try await Task.sleep(for: .milliseconds(5)) }
            let backup = server.directory.appendingPathComponent("backup.db").path
            let result = try await BuiltBinaries.run("parleyd", ["backup", "--db", server.databasePath, "--out", backup])
            let during = try await server.store.currentRevision()
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("integrity ok"))
            let report = try DatabaseBackup.inspect(backup)
            // Let the writer go on a little past the snapshot, then stop it.
            for _ in 0..<500 where try await server.store.currentRevision() < report.revision + 5 {
                try await Task.sleep(for: .milliseconds(10))
            }
            writer.cancel()
            let created = await writer.value

            // A snapshot of one committed revision: exactly the tenants created up to it.
            // At least the 30 writes waited for (the writer may not get another in before the copy starts).
            #expect(report.revision >= base + 30 && report.revision <= during)
            let tenants = try dump(backup).filter { $0.hasPrefix("tenants: ") }.count
            #expect(Int64(tenants) == report.revision - base, "each tenant is one revision: the copy is one consistent revision")
            #expect(created > tenants, "the writer kept writing during the backup")

            let restored = server.directory.appendingPathComponent("restored.db").path
            let restore = try await BuiltBinaries.run("parleyd", ["restore", "--from", backup, "--db", restored])
            #expect(restore.status == 0, "\(restore.stderr)")
            #expect(try DatabaseBackup.inspect(restored).revision == report.revision)
            #expect(try dump(restored) == dump(backup), "same revision, same content")
            let again = try await BuiltBinaries.run("parleyd", ["restore", "--from", backup, "--db", restored])
            #expect(again.status != 0 && again.stderr.contains("--force"), "an existing database is not replaced by accident")
            #expect(try await BuiltBinaries.run("parleyd", ["backup", "--db", server.databasePath, "--out", backup]).status != 0)
            await client.close()
        }
    }

    @Test func aRunningServerHoldsItsDatabaseAgainstRestoreAndASecondServer() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-lock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("parley.db").path
        _ = try await BuiltBinaries.run("parleyd", ["init", "--db", database])
        let backup = directory.appendingPathComponent("b.db").path
        #expect(try await BuiltBinaries.run("parleyd", ["backup", "--db", database, "--out", backup]).status == 0)
        let daemon = try await BuiltBinaries.Daemon(database: database, directory: directory)
        let restore = try await BuiltBinaries.run("parleyd", ["restore", "--from", backup, "--db", database, "--force"])
        #expect(restore.status != 0 && restore.stderr.contains("another parleyd"))
        let second = try await BuiltBinaries.run("parleyd", ["serve", "--db", database, "--listen", "127.0.0.1:0"])
        #expect(second.status != 0 && second.stderr.contains("another parleyd"))
        #expect(try await daemon.stop() == 0)
        #expect(try await BuiltBinaries.run("parleyd", ["restore", "--from", backup, "--db", database, "--force"]).status == 0)
    }
}
