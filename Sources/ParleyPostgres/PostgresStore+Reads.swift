import Logging
import ParleyModel
import ParleyStore
import PostgresNIO

/// Reads from the pool. Point reads of tenants and objects go through the read cache under the
/// consistent-read rule (``ConsistentReads``); lists, keys and audit records go to PostgreSQL.
extension PostgresStore {
    /// For statements whose logging postgres-nio would only repeat.
    static let silent = Logger(label: "parley.postgres.query", factory: { _ in SwiftLogNoOpLogHandler() })

    public func tenant(id: String) async throws -> Tenant? {
        try await cachedRead({ $0.tenant(id) }, keep: { cache, tenant, generation in cache.keep(tenant, generation: generation) }) { client in
            try await client.query("SELECT * FROM tenants WHERE id = \(id)").collect().first?.tenant()
        }
    }

    public func tenantNow(id: String, readPoint: Int64?) throws -> ImmediateLookup<Tenant> {
        cachedNow(readPoint: readPoint) { $0.tenant(id) }
    }

    public func tenants(after afterID: String?, limit: Int) async throws -> [Tenant] {
        try await onPool { client in
            try await client.query(
                """
                SELECT * FROM tenants WHERE \(afterID)::text IS NULL OR id > \(afterID) ORDER BY id LIMIT \(limit)
                """
            ).collect().map { try $0.tenant() }
        }
    }

    public func resource(_ kind: ResourceKind, tenantId: String, id: String) async throws -> StoredResource? {
        let cached: @Sendable (ReadCache) -> StoredResource? = { cache in
            guard let found = cache.resource(id), found.kind == kind, found.tenantId == tenantId else { return nil }
            return found
        }
        return try await cachedRead(cached, keep: { cache, resource, generation in cache.keep(resource, generation: generation) }) { client in
            let query: PostgresQuery = "SELECT * FROM resources WHERE id = \(id) AND tenant_id = \(tenantId) AND kind = \(kind.family)"
            if let found = try await client.query(query).collect().first { return try found.resource() }
            try await Self.requireTenant(tenantId, client: client)
            return nil
        }
    }

    public func resourceNow(_ kind: ResourceKind, tenantId: String, id: String, readPoint: Int64?) throws -> ImmediateLookup<StoredResource> {
        cachedNow(readPoint: readPoint) { cache in
            guard let found = cache.resource(id), found.kind == kind, found.tenantId == tenantId else { return nil }
            return found
        }
    }

    public func resources(_ kind: ResourceKind, tenantId: String, query: ResourceQuery) async throws -> [StoredResource] {
        let cache = readCache
        return try await onPool { client in
            try await Self.requireTenant(tenantId, client: client)
            var sql = "SELECT * FROM resources WHERE tenant_id = $1 AND kind = $2"
            var binds = PostgresBindings()
            binds.append(tenantId)
            binds.append(kind.family)
            if let after = query.afterID {
                binds.append(after)
                sql += " AND id > $\(binds.count)"
            }
            if let prefix = query.namePrefix {
                binds.append(prefix)
                sql += " AND starts_with(name_key, $\(binds.count))"
            }
            for filter in query.filters {
                binds.append(filter.member)
                let member = binds.count
                binds.append(filter.value)
                sql += " AND (\(filter.source.rawValue)::json ->> $\(member)) = $\(binds.count)"
            }
            binds.append(query.limit)
            sql += " ORDER BY id LIMIT $\(binds.count)"
            return try await client.query(PostgresQuery(unsafeSQL: sql, binds: binds)).collect().map { try $0.resource(reusing: cache) }
        }
    }

    static func requireTenant(_ tenantId: String, client: PostgresClient) async throws {
        let exists = try await client.query("SELECT EXISTS (SELECT 1 FROM tenants WHERE id = \(tenantId))").collect().first?.decode(Bool.self)
        guard exists == true else { throw ConfigError.notFound(type: "tenant", id: tenantId) }
    }

