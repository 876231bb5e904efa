import ParleyModel
import ParleyTesting
import Testing

/// Reads, lists and writes at once from many connections: every call is answered (a read path
/// that blocked the cooperative threads while waiting for a database reader once deadlocked
/// exactly this mix, found by the benchmark harness).
@Suite struct MixedLoadTests {
    @Test func concurrentReadsListsAndWritesAllComplete() async throws {
        try await TestServer.with { server in
            let fx = try await ConfigurationFixture.open(server)
            let tenant = try await fx.tenant("mixed", seed: false)
            var groups: [String] = []
            for index in 0..<20 { groups.append(try await fx.group(tenant, "group \(index)")) }
            let clients = try await (0..<16).asyncMap { _ in try await RawConnection.authenticated(port: server.port, apiKey: server.adminKey) }
            let ids = groups
            let answered = try await withThrowingTaskGroup(of: Int.self) { group in
                for (index, client) in clients.enumerated() {
                    group.addTask {
                        var answered = 0
                        for step in 0..<40 {
                            let id = JSONValue.string(ids[(index + step) % ids.count])
                            let response: JSONValue
                            switch step % 4 {
                            case 0: response = try await client.call("groups.list", ["tenant_id": .string(tenant), "limit": 50])
                            case 1:
                                response = try await client.call(
                                    "groups.update", ["tenant_id": .string(tenant), "id": id, "queue_size": .int(Int64(step + 1))])
                            case 2: response = try await client.call("groups.create", ["tenant_id": .string(tenant), "name": .string("new \(index)-\(step)")])
                            default: response = try await client.call("groups.get", ["tenant_id": .string(tenant), "id": id])
                            }
                            if response["result"] != nil { answered += 1 }
                        }
                        return answered
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(answered == 16 * 40)
            for client in clients { await client.close() }
            await fx.client.close()
        }
    }
}
