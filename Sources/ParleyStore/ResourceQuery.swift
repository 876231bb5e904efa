import ParleyModel

/// Which objects of one family and tenant a list returns, in id (creation) order.
public struct ResourceQuery: Sendable, Hashable {
    /// Start after this id (from a cursor); nil for the first page.
    public var afterID: String?
    /// At most this many objects.
    public var limit: Int
    /// Only objects whose lower-cased name starts with this (already lower-cased) text.
    public var namePrefix: String?
    /// Only objects whose members equal these values.
    public var filters: [ResourceFilter]

    public init(afterID: String? = nil, limit: Int, namePrefix: String? = nil, filters: [ResourceFilter] = []) {
        self.afterID = afterID
        self.limit = limit
        self.namePrefix = namePrefix
        self.filters = filters
    }

    /// Whether the page is one range of the (tenant, family, id) index, at most 101 rows: cheap
    /// and bounded enough to read on an event loop (``ConfigurationStore/resourcesNow(_:tenantId:query:)``).
    /// A filter or a name prefix may scan every object of the family to fill a page.
    public var isIndexRange: Bool { filters.isEmpty && namePrefix == nil && limit <= 101 }
}

/// An equality filter on a top-level member of an object's fields or state.
public struct ResourceFilter: Sendable, Hashable {
    public enum Source: String, Sendable, Hashable {
        case fields, state
    }

    public var source: Source
    /// A plain member name (letters, digits, `_`).
    public var member: String
    public var value: String

    public init(_ source: Source, member: String, value: String) {
        precondition(member.utf8.allSatisfy { $0 == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) })
        self.source = source
        self.member = member
        self.value = value
    }
}

/// What a delete removed.
public struct ResourceDeletion: Sendable, Hashable {
    /// The store revision after the delete (the revision it would have on a dry run).
    public var revision: Int64
    /// Objects removed with it because of `cascade`, as (type, id).
    public var cascaded: [ResourceLink]
}

/// A short description of one object, used in `in_use` conflicts and cascade results.
public struct ResourceLink: Sendable, Hashable {
    public var kind: ResourceKind
    public var id: String
    public var name: String?
    /// The field of this object that refers to the one being deleted.
    public var field: String?

    public init(kind: ResourceKind, id: String, name: String?, field: String?) {
        self.kind = kind
        self.id = id
        self.name = name
        self.field = field
    }

    public var json: JSONValue {
        var members: [String: JSONValue] = ["type": .string(kind.type), "id": .string(id), "name": .optional(name)]
        if let field { members["field"] = .string(field) }
        return .object(members)
    }
}
