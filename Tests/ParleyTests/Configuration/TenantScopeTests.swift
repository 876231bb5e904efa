import ParleyModel
import ParleyTesting
import Testing

/// Keys bound to a tenant reach that tenant's configuration and nothing else.
@Suite struct TenantScopeTests {
    @Test func tenantKeysStayInTheirTenant() async throws {
        try await TestServer.with { server in
            let fx = try await ConfigurationFixture.open(server)
            let a = try await fx.tenant("tenant-a"), b = try await fx.tenant("tenant-b")
            let groupB = try await fx.group(b, "Secret")
            let reader = try await RawConnection.authenticated(port: server.port, apiKey: try await server.issueKey(role: .tenantReader, tenantId: a))
            let writer = try await RawConnection.authenticated(port: server.port, apiKey: try await server.issueKey(role: .tenantAdmin, tenantId: a))

            let created = try await writer.call("groups.create", ["tenant_id": .string(a), "name": "Sales"])
            #expect(created["result"]?["name"] == "Sales")
            #expect(try await reader.call("groups.list", ["tenant_id": .string(a)])["result"]?["items"]?.arrayValue?.count == 1)
            let denied = try await reader.call("groups.create", ["tenant_id": .string(a), "name": "Nope"])
            #expect(denied["error"]?["code"] == -32003)
            #expect(try await reader.call("files.check", ["tenant_id": .string(a), "file_name": "a.pdf"])["result"]?["allowed"] == true)

            // Another tenant is answered exactly like a tenant that does not exist.
            let unknown: JSONValue = "tnt_00000000000000000000000000"
            for connection in [reader, writer] {
                let other = try await connection.call("groups.get", ["tenant_id": .string(b), "id": .string(groupB)])
                let missing = try await connection.call("groups.get", ["tenant_id": unknown, "id": .string(groupB)])
                #expect(other["error"]?["code"] == -32004)
                #expect(other["error"]?["data"]?["type"] == missing["error"]?["data"]?["type"])
                #expect(other["error"]?["data"]?["type"] == "tenant")
                let write = try await connection.call("groups.create", ["tenant_id": .string(b), "name": "X"])
                #expect(write["error"]?["code"] == -32004)
            }
            #expect(try await writer.call("tenants.create", ["slug": "mine", "name": "Mine"])["error"]?["code"] == -32003)
            await reader.close()
            await writer.close()
            await fx.client.close()
        }
    }

    /// Partners need their tenant's timezone and default language: a tenant-bound key reads its
    /// own tenant, and no other (issue 15).
    @Test func aTenantBoundKeyReadsItsOwnTenantAndNoOther() async throws {
        try await TestServer.with { server in
            let fx = try await ConfigurationFixture.open(server)
            let a = try await fx.tenant("own-a"), b = try await fx.tenant("own-b")
            let admin = try await fx.client.call("tenants.get", ["id": .string(a)])
            for role in [Role.tenantReader, .tenantAdmin] {
                let key = try await RawConnection.authenticated(port: server.port, apiKey: try await server.issueKey(role: role, tenantId: a))
                let own = try await key.call("tenants.get", ["id": .string(a)])
                #expect(own["result"] == admin["result"], "the same tenant object an ADMIN key reads")
                let other = try await key.call("tenants.get", ["id": .string(b)])
                let missing = try await key.call("tenants.get", ["id": "tnt_00000000000000000000000000"])
                #expect(other["error"]?["code"] == -32004 && other["error"]?["data"]?["type"] == "tenant")
                let seen = JSONWriter.string(other["error"]!).replacingOccurrences(of: b, with: "tnt_00000000000000000000000000")
                #expect(seen == JSONWriter.string(missing["error"]!), "another tenant looks exactly like a missing one")
                let listed = try await key.call("tenants.list", ["limit": 10])
                #expect(listed["result"]?["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [a])
                #expect(listed["result"]?["next_cursor"] == .null)
                #expect(try await key.call("tenants.update", ["id": .string(a), "name": "Renamed"])["error"]?["code"] == -32003)
                await key.close()
            }
            await fx.client.close()
        }
    }
}
