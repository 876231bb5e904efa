import ParleyModel
import ParleyTesting
import Synchronization
import Testing

/// Reads are served from memory, but never stale once a write has been acknowledged.
@Suite struct ReadCacheTests {
    @Test func aReadAfterAnAcknowledgedWriteSeesIt() async throws {
        try await TestServer.with { server in
            let fx = try await ConfigurationFixture.open(server)
            let tenant = try await fx.tenant("fresh-reads", seed: false)
            let group = try await fx.group(tenant, "Sales")
            let readers = try await (0..<4).asyncMap { _ in try await RawConnection.authenticated(port: server.port, apiKey: server.adminKey) }
            // Readers keep the cache busy while the writer changes the group 100 times.
            let stop = ManagedFlag()
            let groupID = group
            let background = Task {
                await withTaskGroup(of: Void.self) { group in
                    for reader in readers {
                        group.addTask {
                            while !stop.isSet { _ = try? await reader.call("groups.get", ["tenant_id": .string(tenant), "id": .string(groupID)]) }
                        }
                    }
                }
            }
            for size in 1...100 {
                let updated = try await fx.result("groups.update", ["tenant_id": .string(tenant), "id": .string(group), "queue_size": .int(Int64(size))])
                #expect(updated["queue_size"]?.intValue == Int64(size))
                let read = try await fx.result("groups.get", ["tenant_id": .string(tenant), "id": .string(group)])
                #expect(read["queue_size"]?.intValue == Int64(size), "read after acknowledged write \(size)")
                let tenantRead = try await fx.result("tenants.get", ["id": .string(tenant)])
                #expect(tenantRead["revision"]?.intValue ?? 0 <= updated["revision"]?.intValue ?? 0)
            }
            stop.set()
            await background.value
            _ = try await fx.result("tenants.update", ["id": .string(tenant), "name": "Renamed"])
            #expect(try await fx.result("tenants.get", ["id": .string(tenant)])["name"] == "Renamed")
            for reader in readers { await reader.close() }
            await fx.client.close()
        }
    }

    /// A write drops exactly what it changed from memory, whatever path changed it: cascades
    /// and tenant deletion included.
    @Test func cascadesAndTenantDeletionAreNeverServedFromMemory() async throws {
        try await TestServer.with { server in
            let fx = try await ConfigurationFixture.open(server)
            let tenant = try await fx.tenant("cascades", seed: false)
            let group = try await fx.group(tenant, "Sales")
            let other = try await fx.group(tenant, "Support")
            let number = try await fx.number(tenant, "Main", phone: "+420601000111", group: group)
            let template = try await fx.template(tenant, number: number, name: "welcome")
            func get(_ family: String, _ id: String) async throws -> JSONValue {
                try await fx.result(family + ".get", ["tenant_id": .string(tenant), "id": .string(id)])
            }
            // Everything is read (and so kept in memory) first.
            for (family, id) in [("groups", group), ("groups", other), ("whatsapp_numbers", number), ("templates", template)] {
                _ = try await get(family, id)
            }
            _ = try await fx.result("groups.update", ["tenant_id": .string(tenant), "id": .string(other), "queue_size": 7])
            #expect(try await get("groups", other)["queue_size"] == 7)
            _ = try await fx.result("whatsapp_numbers.delete", ["tenant_id": .string(tenant), "id": .string(number), "cascade": true])
            let gone = try await fx.error("templates.get", ["tenant_id": .string(tenant), "id": .string(template)])
            #expect(gone["code"] == -32004, "the cascaded template is not served from memory")
            #expect(try await get("groups", group)["name"] == "Sales")
            _ = try await fx.result("tenants.delete", ["id": .string(tenant), "cascade": true])
            #expect(try await fx.error("groups.get", ["tenant_id": .string(tenant), "id": .string(group)])["code"] == -32004)
            #expect(try await fx.error("tenants.get", ["id": .string(tenant)])["code"] == -32004)
            await fx.client.close()
        }
    }

    /// A list answers with the objects kept in memory only at the revision it read from the
    /// database: after an acknowledged write, every page shows the write, on the event-loop path
    /// (an index range) and on the task path (a name prefix) alike.
    @Test func aListAfterAnAcknowledgedWriteSeesIt() async throws {
        try await TestServer.with { server in
            let fx = try await ConfigurationFixture.open(server)
            let tenant = try await fx.tenant("fresh-lists", seed: false)
            var groups: [String] = []
            for index in 0..<5 { groups.append(try await fx.group(tenant, "Queue \(index)")) }
            for size in 1...30 {
                let target = groups[size % groups.count]
                _ = try await fx.result("groups.update", ["tenant_id": .string(tenant), "id": .string(target), "queue_size": .int(Int64(size))])
                for params: [String: JSONValue] in [["tenant_id": .string(tenant)], ["tenant_id": .string(tenant), "name_prefix": "queue"]] {
                    let page = try await fx.result("groups.list", params)["items"]?.arrayValue ?? []
                    #expect(page.count == 5)
                    let listed = page.first { $0["id"]?.stringValue == target }
                    #expect(listed?["queue_size"]?.intValue == Int64(size), "list after acknowledged write \(size) \(params)")
                    // And the kept copy answers a get with the same object.
                    #expect(try await fx.result("groups.get", ["tenant_id": .string(tenant), "id": .string(target)]) == listed)
                }
            }
            await fx.client.close()
        }
    }

    /// Reads answered from memory on the event loop are byte for byte the answers the store
    /// path gives, errors included.
    @Test func answersFromMemoryAreTheStoresAnswers() async throws {
        try await TestServer.with { server in
            let fx = try await ConfigurationFixture.open(server)
            let tenant = try await fx.tenant("memory", seed: false)
            let group = try await fx.group(tenant, "Sales")
            let connection = try await RawConnection.authenticated(port: server.port, apiKey: server.adminKey)
            func raw(_ method: String, _ params: [String: JSONValue]) async throws -> [UInt8] {
                try await connection.send(RawConnection.frame(ParleyProtocolBytes.request(id: 7, method: method, params: params)))
                return try await connection.readFramePayload()
            }
            let calls: [(String, [String: JSONValue])] = [
                ("groups.get", ["tenant_id": .string(tenant), "id": .string(group)]),
                ("tenants.get", ["id": .string(tenant)]),
                ("groups.get", ["tenant_id": .string(tenant), "id": .string(group), "extra": 1]),
                ("groups.get", ["tenant_id": .string(tenant), "id": "grp_missing"]),
                ("groups.list", ["tenant_id": .string(tenant)]),
                ("groups.list", ["tenant_id": .string(tenant), "limit": 1]),
                ("groups.list", ["tenant_id": .string(tenant), "name_prefix": "sa"]),
                ("groups.list", ["tenant_id": "ten_missing"]),
                ("groups.list", ["tenant_id": .string(tenant), "limit": 0]),
                ("ping", [:]),
            ]
            for (method, params) in calls {
                _ = try await fx.result("groups.update", ["tenant_id": .string(tenant), "id": .string(group), "enabled": false])
                let fromStore = try await raw(method, params)  // the write emptied memory of the group
                let fromMemory = try await raw(method, params)
                #expect(fromStore == fromMemory, "\(method) \(params)")
                _ = try await fx.result("groups.update", ["tenant_id": .string(tenant), "id": .string(group), "enabled": true])
            }
            await connection.close()
            await fx.client.close()
        }
    }
}

/// A flag set once, read from several tasks.
final class ManagedFlag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}
