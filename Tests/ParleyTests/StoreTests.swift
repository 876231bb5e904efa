import Foundation
import GRDB
import ParleyModel
import ParleyStore
import Testing

@testable import ParleySQLite

@Suite struct StoreTests {
    /// A store on a fresh file; the directory is removed by `cleanup`.
    private func makeStore() throws -> (store: SQLiteStore, path: String, cleanup: () -> Void) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("s.db").path
        return (try SQLiteStore(path: path), path, { try? FileManager.default.removeItem(at: directory) })
    }

    @Test func durableSettings() async throws {
        let (store, _, cleanup) = try makeStore()
        defer { cleanup() }
        do {
            #expect(try await store.writerSynchronousMode() == 2, "synchronous must be FULL on the writer")
            #expect(try await store.writerTempStore() == 2, "savepoint journals in memory, not in a temporary file per write")
            #expect(try await store.journalMode() == "wal")
            #expect(try await store.appliedMigrations() == ["v1_tenants_and_keys", "v2_tenant_configuration", "v3_audit_and_key_lifecycle", "v4_change_log"])
            #expect(try await store.integrityCheck() == "ok")
        }
        try await store.close()
    }

    @Test func everyCommittedWriteBumpsTheRevisionOnceAndDryRunsNever() async throws {
        let (store, _, cleanup) = try makeStore()
        defer { cleanup() }
        do {
            #expect(try await store.currentRevision() == 0)
            let dry = try await store.createTenant(TenantInput(slug: "acme", name: "Acme"), seedBlockedFileTypes: true, dryRun: true, audit: .system("test"))
            #expect(dry.revision == 1)
            #expect(try await store.currentRevision() == 0)
            #expect(try await store.tenant(id: dry.id) == nil)
            let tenant = try await store.createTenant(
                TenantInput(slug: "acme", name: "Acme"), seedBlockedFileTypes: true, dryRun: false, audit: .system("test"))
            #expect(tenant.revision == 1)
            let renamed = try await store.updateTenant(
                id: tenant.id, expectedRevision: 1, patch: TenantPatch(name: "ACME"), dryRun: false, audit: .system("test"))
            #expect(renamed.revision == 2)
            let same = try await store.updateTenant(
                id: tenant.id, expectedRevision: nil, patch: TenantPatch(name: "ACME"), dryRun: false, audit: .system("test"))
            #expect(same.revision == 2, "a no-op update creates no revision")
            #expect(try await store.currentRevision() == 2)
            await #expect(throws: ConfigError.self) {
                try await store.updateTenant(id: tenant.id, expectedRevision: 1, patch: TenantPatch(name: "x"), dryRun: false, audit: .system("test"))
            }
            #expect(try await store.deleteTenant(id: tenant.id, expectedRevision: 2, cascade: false, dryRun: false, audit: .system("test")) == 3)
            #expect(try await store.tenant(id: tenant.id) == nil)
        }
        try await store.close()
    }

    @Test func aDatabaseFromANewerVersionIsRefused() async throws {
        let (store, path, cleanup) = try makeStore()
        defer { cleanup() }
        do {
            try await store.pool.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v999_from_the_future')")
            }
            #expect(throws: StoreError.self) { _ = try SQLiteStore(path: path) }
        }
        try await store.close()
    }
}
