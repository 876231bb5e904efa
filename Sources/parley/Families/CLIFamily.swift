import ArgumentParser
import ParleyModel

/// What the generic `parley <family> list|get|create|update|delete` commands need to know about one family.
protocol CLIFamily {
    /// The JSON-RPC method prefix (`hero_cards`).
    static var family: String { get }
    /// The command word (`hero-cards`).
    static var commandName: String { get }
    /// The singular noun for help texts (`hero card`).
    static var noun: String { get }
    /// The plural noun (`hero cards`, `business hours`).
    static var plural: String { get }
    /// Table columns of `list`: header and member name.
    static var columns: [(String, String)] { get }
    /// The list filters besides `name_prefix`, for the help text.
    static var filters: [String] { get }
    /// Whether `delete` takes `--cascade`.
    static var cascades: Bool { get }
    /// Family-specific commands (`render`, `set-status`).
    static var extraCommands: [any ParsableCommand.Type] { get }
}

extension CLIFamily {
    static var plural: String { noun + "s" }
    /// The server's own list (``ResourceKind/listFilters``), so the help never names a filter it refuses.
    static var filters: [String] { ResourceKind.all.first { $0.family == family }?.listFilters.map(\.param) ?? [] }
    static var cascades: Bool { false }
    static var extraCommands: [any ParsableCommand.Type] { [] }
}

enum GroupsFamily: CLIFamily {
    static let family = "groups", commandName = "groups", noun = "operator group"
    static let columns = [
        ("ID", "id"), ("NAME", "name"), ("TYPE", "type"), ("ROUTING", "routing_mode"), ("FALLBACK", "fallback_group_id"),
        ("ENABLED", "enabled"), ("REVISION", "revision"),
    ]
    static let extraCommands: [any ParsableCommand.Type] = [GraphGroups.self]
}

enum WhatsAppNumbersFamily: CLIFamily {
    static let family = "whatsapp_numbers", commandName = "whatsapp-numbers", noun = "WhatsApp number"
    static let columns = [
        ("ID", "id"), ("NAME", "name"), ("PHONE", "phone_number"), ("STATUS", "status"), ("QUALITY", "quality_rating"),
        ("GROUP", "routing_group_id"), ("ENABLED", "enabled"),
    ]
    static let cascades = true
}

enum TemplatesFamily: CLIFamily {
    static let family = "templates", commandName = "templates", noun = "WhatsApp template"
    static let columns = [
        ("ID", "id"), ("NAME", "name"), ("LANGUAGE", "language"), ("CATEGORY", "category"), ("STATUS", "status"),
        ("NUMBER", "whatsapp_number_id"), ("REVISION", "revision"),
    ]
    static let extraCommands: [any ParsableCommand.Type] = [RenderTemplate.self, SetTemplateStatus.self, ImportTemplates.self]
}

enum HeroCardsFamily: CLIFamily {
    static let family = "hero_cards", commandName = "hero-cards", noun = "hero card"
    static let columns = [
        ("ID", "id"), ("NAME", "name"), ("CHANNEL", "channel"), ("LANGUAGE", "default_language"), ("TEMPLATE", "template_id"),
        ("REVISION", "revision"),
    ]
    static let extraCommands: [any ParsableCommand.Type] = [RenderHeroCard.self]
}

enum TagsFamily: CLIFamily {
    static let family = "tags", commandName = "tags", noun = "tag"
    static let columns = [
        ("ID", "id"), ("NAME", "name"), ("LABEL", "label"), ("BACKGROUND", "background_color"), ("TEXT", "text_color"),
        ("REVISION", "revision"),
    ]
}

enum BlockedFileTypesFamily: CLIFamily {
    static let family = "blocked_file_types", commandName = "blocked-file-types", noun = "blocked file type"
    static let columns = [
        ("ID", "id"), ("EXTENSION", "extension"), ("MIME TYPE", "mime_type"), ("APPLIES TO", "applies_to"), ("SOURCE", "source"),
        ("REASON", "reason"),
    ]
}

enum FilePoliciesFamily: CLIFamily {
    static let family = "file_policies", commandName = "file-policies", noun = "file policy"
    static let columns = [("ID", "id"), ("CHANNEL", "channel"), ("MODE", "mode"), ("MAX FILE BYTES", "max_file_bytes"), ("REVISION", "revision")]
}

enum BusinessHoursFamily: CLIFamily {
    static let family = "business_hours", commandName = "business-hours", noun = "business hours", plural = "business hours"
    static let columns = [("ID", "id"), ("NAME", "name"), ("TIMEZONE", "timezone"), ("REVISION", "revision")]
    static let extraCommands: [any ParsableCommand.Type] = [CheckBusinessHours.self]
}

extension String {
    /// The noun with "a" or "an" in front (`an operator group`, `a WhatsApp number`).
    var withArticle: String {
        guard let first = first?.lowercased().first else { return self }
        return ("aeiou".contains(first) ? "an " : "a ") + self
    }
}
