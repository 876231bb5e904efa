import ParleyAuth
import ParleyModel
import ParleyProtocol

/// `tenants.create|get|list|update|delete`.
enum TenantMethods {
    static let all: [Method] = [
        Method("tenants.create", permission: .platformWrite, handler: create),
        Method("tenants.get", permission: .tenantSelfRead, immediate: getNow, immediateAtReadPoint: true, handler: get),
        Method("tenants.list", permission: .tenantSelfRead, handler: list),
        Method("tenants.update", permission: .platformWrite, handler: update),
        Method("tenants.delete", permission: .platformWrite, handler: delete),
    ]

    static func create(_ context: RequestContext, _ params: CreateTenantParams) async throws -> JSONValue {
        try await context.store.createTenant(
            params.input, seedBlockedFileTypes: params.seedBlockedFileTypes, dryRun: params.options.dryRun, audit: context.audit
        ).json
    }

    /// `tenants.get` from memory, when the store has the answer at hand.
    static func getNow(_ context: RequestContext, _ params: IDParams) throws -> JSONValue? {
        switch try context.store.tenantNow(id: params.id, readPoint: context.readPoint) {
        case .found(let tenant): return tenant.json
        case .missing: throw ConfigError.notFound(type: "tenant", id: params.id)
        case .unknown: return nil
        }
    }

    static func get(_ context: RequestContext, _ params: IDParams) async throws -> JSONValue {
        guard let tenant = try await context.store.tenant(id: params.id) else { throw ConfigError.notFound(type: "tenant", id: params.id) }
        return tenant.json
    }

    static func list(_ context: RequestContext, _ params: ListTenantsParams) async throws -> JSONValue {
        let page = params.page
        // A tenant-bound key lists its own tenant only (as a page of at most one).
        if let own = context.tenantScope {
            let tenant = page.afterID.map { $0 >= own } == true ? nil : try await context.store.tenant(id: own)
            return page.result(tenant.map { [$0] } ?? [], id: \.id, json: \.json)
        }
        let fetched = try await context.store.tenants(after: page.afterID, limit: page.limit + 1)
        return page.result(fetched, id: \.id, json: \.json)
    }

    static func update(_ context: RequestContext, _ params: UpdateTenantParams) async throws -> JSONValue {
        try await context.store.updateTenant(
            id: params.id, expectedRevision: params.options.expectedRevision, patch: params.patch, dryRun: params.options.dryRun,
            audit: context.audit
        ).json
    }

    static func delete(_ context: RequestContext, _ params: DeleteTenantParams) async throws -> JSONValue {
        let id = params.id, options = params.options
        let revision = try await context.store.deleteTenant(
            id: id, expectedRevision: options.expectedRevision, cascade: options.cascade, dryRun: options.dryRun, audit: context.audit)
        if !options.dryRun {
            // The tenant's keys went with it: forget them and close their connections.
            context.services.verifier.cache.invalidate(tenantId: id)
            context.services.liveKeys.revokeAll(ofTenant: id)
        }
        return ["id": .string(id), "deleted": true, "revision": .int(revision)]
    }
}
