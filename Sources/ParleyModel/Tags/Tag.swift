/// A session tag (family `tags`). Sessions refer to tags by name, so the name never changes.
public struct Tag: ResourceContent, Hashable {
    public static let kind = ResourceKind.tag

    /// 2-50 letters, digits, `_` and `-`, not starting with `_` or `-`; unique in the tenant ignoring case; immutable.
    public var name: String
    /// Display text, 1-100 characters, case kept; defaults to the name.
    public var label: String
    /// `#RRGGBB`, upper-case.
    public var backgroundColor: String?
    /// `#RRGGBB`, upper-case.
    public var textColor: String?
    /// At most 500 characters, newlines allowed.
    public var description: String?

    public init(name: String, label: String? = nil, backgroundColor: String? = nil, textColor: String? = nil, description: String? = nil) {
        self.name = name
        self.label = label ?? name
        self.backgroundColor = backgroundColor
        self.textColor = textColor
        self.description = description
    }

    public var fields: [String: JSONValue] {
        [
            "name": .string(name),
            "label": .string(label),
            "background_color": .optional(backgroundColor),
            "text_color": .optional(textColor),
            "description": .optional(description),
        ]
    }

    public var nameKey: String { name.lowercased() }

    /// The name, unique in the tenant ignoring case.
    public var uniqueKeys: [UniqueKey] {
        [UniqueKey(name: "name", value: nameKey, field: "name", message: "a tag named \"\(name)\" already exists")]
    }

    /// The name is fixed at creation: sessions refer to tags by name.
    public static var immutableFields: Set<String> { ["name"] }
}
