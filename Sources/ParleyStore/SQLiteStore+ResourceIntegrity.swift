import GRDB
import ParleyModel

/// Unique keys and references: checked explicitly (for precise errors) and enforced by the schema.
extension SQLiteStore {
    static func requireTenant(_ tenantId: String, db: Database) throws {
        guard try db.fetchOneCached(Bool.self, "SELECT EXISTS (SELECT 1 FROM tenants WHERE id = ?)", [tenantId]) == true else { throw ConfigError.notFound(type: "tenant", id: tenantId) }
    }

    /// The object `id` of `kind` in `tenantId`; objects of other tenants are reported as not found.
    static func fetchResource(_ kind: ResourceKind, tenantId: String, id: String, db: Database) throws -> ResourceRecord {
        let record = try ResourceRecord.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM resources WHERE id = ? AND tenant_id = ? AND kind = ?"), arguments: [id, tenantId, kind.family])
        guard let record else {
            try requireTenant(tenantId, db: db)
            throw ConfigError.notFound(type: kind.type, id: id)
        }
        return record
    }

    /// Replaces the keys of object `id` (only those named in `names`, when given), failing with
    /// `already_exists` when another object holds one. A `new` object has no keys to replace.
    static func storeKeys(
        _ keys: [UniqueKey], kind: ResourceKind, tenantId: String, id: String, replacing names: Set<String>? = nil,
        new: Bool = false, db: Database
    ) throws {
        if new {
            // Nothing stored yet.
        } else if let names {
            for name in names {
                try db.executeCached("DELETE FROM resource_keys WHERE resource_id = ? AND name = ?", [id, name])
            }
        } else {
            try db.executeCached("DELETE FROM resource_keys WHERE resource_id = ?", [id])
        }
        for key in keys {
            let scope = key.scope == .global ? "*" : tenantId
            // Insert first (one statement in the usual case); only a clash looks up the holder.
            try db.executeCached(
                "INSERT OR IGNORE INTO resource_keys (kind, scope, name, value, resource_id) VALUES (?, ?, ?, ?, ?)",
                [kind.family, scope, key.name, key.value, id])
            guard db.changesCount == 0 else { continue }
            let holder = try db.fetchOneCached(
                String.self, "SELECT resource_id FROM resource_keys WHERE kind = ? AND scope = ? AND name = ? AND value = ?",
                [kind.family, scope, key.name, key.value]) ?? ""
            var details: [String: JSONValue] = ["field": .string(key.field)]
            if key.scope == .tenant { details["existing_id"] = .string(holder) }
            throw ConfigError.conflict(reason: "already_exists", message: key.message, details: details)
        }
    }

    /// Replaces the references of object `id`; each target must be an object of the same tenant.
    /// A `new` object has none to replace.
    static func storeReferences(_ references: [ResourceReference], tenantId: String, id: String, new: Bool = false, db: Database) throws {
        if !new { try db.executeCached("DELETE FROM resource_refs WHERE from_id = ?", [id]) }
        for reference in references {
            _ = try fetchResource(reference.kind, tenantId: tenantId, id: reference.id, db: db)
            try db.executeCached(
                "INSERT INTO resource_refs (from_id, field, to_id) VALUES (?, ?, ?)", [id, reference.field, reference.id])
        }
    }

    /// The objects referring to `id`, in id order.
    static func referrers(of id: String, db: Database) throws -> [ResourceLink] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT r.from_id, r.field, o.kind, json_extract(o.fields, '$.name') AS name
                FROM resource_refs r JOIN resources o ON o.id = r.from_id
                WHERE r.to_id = ? ORDER BY r.from_id, r.field
                """,
            arguments: [id])
        return rows.compactMap { row in
            let family: String = row["kind"]
            guard let kind = ResourceKind.all.first(where: { $0.family == family }) else { return nil }
            return ResourceLink(kind: kind, id: row["from_id"], name: row["name"], field: row["field"])
        }
    }

    /// The `in_use` conflict for deleting `id` while `referrers` point at it.
    static func inUse(_ kind: ResourceKind, id: String, referrers: [ResourceLink]) -> ConfigError {
        let noun = referrers.count == 1 ? "object refers" : "objects refer"
        return .conflict(
            reason: "in_use",
            message: "\(kind.type) \(id) cannot be deleted: \(referrers.count) \(noun) to it",
            details: ["referrers": .array(referrers.map(\.json))])
    }
}
