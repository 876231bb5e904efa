/// One family of tenant configuration (`groups`, `whatsapp_numbers`, ...): how its methods,
/// ids and errors are named.
public struct ResourceKind: Sendable, Hashable, CustomStringConvertible {
    /// The method prefix and wire name of the family (`whatsapp_numbers`).
    public let family: String
    /// The singular type name used in errors and referrer lists (`whatsapp_number`).
    public let type: String
    /// The id prefix (`wan` in `wan_01J...`).
    public let idPrefix: String

    public init(family: String, type: String, idPrefix: String) {
        self.family = family
        self.type = type
        self.idPrefix = idPrefix
    }

    public var description: String { type }

    public static let group = ResourceKind(family: "groups", type: "group", idPrefix: "grp")
    public static let whatsappNumber = ResourceKind(family: "whatsapp_numbers", type: "whatsapp_number", idPrefix: "wan")
    public static let template = ResourceKind(family: "templates", type: "template", idPrefix: "tpl")
    public static let heroCard = ResourceKind(family: "hero_cards", type: "hero_card", idPrefix: "hcd")
    public static let tag = ResourceKind(family: "tags", type: "tag", idPrefix: "tag")
    public static let blockedFileType = ResourceKind(family: "blocked_file_types", type: "blocked_file_type", idPrefix: "bft")
    public static let filePolicy = ResourceKind(family: "file_policies", type: "file_policy", idPrefix: "fpl")
    public static let businessHours = ResourceKind(family: "business_hours", type: "business_hours", idPrefix: "bhr")

    /// Every family, in the order their tables are documented.
    public static let all: [ResourceKind] = [.businessHours, .group, .whatsappNumber, .template, .heroCard, .tag, .blockedFileType, .filePolicy]

    /// The family whose ids start with `prefix_`, if any.
    public static func owning(id: String) -> ResourceKind? {
        all.first { Identifier.isWellFormed(id, prefix: $0.idPrefix) }
    }
}
