import ParleyModel
import ParleyTesting
import Testing

@Suite struct PersistenceTests {
    @Test func dataSurvivesARestart() async throws {
        let first = try await TestServer.start()
        let client = try await RawConnection.authenticated(port: first.port, apiKey: first.adminKey)
        let created = try #require(try await client.call("tenants.create", ["slug": "durable", "name": "Durable"])["result"])
        await client.close()
        try await first.stop()

        let second = try await TestServer.start(reusing: (first.directory, first.adminKey))
        defer { second.removeFiles() }
        let again = try await RawConnection.authenticated(port: second.port, apiKey: second.adminKey)
        #expect(try await again.call("tenants.get", ["id": created["id"]!])["result"] == created)
        #expect(try await second.store.currentRevision() == created["revision"]?.intValue)
        let next = try #require(try await again.call("tenants.create", ["slug": "after", "name": "After"])["result"])
        #expect(next["revision"]?.intValue == (created["revision"]?.intValue ?? 0) + 1, "the revision counter continues")
        await again.close()
        try await second.stop()
    }
}
