import ParleyModel
import ParleyProtocol
import ParleyServer
import ParleyTesting
import Testing

/// Every method x every role x (own tenant, other tenant, missing object), checked against
/// ``AccessTable``: the whole isolation matrix over real TCP.
@Suite struct AccessMatrixTests {
    enum Expect: Equatable, CustomStringConvertible {
        case ok, forbidden
        case notFound(String)

        var description: String {
            switch self {
            case .ok: "a result"
            case .forbidden: "-32003"
            case .notFound(let type): "-32004 \(type)"
            }
        }
    }

    static func expected(_ rule: AccessTable.Rule, role: Role, target: AccessMatrixFixture.Target) -> Expect {
        let missing: Expect = target == .missing ? rule.objectType.map(Expect.notFound) ?? .ok : .ok
        if rule.objectType == "subscription" { return .notFound("subscription") }  // no subscription of this connection is named
        if rule.need <= .authenticated { return .ok }
        if role == .admin { return missing }
        switch rule.scope {
        case .platform:
            return .forbidden
        case .tenant:
            if target == .other { return .notFound("tenant") }
            return AccessTable.Need(role) < rule.need ? .forbidden : missing
        case .ownTenant:
            if target == .other, rule.objectType != nil { return .notFound("tenant") }
            return AccessTable.Need(role) < rule.need ? .forbidden : missing
        case .key:
            if target != .own { return .notFound("api_key") }
            return AccessTable.Need(role) < rule.need ? .forbidden : .ok
        }
    }

    static func outcome(_ response: JSONValue) -> Expect? {
        if response["result"] != nil { return .ok }
        switch response["error"]?["code"]?.intValue {
        case -32003: return .forbidden
        case -32004: return .notFound(response["error"]?["data"]?["type"]?.stringValue ?? "?")
        default: return nil
        }
    }

    @Test func everyMethodEveryRoleEveryTarget() async throws {
        try await TestServer.with { server in
            let fx = try await ConfigurationFixture.open(server)
            let matrix = try await AccessMatrixFixture.build(fx)
            let table = AccessTable.rules
            #expect(Set(table.keys) == Set(Server.methods.names), "the table and the served methods must list the same methods")
            let keys: [(Role, String)] = [
                (.admin, server.adminKey),
                (.tenantAdmin, try await server.issueKey(role: .tenantAdmin, tenantId: matrix.a.id)),
                (.tenantReader, try await server.issueKey(role: .tenantReader, tenantId: matrix.a.id)),
            ]
            var cells = 0
            for (role, key) in keys {
                let client = try await RawConnection.authenticated(port: server.port, apiKey: key)
                for method in Server.methods.names.sorted() where method != "hello" {
                    let rule = try #require(table[method])
                    for target in AccessMatrixFixture.Target.allCases {
                        let response = try await client.call(method, matrix.params(method, target: target))
                        let want = Self.expected(rule, role: role, target: target)
                        #expect(Self.outcome(response) == want, "\(method) as \(role.rawValue) on \(target): want \(want), got \(response)")
                        if role != .admin, target == .other, want == .notFound("tenant") {
                            var probe = matrix.params(method, target: .other)
                            probe[method.hasPrefix("tenants.") ? "id" : "tenant_id"] = .string(AccessMatrixFixture.missingTenant)
                            let missing = try await client.call(method, probe)
                            let seen = JSONWriter.string(response["error"]!).replacingOccurrences(of: matrix.b.id, with: AccessMatrixFixture.missingTenant)
                            #expect(seen == JSONWriter.string(missing["error"]!), "another tenant must look exactly like a missing one: \(method)")
                        }
                        cells += 1
                    }
                }
                await client.close()
            }
            #expect(cells == 3 * 3 * (Server.methods.names.count - 1))
            let unknown = try await fx.client.call("groups.purge", ["tenant_id": .string(matrix.a.id)])
            #expect(unknown["error"]?["code"] == -32601, "a method missing from the table cannot be called")
            await fx.client.close()
        }
    }
}
