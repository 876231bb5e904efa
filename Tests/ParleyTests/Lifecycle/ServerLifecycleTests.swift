import ParleyAuth
import ParleyModel
import ParleySQLite
import ParleyTesting
import Testing

/// A test server runs as `parleyd serve` does, in a `ServiceGroup` of its lifecycle services:
/// stopping it drains the connections, writes the key uses noted, then closes the store.
@Suite struct ServerLifecycleTests {
    @Test func keyUsesNotedBeforeShutdownAreWrittenBeforeTheStoreCloses() async throws {
        let server = try await TestServer.start()
        defer { server.removeFiles() }
        let keyID = try #require(APIKeyToken(parsing: server.adminKey)).keyID
        let connection = try await RawConnection.authenticated(port: server.port, apiKey: server.adminKey)
        try await server.stop()
        await connection.close()
        await #expect(throws: (any Error).self, "the lifecycle closed the store") { try await server.store.currentRevision() }
        let reopened = try SQLiteStore(path: server.databasePath)
        #expect(try await reopened.apiKey(id: keyID)?.lastUsedAt != nil, "the hello's key use was written")
        try await reopened.close()
    }
}
