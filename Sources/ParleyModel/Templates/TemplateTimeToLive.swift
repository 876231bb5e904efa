/// How long WhatsApp keeps trying to deliver a message of a template (`message_send_ttl_seconds`),
/// by category, as Meta allows it: AUTHENTICATION 30 s to 15 min, UTILITY 30 s to 12 h,
/// MARKETING 12 h to 30 days (the marketing value applies through Meta's Marketing Messages API).
/// `-1` (AUTHENTICATION and UTILITY only) asks Meta for its 30-day time-to-live. Unset (null):
/// Meta's default (10 minutes for AUTHENTICATION, 30 days for the others).
public enum TemplateTimeToLive {
    /// The seconds Meta accepts for `category`.
    public static func range(for category: TemplateCategory) -> ClosedRange<Int64> {
        switch category {
        case .authentication: 30...900
        case .utility: 30...43_200
        case .marketing: 43_200...2_592_000
        }
    }

    /// Whether `-1` (Meta's 30 days) is allowed for `category`.
    public static func acceptsThirtyDays(_ category: TemplateCategory) -> Bool { category != .marketing }

    /// Reads `message_send_ttl_seconds` for a template of `category` (nil when the category is
    /// unknown: nothing to check it against), reporting a value Meta would refuse.
    static func read(from reader: inout ParamReader, category: TemplateCategory?) -> Int64? {
        let name = "message_send_ttl_seconds"
        guard let seconds = reader.integer(name) else { return nil }
        guard let category else { return seconds }
        let range = range(for: category)
        if seconds == -1, acceptsThirtyDays(category) { return seconds }
        guard range.contains(seconds) else {
            let thirtyDays = acceptsThirtyDays(category) ? ", or -1 for Meta's 30 days" : ""
            reader.report(name, "must be \(range.lowerBound) to \(range.upperBound) seconds for a \(category.rawValue) template\(thirtyDays)")
            return nil
        }
        return seconds
    }
}
