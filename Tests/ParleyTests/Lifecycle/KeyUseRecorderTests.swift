import ParleyModel
import ParleyServer
import ParleyTesting
import ServiceLifecycle
import ServiceLifecycleTestKit
import Synchronization
import Testing

@Suite struct KeyUseRecorderTests {
    @Test func lastUsedIsWrittenAtMostOncePerInterval() async throws {
        try await TestServer.with { server in
            let keyID = String(server.adminKey.dropFirst(5).prefix(16))
            let recorder = KeyUseRecorder(store: server.store, intervalMilliseconds: 60_000)
            try await Self.running(recorder) {
                let first = Timestamp(millisecondsSinceEpoch: 1_800_000_000_000)
                recorder.noteUse(of: keyID, at: first)
                recorder.noteUse(of: keyID, at: first.adding(milliseconds: 59_000))
                let once = try await lastUsed(keyID, in: server, becomes: first)
                #expect(once)
                recorder.noteUse(of: keyID, at: first.adding(milliseconds: 60_000))
                let again = try await lastUsed(keyID, in: server, becomes: first.adding(milliseconds: 60_000))
                #expect(again)
            }
            let revision = try await server.store.currentRevision()
            #expect(revision == 1, "bookkeeping writes create no revision")
        }
    }

    @Test func usesNotedBeforeShutdownAreWrittenAndNoneAfter() async throws {
        let written = Mutex<[String]>([])
        let recorder = KeyUseRecorder(intervalMilliseconds: 60_000, capacity: 1000) { use in
            try await Task.sleep(for: .milliseconds(2))  // a write takes a while
            written.withLock { $0.append(use.keyID) }
        }
        let noted = (0..<50).map { "key\($0)" }
        try await Self.running(recorder) {
            for id in noted { recorder.noteUse(of: id) }
        }
        // run() returned, and the store would close now: everything noted before is written...
        #expect(written.withLock { $0 } == noted)
        // ...and nothing noted after the shutdown is.
        recorder.noteUse(of: "late")
        try await Task.sleep(for: .milliseconds(100))
        #expect(written.withLock { $0 } == noted, "no write after shutdown")
    }

    @Test func theQueueIsBoundedAndKeepsTheNewestUses() async throws {
        let written = Mutex<[String]>([])
        let recorder = KeyUseRecorder(intervalMilliseconds: 60_000, capacity: 4) { use in
            written.withLock { $0.append(use.keyID) }
        }
        for index in 0..<10 { recorder.noteUse(of: "key\(index)") }
        await testGracefulShutdown { shutdown in
            shutdown.triggerGracefulShutdown()
            await recorder.run()
        }
        #expect(written.withLock { $0 } == ["key6", "key7", "key8", "key9"])
    }

    /// Runs `body` while `recorder` runs, then shuts the recorder down gracefully and waits for it.
    static func running(_ recorder: KeyUseRecorder, _ body: () async throws -> Void) async throws {
        try await testGracefulShutdown { shutdown in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await recorder.run() }
                do {
                    try await body()
                } catch {
                    shutdown.triggerGracefulShutdown()
                    throw error
                }
                shutdown.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
    }

    /// Whether the key's `last_used_at` becomes `expected` within 10 s (the recorder writes in the
    /// background; a loaded machine may take a while).
    private func lastUsed(_ keyID: String, in server: TestServer, becomes expected: Timestamp) async throws -> Bool {
        for _ in 0..<200 {
            if try await server.store.apiKey(id: keyID)?.lastUsedAt == expected { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }
}
