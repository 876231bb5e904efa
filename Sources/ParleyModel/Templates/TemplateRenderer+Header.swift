extension TemplateRenderer {
    /// The longest document file name.
    static let fileNameLength = 240

    /// Renders the header from `parameters.header`: the TEXT variable, a media URL (the template's
    /// `example_url` when none is given) or the location.
    static func renderHeader(_ header: TemplateHeader?, format: TemplateParameterFormat, from reader: inout ParamReader) -> Part {
        switch header {
        case nil:
            guard var section = section("header", of: &reader) else { return Part() }
            rejectMembers(of: &section, "is not a parameter of the header: the template has no header")
            reader.absorb(section)
            return Part()
        case .text(let text)?:
            return renderText(
                text, section: "header", maximumLength: TemplateParameterRules.headerValueLength, format: format, from: &reader)
        case .media(let mediaFormat, let exampleURL)?:
            return renderMedia(mediaFormat, exampleURL: exampleURL, from: &reader)
        case .location?:
            return renderLocation(from: &reader)
        }
    }

    private static func renderMedia(_ format: TemplateHeaderFormat, exampleURL: String, from reader: inout ParamReader) -> Part {
        guard var section = section("header", of: &reader) else { return Part() }
        let url =
            section.contains("url") && section.value("url")?.isNull == false
            ? TemplateHeader.readMediaURL(section.string("url", required: true), field: "url", into: &section)
            : exampleURL
        var media: [String: JSONValue] = ["link": .string(url ?? exampleURL)]
        if format == .document, let name = section.string("filename") {
            if let problem = fileNameProblem(name) { section.report("filename", problem) }
            media["filename"] = .string(name)
        }
        reader.absorb(section)
        let type = format.cloudAPIType
        let parameter: JSONValue = ["type": .string(type), type: .object(media)]
        return Part(components: [["type": "header", "parameters": [parameter]]], preview: "[\(format.rawValue)]")
    }

    private static func fileNameProblem(_ name: String) -> String? {
        let length = TextRules.length(name)
        let invalid =
            TextRules.trimmed(name).isEmpty || length > fileNameLength || TextRules.hasControlCharacter(name)
            || name.contains("/") || name.contains("\\")
        return invalid ? "must be a file name of 1 to \(fileNameLength) characters, without / \\ or control characters" : nil
    }
}
