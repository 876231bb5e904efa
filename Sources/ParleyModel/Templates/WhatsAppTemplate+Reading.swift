extension WhatsAppTemplate {
    /// The longest template name.
    static let nameLength = 512

    public static func read(from reader: inout ParamReader) -> WhatsAppTemplate? {
        let before = reader.issues.count
        let numberId = readNumberId(from: &reader)
        let name = readName(from: &reader)
        let language = readLanguage(from: &reader)
        let category = reader.enumeration("category", TemplateCategory.wireValues, required: true)
            .flatMap(TemplateCategory.init(rawValue:))
        let format = reader.enumeration(
            "parameter_format", TemplateParameterFormat.wireValues, default: TemplateParameterFormat.positional.rawValue
        ).flatMap(TemplateParameterFormat.init(rawValue:))
        let components = TemplateComponents.read(from: &reader, category: category, format: format)
        let timeToLive = TemplateTimeToLive.read(from: &reader, category: category)
        guard reader.issues.count == before, let numberId, let name, let language, let category, let format, let components
        else { return nil }
        return WhatsAppTemplate(
            whatsappNumberId: numberId, name: name, language: language, category: category, parameterFormat: format,
            components: components, messageSendTTLSeconds: timeToLive)
    }

    private static func readNumberId(from reader: inout ParamReader) -> String? {
        guard let id = reader.string("whatsapp_number_id", required: true) else { return nil }
        let kind = ResourceKind.whatsappNumber
        guard Identifier.isWellFormed(id, prefix: kind.idPrefix) else {
            reader.report("whatsapp_number_id", "must be a \(kind.type) id (\(kind.idPrefix)_ followed by 26 characters)")
            return nil
        }
        return id
    }

    private static func readName(from reader: inout ParamReader) -> String? {
        guard let raw = reader.string("name", required: true) else { return nil }
        let name = TextRules.trimmed(raw)
        let allowed = name.utf8.allSatisfy {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                || $0 == UInt8(ascii: "_")
        }
        guard allowed, (1...nameLength).contains(name.utf8.count) else {
            reader.report("name", "must match ^[a-z0-9_]{1,512}$ (lower-case letters, digits and _)")
            return nil
        }
        return name
    }

    private static func readLanguage(from reader: inout ParamReader) -> String? {
        guard let code = reader.string("language", required: true) else { return nil }
        guard TextRules.isWhatsAppLanguage(code) else {
            reader.report("language", "must be a WhatsApp language code such as \"cs\" or \"en_US\"")
            return nil
        }
        return code
    }
}
