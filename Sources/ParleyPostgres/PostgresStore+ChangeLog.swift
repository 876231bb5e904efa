import ParleyModel
import ParleyStore
import PostgresNIO

/// The change log (written by the triggers of every replica's writes), read by `watch`.
extension PostgresStore {
    public func changes(after sequence: Int64, matching filter: ChangeFilter, limit: Int) async throws -> [ChangeEvent] {
        try await onPool { client in
            var binds = PostgresBindings()
            binds.append(sequence)
            var sql = "SELECT * FROM change_log WHERE seq > $1"
            if let tenantId = filter.tenantId {
                binds.append(tenantId)
                sql += " AND tenant_id = $\(binds.count)"
            }
            if let families = filter.families {
                binds.append(families.sorted())
                sql += " AND family = ANY($\(binds.count))"
            }
            binds.append(limit)
            sql += " ORDER BY seq LIMIT $\(binds.count)"
            return try await client.query(PostgresQuery(unsafeSQL: sql, binds: binds)).collect().map { try $0.changeEvent() }
        }
    }

    public func changePosition(atRevision revision: Int64) async throws -> ChangePosition {
        try await onPool { client in
            let row = try await client.query(
                """
                SELECT (SELECT compact_revision FROM change_log_state WHERE id = 1),
                       (SELECT coalesce(max(seq), 0) FROM change_log WHERE revision <= \(revision)),
                       (SELECT revision FROM store_revision WHERE id = 1)
                """
            ).collect().first
            guard let (compact, position, current) = try row?.decode((Int64, Int64, Int64).self) else { return .at(sequence: 0, revision: 0) }
            guard revision >= compact else { return .gone(compactRevision: compact) }
            return .at(sequence: position, revision: current)
        }
    }

    public func compactChanges(keepRevisions: Int64, olderThan time: Timestamp) async throws -> Int {
        try await onPool { client in
            // swift-format-ignore
            let count = try await client.query("""
                WITH last AS (
                    SELECT max(revision) AS revision FROM change_log
                    WHERE revision <= (SELECT revision FROM store_revision WHERE id = 1) - \(keepRevisions)
                    AND at < \(time.millisecondsSinceEpoch)
                ), removed AS (
                    DELETE FROM change_log WHERE revision <= (SELECT revision FROM last) RETURNING 1
                ), marked AS (
                    UPDATE change_log_state SET compact_revision = greatest(compact_revision, (SELECT revision FROM last))
                    WHERE id = 1 AND (SELECT revision FROM last) IS NOT NULL RETURNING 1
                )
                SELECT count(*) FROM removed
                """).collect().first?.decode(Int64.self) ?? 0
            return Int(count)
        }
    }
}
