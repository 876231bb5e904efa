/// The editable, validated content of one configuration object.
///
/// Each family (`OperatorGroup`, `WhatsAppNumber`, ...) conforms. The store keeps `fields` as the
/// object's document and enforces `uniqueKeys` and `references` inside the writing transaction;
/// everything that can be checked without the database is checked by `read(from:)`.
public protocol ResourceContent: Sendable {
    /// The family this content belongs to.
    static var kind: ResourceKind { get }

    /// Reads and validates every editable field, recording each problem (and each warning) in
    /// `reader`. Absent optional fields take their defaults. Returns nil if anything is invalid.
    static func read(from reader: inout ParamReader) -> Self?

    /// Every editable field in wire form, defaults included; `read(from:)` of these fields
    /// yields an equal content.
    var fields: [String: JSONValue] { get }

    /// The lower-cased display name used by the `name_prefix` list filter.
    var nameKey: String { get }

    /// Values that must be unique within the tenant or across all tenants.
    var uniqueKeys: [UniqueKey] { get }

    /// The objects of the same tenant this content points at; each must exist.
    var references: [ResourceReference] { get }

    /// Fields that keep the value they were created with (`tags.name`).
    static var immutableFields: Set<String> { get }
}

extension ResourceContent {
    public var references: [ResourceReference] { [] }
    public static var immutableFields: Set<String> { [] }
}

/// A value that no other object may share.
public struct UniqueKey: Sendable, Hashable {
    public enum Scope: Sendable, Hashable {
        /// Unique among the objects of one family in one tenant.
        case tenant
        /// Unique among the objects of one family in every tenant. A conflict does not say who holds it.
        case global
    }

    public var scope: Scope
    /// Which constraint this is (`name`, `phone_number`); part of the stored key.
    public var name: String
    /// The normalised value (lower-cased where uniqueness ignores case).
    public var value: String
    /// The field reported in a conflict.
    public var field: String
    /// The conflict message, e.g. `a group named "Sales" already exists`.
    public var message: String

    public init(scope: Scope = .tenant, name: String, value: String, field: String, message: String) {
        self.scope = scope
        self.name = name
        self.value = value
        self.field = field
        self.message = message
    }
}

/// A pointer from one object to another object of the same tenant.
public struct ResourceReference: Sendable, Hashable {
    /// The field holding the id (`routing_group_id`).
    public var field: String
    /// The family of the object pointed at.
    public var kind: ResourceKind
    public var id: String

    public init(field: String, kind: ResourceKind, id: String) {
        self.field = field
        self.kind = kind
        self.id = id
    }
}
