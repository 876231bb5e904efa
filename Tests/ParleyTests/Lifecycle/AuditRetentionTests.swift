import Foundation
import Logging
import ParleySQLite
import ParleyServer
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing

@Suite struct AuditRetentionTests {
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test func retentionStopsPromptlyOnGracefulShutdown() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-retention-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("parley.db").path)
        let retention = AuditRetention(store: store, configuration: .init(), logger: Self.quiet, interval: .seconds(3600))
        let stopped = try await testGracefulShutdown { shutdown in
            try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    await retention.run(); return true
                }
                group.addTask {
                    try await Task.sleep(for: .seconds(30)); return false
                }
                try await Task.sleep(for: .milliseconds(200))  // the first pass, then the hour's sleep
                shutdown.triggerGracefulShutdown()
                let first = try await group.next() ?? false
                group.cancelAll()
                return first
            }
        }
        #expect(stopped, "graceful shutdown ends the hour's sleep")
        try await store.close()
    }

    @Test func retentionStopsWhenCancelled() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-retention-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("parley.db").path)
        let retention = AuditRetention(store: store, configuration: .init(), logger: Self.quiet, interval: .seconds(3600))
        let task = Task { await retention.run() }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        await task.value
        try await store.close()
    }
}
