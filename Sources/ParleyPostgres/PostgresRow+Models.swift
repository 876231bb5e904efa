import ParleyModel
import ParleyStore
import PostgresNIO

/// The models from rows of Parley's tables (selected with `*`; columns read by name).
extension PostgresRow {
    func tenant() throws -> Tenant {
        let row = makeRandomAccess()
        return Tenant(
            id: try row["id"].decode(String.self), slug: try row["slug"].decode(String.self), name: try row["name"].decode(String.self),
            defaultLanguage: try row["default_language"].decode(String?.self), timezone: try row["timezone"].decode(String?.self),
            revision: try row["revision"].decode(Int64.self), createdAt: .init(millisecondsSinceEpoch: try row["created_at"].decode(Int64.self)),
            updatedAt: .init(millisecondsSinceEpoch: try row["updated_at"].decode(Int64.self)))
    }

    /// The object, or the read cache's copy when it keeps the object at this row's revision (no
    /// JSON to parse, and the wire form already written: one revision has one content).
    func resource(reusing cache: ReadCache) throws -> StoredResource {
        let row = makeRandomAccess()
        let id = try row["id"].decode(String.self)
        if let kept = cache.resources(at: [.init(id: id, revision: try row["revision"].decode(Int64.self))])[0],
            kept.tenantId == (try row["tenant_id"].decode(String.self)), kept.kind.family == (try row["kind"].decode(String.self))
        {
            return kept
        }
        return try resource().withWireForm()
    }

    func resource() throws -> StoredResource {
        let row = makeRandomAccess()
        let id = try row["id"].decode(String.self)
        let family = try row["kind"].decode(String.self)
        guard let kind = ResourceKind.all.first(where: { $0.family == family }) else {
            throw StoreCorruption(reason: "resource \(id) has unknown kind \(family)")
        }
        let fields = try? JSONParser.parse(try row["fields"].decode(String.self)).objectValue
        let state = try? JSONParser.parse(try row["state"].decode(String.self)).objectValue
        guard let fields, let state else { throw StoreCorruption(reason: "resource \(id) holds unreadable JSON") }
        return StoredResource(
            kind: kind, id: id, tenantId: try row["tenant_id"].decode(String.self), fields: fields, state: state,
            revision: try row["revision"].decode(Int64.self), createdAt: .init(millisecondsSinceEpoch: try row["created_at"].decode(Int64.self)),
            updatedAt: .init(millisecondsSinceEpoch: try row["updated_at"].decode(Int64.self)))
    }

    /// The key, or nil when its stored role is not one this version knows.
    func apiKey() throws -> APIKey? {
        let row = makeRandomAccess()
        guard let role = Role(rawValue: try row["role"].decode(String.self)) else { return nil }
        func stamp(_ column: String) throws -> Timestamp? {
            try row[column].decode(Int64?.self).map(Timestamp.init(millisecondsSinceEpoch:))
        }
        return APIKey(
            id: try row["id"].decode(String.self), secretHash: try row["secret_hash"].decode(String.self), role: role,
            tenantId: try row["tenant_id"].decode(String?.self), name: try row["name"].decode(String.self),
            createdAt: .init(millisecondsSinceEpoch: try row["created_at"].decode(Int64.self)), expiresAt: try stamp("expires_at"),
            revokedAt: try stamp("revoked_at"), lastUsedAt: try stamp("last_used_at"), createdBy: try row["created_by"].decode(String?.self),
            replacedBy: try row["replaced_by"].decode(String?.self), revision: try row["revision"].decode(Int64.self))
    }

    func auditRecord() throws -> AuditRecord {
        let row = makeRandomAccess()
        let id = try row["id"].decode(String.self)
        guard let outcome = AuditRecord.Outcome(rawValue: try row["outcome"].decode(String.self)),
            let changes = try? JSONParser.parse(try row["changes"].decode(String.self)).objectValue
        else { throw StoreCorruption(reason: "audit record \(id) is unreadable") }
        return AuditRecord(
            id: id, at: .init(millisecondsSinceEpoch: try row["at"].decode(Int64.self)), keyId: try row["key_id"].decode(String?.self),
            tenantId: try row["tenant_id"].decode(String?.self), method: try row["method"].decode(String.self),
            targetType: try row["target_type"].decode(String?.self), targetId: try row["target_id"].decode(String?.self), outcome: outcome,
            errorCode: try row["error_code"].decode(Int64?.self), revision: try row["revision"].decode(Int64?.self), changes: changes)
    }

    func changeEvent() throws -> ChangeEvent {
        let row = makeRandomAccess()
        return try ChangeEvent.logged(
            sequence: try row["seq"].decode(Int64.self), revision: try row["revision"].decode(Int64.self),
            tenantId: try row["tenant_id"].decode(String.self), family: try row["family"].decode(String.self),
            type: try row["type"].decode(String.self), id: try row["object_id"].decode(String.self),
            snapshot: try row["snapshot"].decode(String?.self))
    }
}
