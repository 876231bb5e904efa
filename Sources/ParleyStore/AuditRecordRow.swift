import GRDB
import ParleyModel
import ParleyProtocol

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

    func model() throws -> AuditRecord {
        guard let outcome = AuditRecord.Outcome(rawValue: outcome), let changes = try? JSONParser.parse(changes).objectValue else {
            throw StoreCorruption(reason: "audit record \(id) is unreadable")
        }
        return AuditRecord(
            id: id, at: Timestamp(millisecondsSinceEpoch: at), keyId: keyId, tenantId: tenantId, method: method,
            targetType: targetType, targetId: targetId, outcome: outcome, errorCode: errorCode, revision: revision, changes: changes)
    }
}
