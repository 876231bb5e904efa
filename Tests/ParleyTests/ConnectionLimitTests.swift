import NIOCore
import ParleyAuth
import ParleyModel
import ParleyServer
import ParleyTesting
import Testing

/// Deadlines, the connection cap and graceful shutdown, with short timeouts configured.
@Suite struct ConnectionLimitTests {
    @Test func aConnectionWithoutHelloIsClosedAtTheDeadline() async throws {
        try await TestServer.with(configure: { $0.helloTimeout = .milliseconds(1500) }) { server in
            let connection = try await RawConnection.connect(port: server.port)
            #expect(try await connection.call("ping")["result"] == [:])
            let notice = try await connection.readFrame(timeout: .seconds(5))
            #expect(notice["error"]?["code"] == -32001)
            #expect(await connection.waitForClose())
        }
    }

    @Test func anIdleConnectionIsClosed() async throws {
        try await TestServer.with(configure: { $0.idleTimeout = .milliseconds(300) }) { server in
            let connection = try await RawConnection.authenticated(port: server.port, apiKey: server.adminKey)
            #expect(await connection.waitForClose(timeout: .seconds(5)))
        }
    }

    @Test func aHalfSentFrameIsClosedAtTheDeadline() async throws {
        try await TestServer.with(configure: { $0.partialFrameTimeout = .milliseconds(300) }) { server in
            let connection = try await RawConnection.connect(port: server.port)
            try await connection.send([0, 0, 0, 50, 0x7B])
            #expect(await connection.waitForClose(timeout: .seconds(5)))
        }
    }

    @Test func connectionsPastTheCapGetOneBusyErrorAndExistingOnesKeepWorking() async throws {
        try await TestServer.with(configure: {
            $0.maximumConnections = 2
            $0.helloTimeout = .seconds(120)  // the unauthenticated second connection must outlive a loaded machine
        }) { server in
            let first = try await RawConnection.authenticated(port: server.port, apiKey: server.adminKey)
            let second = try await RawConnection.connect(port: server.port)
            _ = try await second.call("ping")
            let third = try await RawConnection.connect(port: server.port)
            let refusal = try await third.readFrame()
            #expect(refusal["error"]?["code"] == -32014)
            #expect(refusal["error"]?["data"]?["kind"] == "busy")
            #expect(await third.waitForClose())
            #expect(try await first.call("tenants.list")["result"] != nil)
            await second.close()
            try await Task.sleep(for: .milliseconds(100))
            let fourth = try await RawConnection.connect(port: server.port)
            #expect(try await fourth.call("ping")["result"] == [:], "a slot freed by a close is reusable")
            await first.close()
            await fourth.close()
        }
    }

    @Test func pipelinedRequestsBeyondTheInFlightCapAreAllAnswered() async throws {
        try await TestServer.with(configure: { $0.maximumInFlightPerConnection = 2 }) { server in
            let connection = try await RawConnection.authenticated(port: server.port, apiKey: server.adminKey)
            var bytes: [UInt8] = []
            for index in 0..<50 {
                bytes += RawConnection.frame(Array(#"{"jsonrpc":"2.0","id":\#(index),"method":"tenants.list"}"#.utf8))
            }
            try await connection.send(bytes)
            var ids: Set<Int64> = []
            for _ in 0..<50 { ids.insert(try #require(try await connection.readFrame()["id"]?.intValue)) }
            #expect(ids == Set(0..<50))
            await connection.close()
        }
    }

    @Test func gracefulShutdownAnswersWhatIsInFlight() async throws {
        let server = try await TestServer.start()
        defer { server.removeFiles() }
        let connection = try await RawConnection.authenticated(port: server.port, apiKey: server.adminKey)
        // hello runs argon2 (~20 ms, once the key is dropped from the verified-key cache): the
        // shutdown starts while the pool is verifying it.
        server.verifier.cache.invalidate(keyId: try #require(APIKeyToken(parsing: server.adminKey)).keyID)
        try await connection.sendFrame(#"{"jsonrpc":"2.0","id":"late","method":"hello","params":{"api_key":"\#(server.adminKey)","protocol_version":1}}"#)
        for _ in 0..<2000 where server.pool.depth == 0 { try await Task.sleep(for: .milliseconds(1)) }
        #expect(server.pool.depth > 0, "the hello is being verified")
        try await server.stop()
        let answer = try await connection.readFrame()
        #expect(answer["id"] == "late")
        #expect(answer["result"] != nil)
        #expect(await connection.waitForClose())
    }
}
