extension TemplateHeader {
    /// The longest TEXT header.
    static let textLength = 60
    /// The longest media URL.
    static let urlLength = 2000

    /// Reads the header object in `reader` (`components.header`).
    static func read(from reader: inout ParamReader, category: TemplateCategory?, format: TemplateParameterFormat?) -> TemplateHeader? {
        guard let raw = reader.enumeration("format", TemplateHeaderFormat.wireValues, required: true),
            let headerFormat = TemplateHeaderFormat(rawValue: raw)
        else {
            for name in reader.params.keys { _ = reader.value(name) }
            return nil
        }
        switch headerFormat {
        case .text:
            let rules = TemplateText.Rules(
                lengths: 1...textLength, allowingNewlines: false, maximumVariables: 1,
                exampleLength: TemplateParameterRules.headerValueLength)
            return TemplateText.read(from: &reader, rules: rules, format: format).map(TemplateHeader.text)
        case .image, .video, .document:
            guard let url = readMediaURL(reader.string("example_url", required: true), field: "example_url", into: &reader)
            else { return nil }
            return .media(headerFormat, exampleURL: url)
        case .location:
            if category == .authentication {
                reader.report("format", "must not be LOCATION in an AUTHENTICATION template")
                return nil
            }
            return .location
        }
    }

    /// Checks a media URL: https, at most 2000 characters. Returns it (trimmed) or nil after reporting.
    static func readMediaURL(_ raw: String?, field: String, into reader: inout ParamReader) -> String? {
        guard let raw else { return nil }
        let url = TextRules.trimmed(raw)
        guard FieldRules.isWebURL(url), TextRules.length(url) <= urlLength else {
            reader.report(field, "must be an https URL of at most \(urlLength) characters")
            return nil
        }
        return url
    }
}
