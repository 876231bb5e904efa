/// The validated fields of `tenants.create`.
public struct TenantInput: Sendable, Hashable {
    public var slug: String
    public var name: String
    public var defaultLanguage: String?
    public var timezone: String?

    public init(slug: String, name: String, defaultLanguage: String? = nil, timezone: String? = nil) {
        self.slug = slug
        self.name = name
        self.defaultLanguage = defaultLanguage
        self.timezone = timezone
    }

    /// Reads and validates the creation fields from `reader`, recording every problem in it.
    public static func read(from reader: inout ParamReader) -> TenantInput? {
        let slug = TenantRules.slug(reader.string("slug", required: true), into: &reader)
        let name = TextRules.displayText(reader.string("name", required: true), field: "name", lengths: 1...100, into: &reader)
        let language = TenantRules.language(reader.string("default_language"), into: &reader)
        let timezone = TenantRules.timezone(reader.string("timezone"), into: &reader)
        guard let slug, let name else { return nil }
        return TenantInput(slug: slug, name: name, defaultLanguage: language, timezone: timezone)
    }
}

/// The changes of `tenants.update`: each field unchanged or set.
public struct TenantPatch: Sendable, Hashable {
    public var slug: String?
    public var name: String?
    public var defaultLanguage: FieldUpdate<String> = .unchanged
    public var timezone: FieldUpdate<String> = .unchanged

    public init(slug: String? = nil, name: String? = nil, defaultLanguage: FieldUpdate<String> = .unchanged, timezone: FieldUpdate<String> = .unchanged) {
        self.slug = slug
        self.name = name
        self.defaultLanguage = defaultLanguage
        self.timezone = timezone
    }

    /// Reads and validates the changed fields from `reader`, recording every problem in it.
    public static func read(from reader: inout ParamReader) -> TenantPatch {
        var patch = TenantPatch()
        if reader.contains("slug") {
            patch.slug = TenantRules.slug(reader.string("slug", required: true), into: &reader)
        }
        if reader.contains("name") {
            patch.name = TextRules.displayText(reader.string("name", required: true), field: "name", lengths: 1...100, into: &reader)
        }
        if case .set(let language) = reader.nullableString("default_language") {
            patch.defaultLanguage = .set(TenantRules.language(language, into: &reader))
        }
        if case .set(let zone) = reader.nullableString("timezone") {
            patch.timezone = .set(TenantRules.timezone(zone, into: &reader))
        }
        return patch
    }

    /// `tenant` with this patch applied.
    public func applied(to tenant: Tenant) -> Tenant {
        var result = tenant
        if let slug { result.slug = slug }
        if let name { result.name = name }
        if case .set(let language) = defaultLanguage { result.defaultLanguage = language }
        if case .set(let zone) = timezone { result.timezone = zone }
        return result
    }
}

/// Field rules shared by tenant creation and update.
enum TenantRules {
    static func slug(_ slug: String?, into reader: inout ParamReader) -> String? {
        guard let slug else { return nil }
        guard TextRules.isSlug(slug) else {
            reader.report("slug", "must match ^[a-z0-9][a-z0-9-]{1,62}$ (lower-case letters, digits and '-', 2-63 characters)")
            return nil
        }
        return slug
    }

    static func language(_ code: String?, into reader: inout ParamReader) -> String? {
        guard let code else { return nil }
        guard TextRules.isWhatsAppLanguage(code) else {
            reader.report("default_language", "must be a WhatsApp language code such as \"cs\" or \"en_US\"")
            return nil
        }
        return code
    }

    static func timezone(_ zone: String?, into reader: inout ParamReader) -> String? {
        guard let zone else { return nil }
        guard TimeZones.isIANAName(zone) else {
            reader.report("timezone", "must be an IANA time-zone name such as \"Europe/Prague\"")
            return nil
        }
        return zone
    }
}
