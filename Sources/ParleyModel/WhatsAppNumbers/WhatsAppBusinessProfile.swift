/// The business profile WhatsApp users see for a number; every member is optional.
public struct WhatsAppBusinessProfile: Sendable, Hashable {
    /// The "about" text, at most 139 characters.
    public var about: String?
    /// Postal address, at most 256 characters.
    public var address: String?
    /// Description of the business, at most 256 characters (newlines allowed).
    public var description: String?
    /// Contact e-mail, at most 128 characters.
    public var email: String?
    /// At most two distinct https URLs of at most 256 characters each.
    public var websites: [String]

    public init(about: String? = nil, address: String? = nil, description: String? = nil, email: String? = nil, websites: [String] = []) {
        self.about = about
        self.address = address
        self.description = description
        self.email = email
        self.websites = websites
    }

    /// The limits Meta's business-profile API enforces.
    public enum Limits {
        public static let aboutLength = 139
        public static let addressLength = 256
        public static let descriptionLength = 256
        public static let emailLength = 128
        public static let websiteCount = 2
        public static let websiteLength = 256
    }

    /// The wire form: an object with only the members that are set (`{}` when none is).
    public var json: JSONValue {
        var members: [String: JSONValue] = [:]
        if let about { members["about"] = .string(about) }
        if let address { members["address"] = .string(address) }
        if let description { members["description"] = .string(description) }
        if let email { members["email"] = .string(email) }
        if !websites.isEmpty { members["websites"] = .array(websites.map(JSONValue.string)) }
        return .object(members)
    }

    /// Reads the profile members from `reader` (the reader of the `profile` object), reporting each problem.
    /// Empty texts and an empty `websites` list count as unset.
    public static func read(from reader: inout ParamReader) -> WhatsAppBusinessProfile {
        typealias Read = FamilyFieldReading
        var profile = WhatsAppBusinessProfile()
        profile.about = Read.optionalText("about", maximumLength: Limits.aboutLength, in: &reader)
        profile.address = Read.optionalText("address", maximumLength: Limits.addressLength, in: &reader)
        profile.description = Read.optionalText(
            "description", maximumLength: Limits.descriptionLength, allowingNewlines: true, in: &reader)
        if let email = Read.optionalText("email", maximumLength: Limits.emailLength, in: &reader) {
            if FieldRules.isEmail(email) {
                profile.email = email
            } else {
                reader.report("email", "must be an e-mail address such as info@example.com")
            }
        }
        profile.websites = reader.stringArray("websites", maximumCount: Limits.websiteCount, check: checkWebsite) ?? []
        return profile
    }

    private static func checkWebsite(_ raw: String, path: String, reader: inout ParamReader) -> String? {
        let url = TextRules.trimmed(raw)
        var ok = true
        if TextRules.length(url) > Limits.websiteLength {
            reader.reportPath(path, "must be at most \(Limits.websiteLength) characters")
            ok = false
        }
        if !FieldRules.isWebURL(url) {
            reader.reportPath(path, "must be an absolute https URL")
            ok = false
        }
        return ok ? url : nil
    }
}
