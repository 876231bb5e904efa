/// The business profile WhatsApp users see for a number; every member is optional.
public struct WhatsAppBusinessProfile: Sendable, Hashable {
    /// The "about" text, at most 139 characters.
    public var about: String?
    /// Postal address, at most 256 characters.
    public var address: String?
    /// Description of the business, at most 512 characters (newlines allowed).
    public var description: String?
    /// Contact e-mail, at most 128 characters.
    public var email: String?
    /// At most two distinct http or https URLs of at most 256 characters each.
    public var websites: [String]
    /// The industry, from Meta's list.
    public var vertical: WhatsAppBusinessVertical?
    /// Where the profile picture is (an https URL, synced in: Meta sets it from an uploaded handle).
    public var profilePictureURL: String?

    public init(
        about: String? = nil, address: String? = nil, description: String? = nil, email: String? = nil, websites: [String] = [],
        vertical: WhatsAppBusinessVertical? = nil, profilePictureURL: String? = nil
    ) {
        self.about = about
        self.address = address
        self.description = description
        self.email = email
        self.websites = websites
        self.vertical = vertical
        self.profilePictureURL = profilePictureURL
    }

    /// The limits Meta's business-profile API enforces.
    public enum Limits {
        public static let aboutLength = 139
        public static let addressLength = 256
        public static let descriptionLength = 512
        public static let emailLength = 128
        public static let websiteCount = 2
        public static let websiteLength = 256
        public static let pictureURLLength = 2000
    }

    /// The wire form: an object with only the members that are set (`{}` when none is).
    public var json: JSONValue {
        var members: [String: JSONValue] = [:]
        if let about { members["about"] = .string(about) }
        if let address { members["address"] = .string(address) }
        if let description { members["description"] = .string(description) }
        if let email { members["email"] = .string(email) }
        if !websites.isEmpty { members["websites"] = .array(websites.map(JSONValue.string)) }
        if let vertical { members["vertical"] = .string(vertical.rawValue) }
        if let profilePictureURL { members["profile_picture_url"] = .string(profilePictureURL) }
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
        profile.vertical = Read.optionalChoice("vertical", WhatsAppBusinessVertical.self, in: &reader)
        if let url = Read.optionalText("profile_picture_url", maximumLength: Limits.pictureURLLength, in: &reader) {
            if FieldRules.isWebURL(url) {
                profile.profilePictureURL = url
            } else {
                reader.report("profile_picture_url", "must be an absolute https URL")
            }
        }
        return profile
    }

    private static func checkWebsite(_ raw: String, path: String, reader: inout ParamReader) -> String? {
        let url = TextRules.trimmed(raw)
        var ok = true
        if TextRules.length(url) > Limits.websiteLength {
            reader.reportPath(path, "must be at most \(Limits.websiteLength) characters")
            ok = false
        }
        if !FieldRules.isWebURL(url, allowingHTTP: true) {
            reader.reportPath(path, "must be an absolute http or https URL")
            ok = false
        }
        return ok ? url : nil
    }
}
