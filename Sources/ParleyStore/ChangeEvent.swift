import ParleyModel

/// One logged change: a tenant or configuration object created, updated or deleted at a revision.
public struct ChangeEvent: Sendable, Hashable {
    /// Position in the change log (strictly increasing).
    public var sequence: Int64
    public var revision: Int64
    public var tenantId: String
    /// `tenants` or a configuration family (`groups`, ...).
    public var family: String
    /// `created`, `updated` or `deleted`.
    public var type: String
    public var id: String
    /// The object as it was after the change (its wire form); nil for a deletion.
    public var object: JSONValue?

    public init(sequence: Int64, revision: Int64, tenantId: String, family: String, type: String, id: String, object: JSONValue?) {
        self.sequence = sequence
        self.revision = revision
        self.tenantId = tenantId
        self.family = family
        self.type = type
        self.id = id
        self.object = object
    }
}

/// Which events a watch wants.
public struct ChangeFilter: Sendable, Hashable {
    /// Only this tenant's events (nil: every tenant).
    public var tenantId: String?
    /// Only these families (nil: all, `tenants` included).
    public var families: Set<String>?

    public init(tenantId: String?, families: Set<String>?) {
        self.tenantId = tenantId
        self.families = families
    }
}
