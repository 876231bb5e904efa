import ParleyModel
import ParleyStore
import PostgresNIO

/// A unique key to claim for an object (``PostgresTransaction/claimKey(kind:scope:name:value:for:)``).
struct ClaimedKey {
    var kind: ResourceKind
    var scope: String
    var name: String
    var value: String
}

/// The statements the transaction builds from several values at once.
extension PostgresTransaction {
    /// Inserts a new object; with `key`, also claims that unique key in the same statement (a
    /// data-modifying `WITH`; the key's foreign key is checked at the end of the statement, when
    /// the row is there), and the statement's row count is the key's: 0 when another object holds
    /// it. With `announcing`, the statement first sets `parley.revision` to it for the
    /// change-log trigger (which runs at the end of the statement, after the setting).
    static func resourceInsert(
        _ resource: StoredResource, nameKey: String, claiming key: ClaimedKey? = nil, announcing revision: Int64? = nil
    ) -> PostgresQuery {
        var binds = PostgresBindings(capacity: 14)
        binds.append(resource.id)
        binds.append(resource.tenantId)
        binds.append(resource.kind.family)
        binds.append(nameKey)
        binds.append(JSONWriter.string(.object(resource.fields)))
        binds.append(JSONWriter.string(.object(resource.state)))
        binds.append(resource.revision)
        binds.append(resource.createdAt.millisecondsSinceEpoch)
        binds.append(resource.updatedAt.millisecondsSinceEpoch)
        // A CTE that is read runs; one that is not may not: the inserts select from it.
        var announced = ""
        var from = ""
        if let revision {
            binds.append(String(revision))
            announced = "announced AS (SELECT set_config('parley.revision', $\(binds.count), true)), "
            from = " FROM announced"
        }
        let insert = """
            INSERT INTO resources (id, tenant_id, kind, name_key, fields, state, revision, created_at, updated_at)
            SELECT $1, $2, $3, $4, $5, $6, $7::bigint, $8::bigint, $9::bigint\(key == nil ? from : "")
            """
        guard let key else { return PostgresQuery(unsafeSQL: announced.isEmpty ? insert : "WITH \(announced.dropLast(2)) \(insert)", binds: binds) }
        let first = binds.count + 1
        binds.append(key.kind.family)
        binds.append(key.scope)
        binds.append(key.name)
        binds.append(key.value)
        // swift-format-ignore
        return PostgresQuery(unsafeSQL: """
            WITH \(announced)inserted AS (\(insert))
            INSERT INTO resource_keys (kind, scope, name, value, resource_id)
            SELECT $\(first), $\(first + 1), $\(first + 2), $\(first + 3), $1\(from)
            ON CONFLICT DO NOTHING
            """, binds: binds)
    }

    /// Inserts audit records, many rows in one statement; with `revision`, also raises
    /// `store_revision` to it (no trigger on that table, so the order does not matter).
    static func auditInsert(_ records: [AuditRecord], raisingRevisionTo revision: Int64? = nil) -> PostgresQuery {
        let columns = 11
        var binds = PostgresBindings(capacity: records.count * columns)
        var rows: [String] = []
        rows.reserveCapacity(records.count)
        for record in records {
            let first = binds.count + 1
            binds.append(record.id)
            binds.append(record.at.millisecondsSinceEpoch)
            binds.append(record.keyId)
            binds.append(record.tenantId)
            binds.append(record.method)
            binds.append(record.targetType)
            binds.append(record.targetId)
            binds.append(record.outcome.rawValue)
            binds.append(record.errorCode)
            binds.append(record.revision)
            binds.append(JSONWriter.string(.object(record.changes)))
            rows.append("(" + (first..<first + columns).map { "$\($0)" }.joined(separator: ", ") + ")")
        }
        var raise = ""
        if let revision {
            binds.append(revision)
            raise = "WITH raised AS (UPDATE store_revision SET revision = $\(binds.count) WHERE id = 1) "
        }
        // swift-format-ignore
        return PostgresQuery(unsafeSQL: """
            \(raise)INSERT INTO audit_log (id, at, key_id, tenant_id, method, target_type, target_id, outcome, error_code, revision, changes)
            VALUES \(rows.joined(separator: ", "))
            """, binds: binds)
    }
}
