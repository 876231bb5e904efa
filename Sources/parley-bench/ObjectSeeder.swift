import ParleyClient
import ParleyModel

/// Makes sure the server stores at least `count` groups for the benchmark to read and update,
/// and returns where they are.
///
/// The groups live in tenants named `bench-objects-0`, `bench-objects-1`, … (5,000 each), made
/// with `config.apply` so that a million objects take minutes, not hours. Tenants that already
/// exist are reused and topped up, so a large population is seeded once per database and kept.
struct ObjectSeeder {
    static let perTenant = 5_000
    static let pageSize = 1_000

    let client: Client
    let count: Int
    let log: @Sendable (String) -> Void

    /// The seeded groups: (tenant id, group id) pairs, and the tenant ids.
    func run() async throws -> SeededObjects {
        var targets: [SeededObjects.Target] = []
        var tenants: [String] = []
        let tenantCount = (count + Self.perTenant - 1) / Self.perTenant
        let existing = try await tenantsBySlug()
        for index in 0..<tenantCount {
            let wanted = min(Self.perTenant, count - index * Self.perTenant)
            let tenantId = try await tenant(index, existing: existing)
            var ids = try await groupIds(tenantId)
            if ids.count < wanted {
                try await seed(tenantId, from: ids.count, to: wanted)
                ids = try await groupIds(tenantId)
            }
            tenants.append(tenantId)
            targets += ids.prefix(wanted).map { SeededObjects.Target(tenantId: tenantId, id: $0) }
            if tenantCount > 1, (index + 1) % 20 == 0 || index + 1 == tenantCount {
                log("seeded \(targets.count) of \(count) groups")
            }
        }
        return SeededObjects(targets: targets, tenantIds: tenants)
    }

    private func tenant(_ index: Int, existing: [String: String]) async throws -> String {
        let slug = "bench-objects-\(index)"
        if let id = existing[slug] { return id }
        let created = try await client.call(
            "tenants.create",
            [
                "slug": .string(slug), "name": .string("Benchmark objects \(index)"), "seed_blocked_file_types": false,
            ])
        return created["id"]!.stringValue!
    }

    private func tenantsBySlug() async throws -> [String: String] {
        var found: [String: String] = [:]
        try await pages("tenants.list", [:]) { item in
            if let slug = item["slug"]?.stringValue, let id = item["id"]?.stringValue { found[slug] = id }
        }
        return found
    }

    /// Calls a list method page by page, handing each item to `visit`.
    private func pages(_ method: String, _ params: [String: JSONValue], _ visit: (JSONValue) -> Void) async throws {
        var cursor: JSONValue = .null
        repeat {
            var call = params
            call["limit"] = .int(Int64(Self.pageSize))
            if cursor != .null { call["cursor"] = cursor }
            let page = try await client.call(method, call)
            for item in page["items"]?.arrayValue ?? [] { visit(item) }
            cursor = page["next_cursor"] ?? .null
        } while cursor != .null
    }

    /// Adds groups `from..<to` (by name) in pieces of 2,500, each one `config.apply`.
    private func seed(_ tenantId: String, from: Int, to: Int) async throws {
        var start = from
        while start < to {
            let end = min(to, start + 2_500)
            let groups: [JSONValue] = (start..<end).map { number in
                ["name": .string("group \(number)"), "queue_size": .int(Int64(number % 500 + 1))]
            }
            _ = try await client.call(
                "config.apply",
                [
                    "tenant_id": .string(tenantId), "document": ["version": 1, "groups": .array(groups)],
                ])
            start = end
        }
    }

    private func groupIds(_ tenantId: String) async throws -> [String] {
        var ids: [String] = []
        try await pages("groups.list", ["tenant_id": .string(tenantId)]) { item in
            if let id = item["id"]?.stringValue { ids.append(id) }
        }
        return ids
    }
}

/// Where the seeded groups are.
struct SeededObjects: Sendable {
    struct Target: Sendable {
        let tenantId: String
        let id: String
    }

    let targets: [Target]
    let tenantIds: [String]
}
