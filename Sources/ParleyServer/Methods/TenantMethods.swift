import ParleyAuth
import ParleyModel
import ParleyProtocol

/// `tenants.create|get|list|update|delete`.
enum TenantMethods {
    static let all: [Method] = [
        Method("tenants.create", permission: .platformWrite) { context, params in
            var reader = ParamReader(params)
            let input = TenantInput.read(from: &reader)
            let seed = reader.bool("seed_blocked_file_types") ?? true
            let dryRun = reader.bool("dry_run") ?? false
            try reader.finish()
            return try await context.store.createTenant(input!, seedBlockedFileTypes: seed, dryRun: dryRun, audit: context.audit).json
        },
        Method(
            "tenants.get", permission: .tenantSelfRead,
            immediate: { context, params in
                let id = try tenantId(params)
                switch try context.store.tenantNow(id: id, readPoint: context.readPoint) {
                case .found(let tenant): return tenant.json
                case .missing: throw ConfigError.notFound(type: "tenant", id: id)
                case .unknown: return nil
                }
            }
        ) { context, params in
            let id = try tenantId(params)
            guard let tenant = try await context.store.tenant(id: id) else { throw ConfigError.notFound(type: "tenant", id: id) }
            return tenant.json
        },
        Method("tenants.list", permission: .tenantSelfRead) { context, params in
            var reader = ParamReader(params)
            let page = ListPage(reading: &reader, idPrefix: Tenant.idPrefix)
            try reader.finish()
            // A tenant-bound key lists its own tenant only (as a page of at most one).
            if let own = context.tenantScope {
                let tenant = page.afterID.map { $0 >= own } == true ? nil : try await context.store.tenant(id: own)
                return page.result(tenant.map { [$0] } ?? [], id: \.id, json: \.json)
            }
            let fetched = try await context.store.tenants(after: page.afterID, limit: page.limit + 1)
            return page.result(fetched, id: \.id, json: \.json)
        },
        Method("tenants.update", permission: .platformWrite) { context, params in
            var reader = ParamReader(params)
            let id = reader.string("id", required: true)
            let expected = reader.integer("expected_revision", in: 0...Int64.max)
            let dryRun = reader.bool("dry_run") ?? false
            let patch = TenantPatch.read(from: &reader)
            try reader.finish()
            return try await context.store.updateTenant(id: id!, expectedRevision: expected, patch: patch, dryRun: dryRun, audit: context.audit).json
        },
        Method("tenants.delete", permission: .platformWrite) { context, params in
            var reader = ParamReader(params)
            let id = reader.string("id", required: true)
            let expected = reader.integer("expected_revision", in: 0...Int64.max)
            let cascade = reader.bool("cascade") ?? false
            let dryRun = reader.bool("dry_run") ?? false
            try reader.finish()
            let revision = try await context.store.deleteTenant(
                id: id!, expectedRevision: expected, cascade: cascade, dryRun: dryRun, audit: context.audit)
            if !dryRun {
                // The tenant's keys went with it: forget them and close their connections.
                context.services.verifier.cache.invalidate(tenantId: id!)
                context.services.liveKeys.revokeAll(ofTenant: id!)
            }
            return ["id": .string(id!), "deleted": true, "revision": .int(revision)]
        },
    ]

    /// The `id` of a `tenants.get`, checked.
    private static func tenantId(_ params: [String: JSONValue]) throws -> String {
        var reader = ParamReader(params)
        let id = reader.string("id", required: true)
        try reader.finish()
        return id!
    }
}
