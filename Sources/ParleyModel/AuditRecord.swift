/// One entry of the audit log: an attempt to change something, whatever its outcome.
public struct AuditRecord: Sendable, Hashable {
    /// What became of the attempt. Wire values are UPPER_SNAKE.
    public enum Outcome: String, Sendable, Hashable, CaseIterable {
        /// Committed; `revision` is the new store revision.
        case applied = "APPLIED"
        /// Valid, but it would change nothing; nothing was committed.
        case unchanged = "UNCHANGED"
        /// A dry run: every check ran, nothing was committed.
        case dryRun = "DRY_RUN"
        /// Refused by validation, a conflict or a missing object (`error_code` says which).
        case failed = "FAILED"
        /// Refused because the key's role or tenant does not allow it.
        case denied = "DENIED"
    }

    public var id: String
    public var at: Timestamp
    /// The key that made the call; nil for the server itself (`parleyd init`, first start).
    public var keyId: String?
    /// The tenant the change concerns, when there is one.
    public var tenantId: String?
    public var method: String
    public var targetType: String?
    public var targetId: String?
    public var outcome: Outcome
    /// The JSON-RPC error code when the attempt failed or was denied.
    public var errorCode: Int64?
    /// The store revision the change created (APPLIED only).
    public var revision: Int64?
    /// Changed members: name -> `{"before": ..., "after": ...}`. Never holds secrets or hashes.
    public var changes: [String: JSONValue]

    /// The id prefix of audit records.
    public static let idPrefix = "aud"

    public init(
        id: String, at: Timestamp, keyId: String?, tenantId: String?, method: String, targetType: String?, targetId: String?,
        outcome: Outcome, errorCode: Int64? = nil, revision: Int64? = nil, changes: [String: JSONValue] = [:]
    ) {
        self.id = id
        self.at = at
        self.keyId = keyId
        self.tenantId = tenantId
        self.method = method
        self.targetType = targetType
        self.targetId = targetId
        self.outcome = outcome
        self.errorCode = errorCode
        self.revision = revision
        self.changes = changes
    }

    /// The wire form.
    public var json: JSONValue {
        [
            "id": .string(id), "at": .string(at.rfc3339), "key_id": .optional(keyId), "tenant_id": .optional(tenantId),
            "method": .string(method), "target_type": .optional(targetType), "target_id": .optional(targetId),
            "outcome": .string(outcome.rawValue), "error_code": errorCode.map(JSONValue.int) ?? .null,
            "revision": revision.map(JSONValue.int) ?? .null, "changes": .object(changes),
        ]
    }

    /// The members that differ between `before` and `after` (either may be nil: a creation or a deletion).
    /// A member missing on one side counts as null there.
    public static func changes(before: [String: JSONValue]?, after: [String: JSONValue]?) -> [String: JSONValue] {
        // A creation or a deletion records every member, with no comparing (one audit record goes
        // with every write, and most writes are creations).
        guard let before, let after else {
            let members = before ?? after ?? [:]
            var changes = [String: JSONValue](minimumCapacity: members.count)
            for (name, value) in members {
                changes[name] = before == nil ? ["before": .null, "after": value] : ["before": value, "after": .null]
            }
            return changes
        }
        var changes: [String: JSONValue] = [:]
        for (name, new) in after {
            let old = before[name] ?? .null
            if old != new { changes[name] = ["before": old, "after": new] }
        }
        for (name, old) in before where after[name] == nil && old != .null {
            changes[name] = ["before": old, "after": .null]
        }
        return changes
    }
}
