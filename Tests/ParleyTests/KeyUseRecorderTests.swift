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
            try await Task.sleep(for: .milliseconds(200))
            #expect(try await server.store.apiKey(id: keyID)?.lastUsedAt == first)
            recorder.noteUse(of: keyID, at: first.adding(milliseconds: 60_000))
            try await Task.sleep(for: .milliseconds(200))
            #expect(try await server.store.apiKey(id: keyID)?.lastUsedAt == first.adding(milliseconds: 60_000))
            let revision = try await server.store.currentRevision()
            #expect(revision == 1, "bookkeeping writes create no revision")
        }
    }
}
