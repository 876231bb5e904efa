import Foundation
import ParleyModel
import ParleyTesting
import Testing

/// Revocation, rotation and expiry seen from live connections.
@Suite struct KeyLifecycleTests {
    @Test func revokingAKeyClosesItsConnectionsAtOnce() async throws {
        try await TestServer.with { server in
            let fx = try await ConfigurationFixture.open(server)
            let tenant = try await fx.tenant("acme")
            let created = try await fx.result("api_keys.create", ["name": "partner", "role": "TENANT_ADMIN", "tenant_id": .string(tenant)])
            let token = try #require(created["api_key"]?.stringValue)
            let id = try #require(created["key"]?["id"])
            #expect(created["key"]?["status"] == "ACTIVE")
            #expect(!JSONValueText.of(created["key"]!).contains("prly_") && !JSONValueText.of(created).contains("$argon2"))
            let live = try await RawConnection.authenticated(port: server.port, apiKey: token)
            #expect(try await live.call("groups.list", ["tenant_id": .string(tenant)])["result"] != nil)

            let revoked = try await fx.result("api_keys.revoke", ["id": id])
            #expect(revoked["status"] == "REVOKED")
            #expect(await live.waitForClose(), "a connection of a revoked key is closed at once")
            await #expect(throws: (any Error).self) { try await RawConnection.authenticated(port: server.port, apiKey: token) }
            #expect(try await fx.result("api_keys.revoke", ["id": id])["revision"] == revoked["revision"], "revoking twice changes nothing")
            await fx.client.close()
        }
    }

    @Test func aRotatedKeyWorksThroughItsGracePeriodOnly() async throws {
        try await TestServer.with { server in
            let fx = try await ConfigurationFixture.open(server)
            let tenant = try await fx.tenant("acme")
            let created = try await fx.result("api_keys.create", ["name": "partner", "role": "TENANT_READER", "tenant_id": .string(tenant)])
            let oldToken = try #require(created["api_key"]?.stringValue)
            let oldID = try #require(created["key"]?["id"])
            let live = try await RawConnection.authenticated(port: server.port, apiKey: oldToken)

            let graceful = try await fx.result("api_keys.rotate", ["id": oldID])
            let expires = try #require(Timestamp(rfc3339: graceful["previous"]?["expires_at"]?.stringValue ?? ""))
            let expected = Timestamp.now().adding(milliseconds: 86_400_000)
            #expect(abs(expires.millisecondsSinceEpoch - expected.millisecondsSinceEpoch) < 60_000, "default grace is a day")
            #expect(graceful["key"]?["role"] == "TENANT_READER" && graceful["key"]?["tenant_id"] == .string(tenant))
            #expect(try await live.call("groups.list", ["tenant_id": .string(tenant)])["result"] != nil, "the old key works during the grace")
            let newToken = try #require(graceful["api_key"]?.stringValue)
            let fresh = try await RawConnection.authenticated(port: server.port, apiKey: newToken)

            let now = try await fx.result("api_keys.rotate", ["id": try #require(graceful["key"]?["id"]), "grace_seconds": 0])
            #expect(now["previous"]?["status"] == "EXPIRED")
            let refused = try await fresh.call("ping")
            #expect(refused["error"]?["code"] == -32001, "a key rotated with grace 0 stops at once")
            #expect(await fresh.waitForClose())
            let inactive = try await fx.error("api_keys.rotate", ["id": try #require(graceful["key"]?["id"])])
            #expect(inactive["data"]?["reason"] == "inactive")
            #expect(try await fx.error("api_keys.rotate", ["id": oldID, "grace_seconds": 604_801])["code"] == -32602)
            #expect(try await fx.error("api_keys.rotate", ["id": oldID])["data"]?["reason"] == "already_rotated", "a key is rotated once")
            await live.close()
            await fx.client.close()
        }
    }

    @Test func expiryIsEnforcedOnLiveConnections() async throws {
        try await TestServer.with { server in
            let fx = try await ConfigurationFixture.open(server)
            let tenant = try await fx.tenant("acme")
            let soon = Timestamp.now().adding(milliseconds: 6000)
            let created = try await fx.result(
                "api_keys.create",
                [
                    "name": "short", "role": "TENANT_READER", "tenant_id": .string(tenant), "expires_at": .string(soon.rfc3339),
                ])
            let live = try await RawConnection.authenticated(port: server.port, apiKey: try #require(created["api_key"]?.stringValue))
            #expect(try await live.call("ping")["result"] != nil)
            let left = soon.millisecondsSinceEpoch - Timestamp.now().millisecondsSinceEpoch
            try await Task.sleep(for: .milliseconds(max(0, left) + 100))
            #expect(try await live.call("ping")["error"]?["code"] == -32001)
            #expect(await live.waitForClose())
            await fx.client.close()
        }
    }
}

/// Canonical text of a JSON value, for "never contains" checks.
enum JSONValueText {
    static func of(_ value: JSONValue) -> String { "\(value)" }
}

/// Deleting a tenant ends its keys' sessions.
@Suite struct TenantDeletionKeyTests {
    @Test func deletingATenantClosesItsKeysConnections() async throws {
        try await TestServer.with { server in
            let fx = try await ConfigurationFixture.open(server)
            let tenant = try await fx.tenant("gone")
            let created = try await fx.result("api_keys.create", ["name": "partner", "role": "TENANT_ADMIN", "tenant_id": .string(tenant)])
            let token = try #require(created["api_key"]?.stringValue)
            let live = try await RawConnection.authenticated(port: server.port, apiKey: token)
            _ = try await fx.result("tenants.delete", ["id": .string(tenant), "cascade": true])
            #expect(await live.waitForClose())
            await #expect(throws: (any Error).self) { try await RawConnection.authenticated(port: server.port, apiKey: token) }
            await fx.client.close()
        }
    }
}
