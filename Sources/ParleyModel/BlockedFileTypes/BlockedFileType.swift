/// A file type a tenant refuses (family `blocked_file_types`), by extension and optionally by MIME type.
public struct BlockedFileType: ResourceContent, Hashable {
    public static let kind = ResourceKind.blockedFileType

    /// Lower-case letters and digits, 1-16, without the dot (`exe`); unique in the tenant. Wire name `extension`.
    public var fileExtension: String
    /// `type/subtype`, lower-case; a file declared with this type is refused whatever its name.
    public var mimeType: String?
    /// Why the type is blocked, at most 200 characters.
    public var reason: String?
    /// Where the block applies: a non-empty set, in canonical order.
    public var appliesTo: [FileCheckDirection]

    public init(
        fileExtension: String, mimeType: String? = nil, reason: String? = nil,
        appliesTo: [FileCheckDirection] = FileCheckDirection.allCases
    ) {
        self.fileExtension = fileExtension
        self.mimeType = mimeType
        self.reason = reason
        self.appliesTo = FileCheckDirection.canonical(appliesTo)
    }

    public var fields: [String: JSONValue] {
        [
            "extension": .string(fileExtension),
            "mime_type": .optional(mimeType),
            "reason": .optional(reason),
            "applies_to": .array(appliesTo.map { .string($0.rawValue) }),
        ]
    }

    /// The wire values of `applies_to` elements and of the `files.check` `direction`, in canonical order.
    public static let directions: [String] = FileCheckDirection.wireValues

    /// The extension (already lower-case).
    public var nameKey: String { fileExtension }

    /// The extension, unique in the tenant.
    public var uniqueKeys: [UniqueKey] {
        [
            UniqueKey(
                name: "extension", value: fileExtension, field: "extension",
                message: "extension \".\(fileExtension)\" is already blocked")
        ]
    }

    /// Whether the block applies to files travelling in `direction` (nil: any direction).
    public func applies(to direction: FileCheckDirection?) -> Bool {
        direction.map(appliesTo.contains) ?? true
    }
}