    public func documentSnapshot(tenantId: String) async throws -> (revision: Int64, tenant: Tenant?, resources: [StoredResource]) {
        try await onPool { client in
            try await client.withConnection { connection in
                // One snapshot for the revision, the tenant and its objects.
                try await connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: Self.silent)
                do {
                    let revision =
                        try await connection.query("SELECT revision FROM store_revision WHERE id = 1", logger: Self.silent)
                        .collect().first?.decode(Int64.self) ?? 0
                    let tenant = try await connection.query("SELECT * FROM tenants WHERE id = \(tenantId)", logger: Self.silent)
                        .collect().first?.tenant()
                    let resources = try await connection.query(
                        "SELECT * FROM resources WHERE tenant_id = \(tenantId) ORDER BY id", logger: Self.silent
                    ).collect().map { try $0.resource() }
                    try await connection.query("COMMIT", logger: Self.silent)
                    return (revision, tenant, resources)
                } catch {
                    _ = try? await connection.query("ROLLBACK", logger: Self.silent)
                    throw error
                }
            }
        }
    }

    // MARK: Keys

    public func apiKey(id: String) async throws -> APIKey? {
        try await onPool { client in try await client.query("SELECT * FROM api_keys WHERE id = \(id)").collect().first.flatMap { try $0.apiKey() } }
    }

    public func apiKeys(tenantId: String?, after afterID: String?, limit: Int) async throws -> [APIKey] {
        try await onPool { client in
            if let tenantId { try await Self.requireTenant(tenantId, client: client) }
            return try await client.query(
                """
                SELECT * FROM api_keys WHERE (\(tenantId)::text IS NULL OR tenant_id = \(tenantId))
                AND (\(afterID)::text IS NULL OR id > \(afterID)) ORDER BY id LIMIT \(limit)
                """
            ).collect().compactMap { try $0.apiKey() }
        }
    }

    public func usableAdminKeyCount(at time: Timestamp) async throws -> Int {
        try await onPool { client in
            // swift-format-ignore
            let count = try await client.query("""
                SELECT count(*) FROM api_keys WHERE role = \(Role.admin.rawValue) AND revoked_at IS NULL
                AND (expires_at IS NULL OR expires_at > \(time.millisecondsSinceEpoch))
                """).collect().first?.decode(Int64.self) ?? 0
            return Int(count)
        }
    }

    public func recordKeyUse(id: String, at time: Timestamp) async throws {
        _ = try await onPool { client in
            try await client.query("UPDATE api_keys SET last_used_at = \(time.millisecondsSinceEpoch) WHERE id = \(id)").collect()
        }
    }

    // MARK: Audit

    public func auditRecords(_ query: AuditQuery) async throws -> [AuditRecord] {
        try await onPool { client in
            try await client.query(
                """
                SELECT * FROM audit_log
                WHERE (\(query.tenantId)::text IS NULL OR tenant_id = \(query.tenantId))
                AND (\(query.keyId)::text IS NULL OR key_id = \(query.keyId))
                AND (\(query.method)::text IS NULL OR method = \(query.method))
                AND (\(query.since?.millisecondsSinceEpoch)::bigint IS NULL OR at >= \(query.since?.millisecondsSinceEpoch))
                AND (\(query.afterID)::text IS NULL OR id < \(query.afterID))
                ORDER BY id DESC LIMIT \(query.limit)
                """
            ).collect().map { try $0.auditRecord() }
        }
    }

    public func purgeAudit(before time: Timestamp) async throws -> Int {
        try await onPool { client in
            // swift-format-ignore
            let count = try await client.query("""
                WITH purged AS (DELETE FROM audit_log WHERE at < \(time.millisecondsSinceEpoch) RETURNING 1) SELECT count(*) FROM purged
                """).collect().first?.decode(Int64.self) ?? 0
            return Int(count)
        }
    }
}
