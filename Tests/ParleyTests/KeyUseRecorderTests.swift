import ParleyModel
import ParleyServer
import ParleyTesting
import Testing

@Suite struct KeyUseRecorderTests {
    @Test func lastUsedIsWrittenAtMostOncePerInterval() async throws {
        try await TestServer.with { server in
            let keyID = String(server.adminKey.dropFirst(5).prefix(16))
            let recorder = KeyUseRecorder(store: server.store, intervalMilliseconds: 60_000)
            let first = Timestamp(millisecondsSinceEpoch: 1_800_000_000_000)
            recorder.noteUse(of: keyID, at: first)
            recorder.noteUse(of: keyID, at: first.adding(milliseconds: 59_000))
            #expect(try await lastUsed(keyID, in: server, becomes: first))
            recorder.noteUse(of: keyID, at: first.adding(milliseconds: 60_000))
            #expect(try await lastUsed(keyID, in: server, becomes: first.adding(milliseconds: 60_000)))
            let revision = try await server.store.currentRevision()
            #expect(revision == 1, "bookkeeping writes create no revision")
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
