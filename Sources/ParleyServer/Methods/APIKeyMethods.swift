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
                adminOnly: .init(param: "role", values: [Role.admin.rawValue]))
        ) { context, params in
            var reader = ParamReader(params)
            let name = TextRules.displayText(reader.string("name", required: true), field: "name", lengths: 1...100, into: &reader)
            let role = reader.enumeration("role", Role.allCases.map(\.rawValue), required: true).flatMap(Role.init(rawValue:))
            let tenantId = reader.string("tenant_id") ?? context.tenantScope
            let requestedExpiry = KeyParams.expiry(&reader)
            let dryRun = reader.bool("dry_run") ?? false
            if let role {
                if role == .admin, tenantId != nil { reader.report("tenant_id", "must be absent for an ADMIN key (ADMIN keys are platform-wide)") }
                if role != .admin, tenantId == nil { reader.report("tenant_id", "is required for a \(role.rawValue) key") }
            }
            try reader.finish()
            // A key never outlives the key that created it (no way to extend one's own expiry).
            var expiry = requestedExpiry
            if let creatorID = context.session?.keyID, let limit = try await context.store.apiKey(id: creatorID)?.expiresAt {
                expiry = min(expiry ?? limit, limit)
            }
            let (key, token) = try await KeyParams.hashing { try await context.services.verifier.issuer.issue(
                name: name!, role: role!, tenantId: tenantId, expiresAt: expiry, createdBy: context.session?.keyID,
                dryRun: dryRun, audit: context.audit) }
            return ["key": key.json(), "api_key": dryRun ? .null : .string(token.text)]
        },
        Method("api_keys.list", permission: Permission(level: .tenantAdmin, scope: .tenant(required: false), mutates: false)) {
            context, params in
            var reader = ParamReader(params)
            let tenantId = reader.string("tenant_id") ?? context.tenantScope
            let status = reader.enumeration("status", ["ACTIVE", "EXPIRED", "REVOKED"])
            let page = ListPage(reading: &reader) { APIKeyToken.isKeyID($0) }
            try reader.finish()
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
        },
        Method("api_keys.get", permission: Permission(level: .tenantAdmin, scope: .apiKey, mutates: false)) { context, params in
            var reader = ParamReader(params)
            let id = reader.string("id", required: true)
            try reader.finish()
            guard let key = try await context.store.apiKey(id: id!) else { throw ConfigError.notFound(type: APIKey.auditType, id: id!) }
            return key.json()
        },
        Method("api_keys.revoke", permission: manage) { context, params in
            var reader = ParamReader(params)
            let id = reader.string("id", required: true)
            let expected = reader.integer("expected_revision", in: 0...Int64.max)
            let dryRun = reader.bool("dry_run") ?? false
            try reader.finish()
            context.audit.assignTenant(try await context.store.apiKey(id: id!)?.tenantId)
            let key = try await context.store.revokeAPIKey(id: id!, expectedRevision: expected, dryRun: dryRun, audit: context.audit)
            if !dryRun {
                context.services.verifier.cache.invalidate(keyId: key.id)
                context.services.liveKeys.revoke(key.id, sparing: context.connection.channel)
            }
            return key.json()
        },
        Method("api_keys.rotate", permission: manage) { context, params in
            var reader = ParamReader(params)
            let id = reader.string("id", required: true)
            let grace = reader.integer("grace_seconds", in: 0...KeyParams.maximumGraceSeconds) ?? KeyParams.defaultGraceSeconds
            let dryRun = reader.bool("dry_run") ?? false
            try reader.finish()
            guard let current = try await context.store.apiKey(id: id!) else { throw ConfigError.notFound(type: APIKey.auditType, id: id!) }
            context.audit.assignTenant(current.tenantId)
            let (replacement, token) = try await KeyParams.hashing {
                try await context.services.verifier.issuer.make(
                    name: current.name, role: current.role, tenantId: current.tenantId, expiresAt: current.expiresAt,
                    createdBy: context.session?.keyID)
            }
            let (old, new) = try await context.store.rotateAPIKey(
                id: id!, replacement: replacement, graceSeconds: grace, dryRun: dryRun, audit: context.audit)
            if !dryRun {
                context.services.verifier.cache.invalidate(keyId: old.id)
                context.services.liveKeys.expire(old.id, at: old.expiresAt)
            }
            return ["key": new.json(), "api_key": dryRun ? .null : .string(token.text), "previous": old.json()]
        },
    ]
}

/// Params shared by the key methods.
enum KeyParams {
    static let defaultGraceSeconds: Int64 = 86_400
    static let maximumGraceSeconds: Int64 = 604_800

    /// Runs `body`, which hashes a new secret on the bounded argon2 pool; a full pool is -32014.
    static func hashing<Value>(_ body: () async throws -> Value) async throws -> Value {
        do {
            return try await body()
        } catch is Argon2Pool.Saturated {
            throw RPCError.busy("too many key operations in progress; retry shortly")
        }
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
