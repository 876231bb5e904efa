/// A configuration object as stored: its content document, server-kept state and bookkeeping.
public struct StoredResource: Sendable, Hashable {
    // Every stored property drops the wire form when it changes (didSet), so that it never
    // outlives the values it was written from.
    public var kind: ResourceKind { didSet { wireForm = nil } }
    public var id: String { didSet { wireForm = nil } }
    public var tenantId: String { didSet { wireForm = nil } }
    /// The editable fields (``ResourceContent/fields``).
    public var fields: [String: JSONValue] { didSet { wireForm = nil } }
    /// Members the server keeps that `update` cannot set (a template's `status`, say).
    public var state: [String: JSONValue] { didSet { wireForm = nil } }
    /// Store revision of the last change.
    public var revision: Int64 { didSet { wireForm = nil } }
    public var createdAt: Timestamp { didSet { wireForm = nil } }
    public var updatedAt: Timestamp { didSet { wireForm = nil } }
    /// ``json`` written once, when the read cache keeps the object (``withWireForm()``).
    private var wireForm: RawJSON?

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

    /// The wire form: `id`, `tenant_id`, the fields, the state, `revision`, `created_at`, `updated_at`
    /// (``wireMembers`` says which wins when names meet).
    public var json: JSONValue { .object(Dictionary(uniqueKeysWithValues: wireMembers)) }

    /// The wire form for a response: ``json`` already written, kept when the object came from the
    /// read cache (no tree to build and write again on every read), else written now.
    public var wireJSON: JSONValue { .raw(wireForm ?? RawJSON(sortedMembers: wireMembers, capacity: 512)) }

    /// The object with its wire form written, for keeping in memory.
    public func withWireForm() -> StoredResource {
        var copy = self
        copy.wireForm = RawJSON(sortedMembers: wireMembers, capacity: 512)
        return copy
    }

    /// The members of ``json`` sorted by name; where names meet, the bookkeeping wins over state
    /// and state over fields. Collected in an array and sorted, not merged into a dictionary:
    /// merging hashed every member again (and grew the dictionary) only for the writer to sort
    /// them, a tenth of the server's CPU when a page of objects missed the read cache.
    private var wireMembers: [(key: String, value: JSONValue)] {
        var members: [(key: String, value: JSONValue)] = []
        members.reserveCapacity(fields.count + state.count + 5)
        for (name, value) in fields where !Self.isBookkeeping(name) && (state.isEmpty || state[name] == nil) {
            members.append((name, value))
        }
        for (name, value) in state where !Self.isBookkeeping(name) { members.append((name, value)) }
        members.append(("id", .string(id)))
        members.append(("tenant_id", .string(tenantId)))
        members.append(("revision", .int(revision)))
        members.append(("created_at", .string(createdAt.rfc3339)))
        members.append(("updated_at", .string(updatedAt.rfc3339)))
        members.sort { $0.key < $1.key }
        return members
    }

    /// The members ``json`` sets over any field or state of the same name.
    private static func isBookkeeping(_ name: String) -> Bool {
        switch name {
        case "id", "tenant_id", "revision", "created_at", "updated_at": true
        default: false
        }
    }

    /// Whether the wire form is written (for tests).
    public var hasWireForm: Bool { wireForm != nil }

    public static func == (lhs: StoredResource, rhs: StoredResource) -> Bool {
        lhs.kind == rhs.kind && lhs.id == rhs.id && lhs.tenantId == rhs.tenantId && lhs.fields == rhs.fields
            && lhs.state == rhs.state && lhs.revision == rhs.revision && lhs.createdAt == rhs.createdAt && lhs.updatedAt == rhs.updatedAt
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(revision)
        hasher.combine(fields)
        hasher.combine(state)
    }
}
