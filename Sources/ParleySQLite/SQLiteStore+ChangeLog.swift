import GRDB
import ParleyModel
import ParleyStore

extension SQLiteStore {
    /// Logged changes after position `sequence` that match `filter`, oldest first, at most `limit`.
    public func changes(after sequence: Int64, matching filter: ChangeFilter, limit: Int) async throws -> [ChangeEvent] {
        try await pool.read { db in
            var sql = "SELECT * FROM change_log WHERE seq > ?"
            var arguments: StatementArguments = [sequence]
            if let tenantId = filter.tenantId {
                sql += " AND tenant_id = ?"
                arguments += [tenantId]
            }
            if let families = filter.families {
                sql += " AND family IN (\(families.map { _ in "?" }.joined(separator: ", ")))"
                arguments += StatementArguments(families.sorted())
            }
            sql += " ORDER BY seq LIMIT ?"
            arguments += [limit]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.event)
        }
    }

    /// The log position of the last change at or before `revision` (where a watch from it starts),
    /// or `.gone(compactRevision)` when that part of the history was already compacted away.
    public func changePosition(atRevision revision: Int64) async throws -> ChangePosition {
        try await pool.read { db in
            let compact = try Int64.fetchOne(db, sql: "SELECT compact_revision FROM change_log_state WHERE id = 1") ?? 0
            guard revision >= compact else { return .gone(compactRevision: compact) }
            let position = try Int64.fetchOne(db, sql: "SELECT max(seq) FROM change_log WHERE revision <= ?", arguments: [revision])
            return .at(sequence: position ?? 0, revision: try Self.revision(db))
        }
    }

    /// Drops history older than both `keepRevisions` revisions and `time`; returns how many changes went.
    public func compactChanges(keepRevisions: Int64, olderThan time: Timestamp) async throws -> Int {
        try await pool.write { db in
            let limit = try Self.revision(db) - keepRevisions
            let last = try Int64.fetchOne(
                db, sql: "SELECT max(revision) FROM change_log WHERE revision <= ? AND at < ?",
                arguments: [limit, time.millisecondsSinceEpoch])
            guard let last else { return 0 }
            try db.execute(sql: "DELETE FROM change_log WHERE revision <= ?", arguments: [last])
            let removed = db.changesCount
            try db.execute(sql: "UPDATE change_log_state SET compact_revision = max(compact_revision, ?) WHERE id = 1", arguments: [last])
            return removed
        }
    }

    private static func event(_ row: Row) throws -> ChangeEvent {
        try ChangeEvent.logged(
            sequence: row["seq"], revision: row["revision"], tenantId: row["tenant_id"], family: row["family"], type: row["type"],
            id: row["object_id"], snapshot: row["snapshot"])
    }
}
