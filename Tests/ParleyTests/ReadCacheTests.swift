import ParleyModel
import Synchronization
import ParleyTesting
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
}

/// A flag set once, read from several tasks.
final class ManagedFlag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}
