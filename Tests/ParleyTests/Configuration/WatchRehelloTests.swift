import ParleyAuth
import ParleyModel
import ParleyTesting
import Testing

/// Issue 11 (2): a subscription serves the key that made it. Saying hello again with another
/// key ends it at once (`watch.closed` `key_changed`, before the hello's answer), so revoking,
/// rotating or letting the first key expire later sends nothing of its tenant to the new session.
@Suite struct WatchRehelloTests {
    enum Ending: String, CaseIterable, Sendable { case revoke, rotate, expire }

    @Test(arguments: Ending.allCases)
    func aReHelloEndsThePreviousKeysSubscriptions(ending: Ending) async throws {
        try await TestServer.with { server in
            let fx = try await ConfigurationFixture.open(server)
            let tenantA = try await fx.tenant("rehello-a", seed: false)
            let tenantB = try await fx.tenant("rehello-b", seed: false)
            let expiry = ending == .expire ? Timestamp.now().adding(milliseconds: 6000) : nil
            let (keyA, tokenA) = try await KeyIssuer(store: server.store, pool: server.pool).issue(
                name: "a", role: .tenantAdmin, tenantId: tenantA, expiresAt: expiry, audit: .system("test.setup"))
            let tokenB = try await server.issueKey(role: .tenantReader, tenantId: tenantB)

            let connection = try await RawConnection.authenticated(port: server.port, apiKey: tokenA.text)
            let subscribed = try await connection.call("watch.subscribe")
            let subscription = try #require(subscribed["result"]?["subscription_id"])
            _ = try await fx.group(tenantA, "Before")
            #expect(try await connection.readFrame()["method"] == "watch.event")

            try await connection.sendFrame([
                "jsonrpc": "2.0", "id": "again", "method": "hello", "params": ["api_key": .string(tokenB), "protocol_version": 1],
            ])
            let closed = try await connection.readFrame()
            #expect(closed["method"] == "watch.closed")
            #expect(closed["params"]?["subscription_id"] == subscription)
            #expect(closed["params"]?["reason"] == "key_changed")
            #expect(try await connection.readFrame()["result"]?["key"]?["tenant_id"] == .string(tenantB))

            switch ending {
            case .revoke: _ = try await fx.result("api_keys.revoke", ["id": .string(keyA.id)])
            case .rotate: _ = try await fx.result("api_keys.rotate", ["id": .string(keyA.id), "grace_seconds": 0])
            case .expire:
                let left = (expiry?.millisecondsSinceEpoch ?? 0) - Timestamp.now().millisecondsSinceEpoch
                try await Task.sleep(for: .milliseconds(max(0, left) + 100))
            }
            _ = try await fx.group(tenantA, "After")
            try await Task.sleep(for: .milliseconds(200))
            let answer = try await connection.call("ping", id: "probe")
            #expect(answer["id"] == "probe", "nothing of tenant A arrives on B's session: \(answer)")
            #expect(answer["result"] == [:], "the connection, now B's, keeps working")
            await connection.close()
            await fx.client.close()
        }
    }

    @Test func aSubscriptionOfTheNewKeyEndsWhenThatKeyIsRevoked() async throws {
        try await TestServer.with { server in
            let fx = try await ConfigurationFixture.open(server)
            let tenant = try await fx.tenant("rehello-c", seed: false)
            let first = try await server.issueKey(role: .tenantReader, tenantId: tenant)
            let second = try await server.issueKey(role: .tenantReader, tenantId: tenant)
            let connection = try await RawConnection.authenticated(port: server.port, apiKey: first)
            let again = try await connection.call("hello", ["api_key": .string(second), "protocol_version": 1])
            let secondID = try #require(again["result"]?["key"]?["id"])
            #expect(try await connection.call("watch.subscribe")["result"] != nil)
            _ = try await fx.result("api_keys.revoke", ["id": secondID])
            #expect(await connection.waitForClose(), "revoking the key of the session closes its connection")
            await fx.client.close()
        }
    }
}
