import GRDB
import ParleyModel
import ParleyStore

/// A row of the `audit_log` table.
struct AuditRecordRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "audit_log"

    var id: String
    var at: Int64
    var keyId: String?
    var tenantId: String?
    var method: String
    var targetType: String?
    var targetId: String?
    var outcome: String
    var errorCode: Int64?
    var revision: Int64?
    /// Canonical JSON of the changed members.
    var changes: String

    enum CodingKeys: String, CodingKey {
        case id, at, method, outcome, revision, changes
        case keyId = "key_id"
        case tenantId = "tenant_id"
        case targetType = "target_type"
        case targetId = "target_id"
        case errorCode = "error_code"
    }

    init(_ record: AuditRecord) {
        id = record.id
        at = record.at.millisecondsSinceEpoch
        keyId = record.keyId
        tenantId = record.tenantId
        method = record.method
        targetType = record.targetType
        targetId = record.targetId
        outcome = record.outcome.rawValue
        errorCode = record.errorCode
        revision = record.revision
        changes = JSONWriter.string(.object(record.changes))
    }

    init(row: Row) throws {
        id = row["id"]
        at = row["at"]
        keyId = row["key_id"]
        tenantId = row["tenant_id"]
        method = row["method"]
        targetType = row["target_type"]
        targetId = row["target_id"]
        outcome = row["outcome"]
        errorCode = row["error_code"]
        revision = row["revision"]
        changes = row["changes"]
    }

    /// Writes the columns by name: one audit row goes with every write, so this skips the
    /// slower Encodable path.
    func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["at"] = at
        container["key_id"] = keyId
        container["tenant_id"] = tenantId
        container["method"] = method
        container["target_type"] = targetType
        container["target_id"] = targetId
        container["outcome"] = outcome
        container["error_code"] = errorCode
        container["revision"] = revision
        container["changes"] = changes
    }

    /// Inserts the row through one cached statement, bound by position: one audit row goes
    /// with every write attempt, and GRDB's record insert builds a persistence container (a
    /// dictionary of the columns by name) and looks its statement up by schema each time, about
    /// a tenth of the writer's time in grouped creates (perf, cpu-clock).
    func insert(into db: Database) throws {
        // swift-format-ignore
        let statement = try db.cachedStatement(sql: """
            INSERT INTO audit_log (id, at, key_id, tenant_id, method, target_type, target_id, outcome, error_code, revision, changes)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        statement.setUncheckedArguments([id, at, keyId, tenantId, method, targetType, targetId, outcome, errorCode, revision, changes])
        try statement.execute()
    }

    func model() throws -> AuditRecord {
        guard let outcome = AuditRecord.Outcome(rawValue: outcome), let changes = try? JSONParser.parse(changes).objectValue else {
            throw StoreCorruption(reason: "audit record \(id) is unreadable")
        }
        return AuditRecord(
            id: id, at: Timestamp(millisecondsSinceEpoch: at), keyId: keyId, tenantId: tenantId, method: method,
            targetType: targetType, targetId: targetId, outcome: outcome, errorCode: errorCode, revision: revision, changes: changes)
    }
}
