/// A tenant of the contact-center platform: the owner of every piece of configuration.
public struct Tenant: Sendable, Hashable {
    public var id: String
    /// URL-safe unique handle (`acme-support`).
    public var slug: String
    /// Display name, 1-100 characters.
    public var name: String
    /// WhatsApp language code used when a resource names none (`cs`, `en_US`).
    public var defaultLanguage: String?
    /// IANA time-zone name (`Europe/Prague`).
    public var timezone: String?
    /// Store revision of the last change.
    public var revision: Int64
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(
        id: String, slug: String, name: String, defaultLanguage: String?, timezone: String?,
        revision: Int64, createdAt: Timestamp, updatedAt: Timestamp
    ) {
        self.id = id
        self.slug = slug
        self.name = name
        self.defaultLanguage = defaultLanguage
        self.timezone = timezone
        self.revision = revision
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The id prefix of tenants.
    public static let idPrefix = "tnt"

    /// The wire form.
    public var json: JSONValue {
        [
            "id": .string(id),
            "slug": .string(slug),
            "name": .string(name),
            "default_language": .optional(defaultLanguage),
            "timezone": .optional(timezone),
            "revision": .int(revision),
            "created_at": .string(createdAt.rfc3339),
            "updated_at": .string(updatedAt.rfc3339),
        ]
    }
}
