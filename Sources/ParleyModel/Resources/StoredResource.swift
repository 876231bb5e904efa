/// A configuration object as stored: its content document, server-kept state and bookkeeping.
public struct StoredResource: Sendable, Hashable {
    public var kind: ResourceKind
    public var id: String
    public var tenantId: String
    /// The editable fields (``ResourceContent/fields``).
    public var fields: [String: JSONValue]
    /// Members the server keeps that `update` cannot set (a template's `status`, say).
    public var state: [String: JSONValue]
    /// Store revision of the last change.
    public var revision: Int64
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(
        kind: ResourceKind, id: String, tenantId: String, fields: [String: JSONValue], state: [String: JSONValue] = [:],
        revision: Int64, createdAt: Timestamp, updatedAt: Timestamp
    ) {
        self.kind = kind
        self.id = id
        self.tenantId = tenantId
        var fields = fields
        for (name, value) in kind.laterFields where fields[name] == nil { fields[name] = value }
        self.fields = fields
        var state = state
        for (name, value) in kind.laterState where state[name] == nil { state[name] = value }
        self.state = state
        self.revision = revision
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The wire form: `id`, `tenant_id`, the fields, the state, `revision`, `created_at`, `updated_at`.
    public var json: JSONValue {
        var members = fields
        members.merge(state) { _, kept in kept }
        members["id"] = .string(id)
        members["tenant_id"] = .string(tenantId)
        members["revision"] = .int(revision)
        members["created_at"] = .string(createdAt.rfc3339)
        members["updated_at"] = .string(updatedAt.rfc3339)
        return .object(members)
    }
}
