import ParleyServer

extension TestServer {
    /// Runs `body` against a fresh server and always stops it and deletes its files afterwards.
    public static func with<Result>(
        configure: (inout Server.Configuration) -> Void = { _ in },
        _ body: (TestServer) async throws -> Result
    ) async throws -> Result {
        let server = try await start(configure: configure)
        do {
            let result = try await body(server)
            try await server.stopAndRemove()
            return result
        } catch {
            try? await server.stopAndRemove()
            throw error
        }
    }
}
