import ParleyModel

/// What `config.apply` will do: objects to create, update and delete, each named by its natural key.
struct ApplyPlan: Sendable {
    struct Create: Sendable {
        var kind: ResourceKind
        var id: String
        var content: any ResourceContent
        var item: [String: JSONValue]
        var linkValue: JSONValue
    }

    struct Update: Sendable {
        var current: StoredResource
        var content: any ResourceContent
        var linkValue: JSONValue
        var changes: [String: JSONValue]
    }

    var creates: [Create] = []
    var updates: [Update] = []
    var deletes: [DocumentState.Entry] = []
    var tenantPatch = TenantPatch()
    var tenantChanges: [String: JSONValue] = [:]
    var warnings: [ValidationIssue] = []

    var isEmpty: Bool { creates.isEmpty && updates.isEmpty && deletes.isEmpty && tenantChanges.isEmpty }

    /// The wire form `{"create": [...], "update": [...], "delete": [...], "revision": n}`.
    func json(revision: Int64) -> JSONValue {
        var result: [String: JSONValue] = [
            "create": .array(creates.map { ["family": .string($0.kind.family), "key": $0.linkValue, "object": .object($0.item)] }),
            "update": .array(
                updates.map { ["family": .string($0.current.kind.family), "key": $0.linkValue, "changes": .object($0.changes)] }
                    + (tenantChanges.isEmpty ? [] : [["family": "tenant", "key": nil, "changes": .object(tenantChanges)]])),
            "delete": .array(deletes.map { ["family": .string($0.resource.kind.family), "key": $0.linkValue] }),
            "revision": .int(revision),
        ]
        if !warnings.isEmpty { result["warnings"] = .array(warnings.map(\.json)) }
        return .object(result)
    }

    /// Member-wise differences `{field: [old, new]}` of two items.
    static func changes(from old: [String: JSONValue], to new: [String: JSONValue]) -> [String: JSONValue] {
        var changes: [String: JSONValue] = [:]
        for name in Set(old.keys).union(new.keys) where old[name] != new[name] {
            changes[name] = [old[name] ?? .null, new[name] ?? .null]
        }
        return changes
    }
}
