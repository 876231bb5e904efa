extension HeroCard {
    /// Reads and validates every field of a hero card, recording each problem and warning in `reader`.
    public static func read(from reader: inout ParamReader) -> HeroCard? {
        let problems = reader.issues.count
        let name = TextRules.displayText(reader.string("name", required: true).map(TextRules.normalized), field: "name", lengths: 1...100, into: &reader)
        let channel = reader.enumeration("channel", HeroCardChannel.wireValues, required: true).flatMap(HeroCardChannel.init)
        let defaultLanguage = readLanguage(reader.string("default_language", required: true), into: &reader)
        let localizations = readLocalizations(from: &reader, channel: channel)
        let templateId = readTemplateId(from: &reader, channel: channel)
        if let defaultLanguage, let languages = reader.params["localizations"]?.objectValue?.keys.sorted(),
            !languages.isEmpty, !languages.contains(defaultLanguage)
        {
            reader.report("default_language", "must be one of the localization languages (\(languages.joined(separator: ", ")))")
        }
        guard reader.issues.count == problems, let name, let channel, let defaultLanguage, let localizations else { return nil }
        return HeroCard(
            name: name, channel: channel, defaultLanguage: defaultLanguage, localizations: localizations, templateId: templateId)
    }

    /// The message for a malformed language code.
    static let languageMessage = "must be a WhatsApp language code such as \"cs\" or \"en_US\""

    private static func readLanguage(_ code: String?, into reader: inout ParamReader) -> String? {
        guard let code else { return nil }
        guard TextRules.isWhatsAppLanguage(code) else {
            reader.report("default_language", languageMessage)
            return nil
        }
        return code
    }

    /// The valid localizations; nil when the member is missing or not an object. Every problem is
    /// recorded in `reader`, so an invalid localization is simply left out.
    private static func readLocalizations(
        from reader: inout ParamReader, channel: HeroCardChannel?
    ) -> [String: HeroCardLocalization]? {
        guard var nested = reader.object("localizations", required: true) else { return nil }
        defer { reader.absorb(nested) }
        let languages = nested.params.keys.sorted()
        if languages.isEmpty {
            reader.report("localizations", "must have at least one localization")
        } else if languages.count > HeroCardLimits.localizations {
            let limit = HeroCardLimits.localizations
            reader.report("localizations", "must have at most \(limit) localizations, not \(languages.count)")
        }
        var localizations: [String: HeroCardLocalization] = [:]
        for language in languages {
            let path = nested.path(language)
            if !TextRules.isWhatsAppLanguage(language) {
                nested.reportPath(path, "is not a WhatsApp language code such as \"cs\" or \"en_US\"")
            }
            guard case .object(let members)? = nested.value(language) else {
                nested.reportPath(path, "must be an object, not \(nested.params[language]?.typeName ?? "null")")
                continue
            }
            var content = ParamReader(members, path: path)
            localizations[language] = HeroCardLocalization.read(from: &content, path: path, channel: channel)
            nested.absorb(content)
        }
        return localizations
    }

    private static func readTemplateId(from reader: inout ParamReader, channel: HeroCardChannel?) -> String? {
        guard let id = reader.string("template_id") else { return nil }
        if let channel, channel != .whatsapp {
            reader.report("template_id", "is only allowed on WHATSAPP cards")
            return nil
        }
        guard Identifier.isWellFormed(id, prefix: ResourceKind.template.idPrefix) else {
            reader.report("template_id", "must be a template id (tpl_ followed by 26 characters)")
            return nil
        }
        return id
    }
}
