import ParleyModel
import ParleyProtocol
import ParleyTesting
import Testing

/// Issue 18: a client that floods without reading and then disconnects must never take the
/// server down (queued requests were started after the connection was gone, and `context!` trapped).
@Suite struct DisconnectTests {
    /// A batch of 64 `server.info` calls: each runs as a task, so requests queue behind the in-flight cap.
    private static let infoBatch = FloodingSocket.frame(
        .array(
            (0..<64).map { index in
                ["jsonrpc": "2.0", "id": .int(Int64(index)), "method": "server.info"]
            }))
    private static let infoSingle = FloodingSocket.frame(["jsonrpc": "2.0", "id": 1, "method": "server.info"])

    /// The server still answers a fresh connection.
    private func expectAlive(_ server: TestServer) async throws {
        let probe = try await RawConnection.connect(port: server.port)
        #expect(try await probe.call("ping")["result"] == [:])
        await probe.close()
    }

    @Test(arguments: [false, true])
    func batchesWithoutReadingThenDisconnectingNeverCrash(aborting: Bool) async throws {
        try await TestServer.with { server in
            for _ in 0..<3 {
                let socket = try FloodingSocket(port: server.port)
                await socket.flood(Self.infoBatch, for: .milliseconds(300))
                if aborting { socket.abort() }
            }
            // The tasks of the last rounds finish after their connections are gone.
            try await Task.sleep(for: .milliseconds(300))
            try await expectAlive(server)
        }
    }

    @Test func pipelinedSingleRequestsThenDisconnectingNeverCrash() async throws {
        try await TestServer.with { server in
            for _ in 0..<3 {
                let socket = try FloodingSocket(port: server.port)
                await socket.flood(Self.infoSingle, for: .milliseconds(300))
                socket.abort()
            }
            try await Task.sleep(for: .milliseconds(300))
            try await expectAlive(server)
        }
    }

    @Test func afterHelloFloodingThenDisconnectingNeverCrash() async throws {
        try await TestServer.with { server in
            let list = FloodingSocket.frame(
                .array(
                    (0..<64).map { index in
                        ["jsonrpc": "2.0", "id": .int(Int64(index)), "method": "tenants.list"]
                    }))
            for round in 0..<3 {
                let socket = try FloodingSocket(port: server.port)
                #expect(await socket.hello(server.adminKey))
                await socket.flood(round.isMultiple(of: 2) ? list : Self.infoBatch, for: .milliseconds(300))
                socket.abort()
            }
            try await Task.sleep(for: .milliseconds(300))
            try await expectAlive(server)
        }
    }
}
