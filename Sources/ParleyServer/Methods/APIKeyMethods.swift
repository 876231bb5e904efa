import ParleyAuth
import ParleyModel
import ParleyProtocol
import ParleyStore

/// `api_keys.create|list|get|revoke|rotate`. Tokens appear only in the results of `create`
/// and `rotate`; nothing else (lists, audit records, logs) ever holds a secret or a hash.
enum APIKeyMethods {
    static let manage = Permission(level: .tenantAdmin, scope: .apiKey, mutates: true)
    static let all: [Method] = [
        Method(
            "api_keys.create",
            permission: Permission(
                level: .tenantAdmin, scope: .tenant(required: false), mutates: true,
                adminOnly: .init(param: "role", values: [Role.admin.rawValue])),
            handler: create),
        Method("api_keys.list", permission: Permission(level: .tenantAdmin, scope: .tenant(required: false), mutates: false), handler: list),
        Method("api_keys.get", permission: Permission(level: .tenantAdmin, scope: .apiKey, mutates: false), handler: get),
        Method("api_keys.revoke", permission: manage, handler: revoke),
        Method("api_keys.rotate", permission: manage, handler: rotate),
    ]

    static func create(_ context: RequestContext, _ params: CreateAPIKeyParams) async throws -> JSONValue {
        let dryRun = params.options.dryRun
        let expiry = KeyParams.capped(params.expiresAt, by: try await KeyParams.creatorLimit(context))
        let (key, token) = try await KeyParams.hashing(context, dryRun: dryRun) {
            try await context.services.verifier.issuer.issue(
                name: params.name, role: params.role, tenantId: params.tenantId, expiresAt: expiry, createdBy: context.session?.keyID,
                dryRun: dryRun, audit: context.audit)
        }
        return ["key": key.json(), "api_key": dryRun ? .null : .string(token.text)]
    }

    static func list(_ context: RequestContext, _ params: ListAPIKeysParams) async throws -> JSONValue {
        let tenantId = params.tenantId ?? context.tenantScope
        let page = params.page, status = params.status
        let now = Timestamp.now()
        var items: [APIKey] = []
        var after = page.afterID
        // Status depends on the clock, so it is filtered here, page by page.
        while items.count <= page.limit {
            let batch = try await context.store.apiKeys(tenantId: tenantId, after: after, limit: page.limit + 1)
            items += batch.filter { status == nil || $0.status(at: now) == status }
            guard batch.count == page.limit + 1, let last = batch.last else { break }
            after = last.id
        }
        return page.result(items, id: \.id, json: { $0.json(at: now) })
    }

    static func get(_ context: RequestContext, _ params: IDParams) async throws -> JSONValue {
        guard let key = try await context.store.apiKey(id: params.id) else { throw ConfigError.notFound(type: APIKey.auditType, id: params.id) }
        return key.json()
    }

    static func revoke(_ context: RequestContext, _ params: RevokeAPIKeyParams) async throws -> JSONValue {
        let id = params.id, options = params.options
        context.audit.assignTenant(try await context.store.apiKey(id: id)?.tenantId)
        let key = try await context.store.revokeAPIKey(id: id, expectedRevision: options.expectedRevision, dryRun: options.dryRun, audit: context.audit)
        if !options.dryRun {
            context.services.verifier.cache.invalidate(keyId: key.id)
            context.services.liveKeys.revoke(key.id, sparing: context.connection.channel)
        }
        return key.json()
    }

    static func rotate(_ context: RequestContext, _ params: RotateAPIKeyParams) async throws -> JSONValue {
        let id = params.id, dryRun = params.options.dryRun
        guard let current = try await context.store.apiKey(id: id) else { throw ConfigError.notFound(type: APIKey.auditType, id: id) }
        context.audit.assignTenant(current.tenantId)
        // A rotated key is a created key: it never outlives the key that made it, and neither
        // does the old key's grace period.
        let limit = try await KeyParams.creatorLimit(context)
        let now = Timestamp.now()
        let grace = params.graceSeconds
        let cappedGrace = limit.map { min(grace, max(0, ($0.millisecondsSinceEpoch - now.millisecondsSinceEpoch) / 1000)) } ?? grace
        let (replacement, token) = try await KeyParams.hashing(context, dryRun: dryRun) {
            try await context.services.verifier.issuer.make(
                name: current.name, role: current.role, tenantId: current.tenantId,
                expiresAt: KeyParams.capped(current.expiresAt, by: limit), createdBy: context.session?.keyID, hashing: !dryRun)
        }
        let (old, new) = try await context.store.rotateAPIKey(
            id: id, replacement: replacement, graceSeconds: cappedGrace, dryRun: dryRun, audit: context.audit)
        if !dryRun {
            context.services.verifier.cache.invalidate(keyId: old.id)
            context.services.liveKeys.expire(old.id, at: old.expiresAt)
        }
        return ["key": new.json(), "api_key": dryRun ? .null : .string(token.text), "previous": old.json()]
    }
}

/// What the key methods share: limits, the hashing budget, expiry.
enum KeyParams {
    static let defaultGraceSeconds: Int64 = 86_400
    static let maximumGraceSeconds: Int64 = 604_800

    /// Key operations one API key may have hashing at once (each costs an argon2 run).
    static let maximumHashingPerKey = 2
    private static let hashingByKey = HashingBudget(limit: maximumHashingPerKey)

    /// Runs `body`, which hashes a new secret in the argon2 pool's issuing lane; a full lane, or
    /// a caller with ``maximumHashingPerKey`` operations already running, is -32014. A dry run
    /// hashes nothing, so it draws on neither.
    static func hashing<Value>(_ context: RequestContext, dryRun: Bool, _ body: () async throws -> Value) async throws -> Value {
        if dryRun { return try await body() }
        let caller = context.session?.keyID ?? "-"
        guard hashingByKey.take(caller) else {
            throw RPCError.busy("this API key already has \(maximumHashingPerKey) key operations in progress; retry shortly")
        }
        defer { hashingByKey.give(caller) }
        do {
            return try await body()
        } catch is Argon2Pool.Saturated {
            throw RPCError.busy("too many key operations in progress; retry shortly")
        }
    }

    /// When the calling key expires (nil: never): a key it creates or rotates may not live longer.
    static func creatorLimit(_ context: RequestContext) async throws -> Timestamp? {
        guard let creatorID = context.session?.keyID else { return nil }
        return try await context.store.apiKey(id: creatorID)?.expiresAt
    }

    /// `expiry` no later than `limit`.
    static func capped(_ expiry: Timestamp?, by limit: Timestamp?) -> Timestamp? {
        guard let limit else { return expiry }
        return min(expiry ?? limit, limit)
    }

    /// `expires_at`: an RFC 3339 time in the future, or absent.
    static func expiry(_ reader: inout ParamReader) -> Timestamp? {
        guard let text = reader.string("expires_at") else { return nil }
        guard let time = Timestamp(rfc3339: text) else {
            reader.report("expires_at", "must be an RFC 3339 time such as 2027-01-31T12:00:00Z")
            return nil
        }
        guard time > .now() else {
            reader.report("expires_at", "must be in the future")
            return nil
        }
        return time
    }
}
