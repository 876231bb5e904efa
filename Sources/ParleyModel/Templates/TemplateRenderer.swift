/// Fills a template's variables with the parameters of `templates.render` and produces the
/// preview text and the Cloud API `template` message object.
public enum TemplateRenderer {
    /// One component's share of a render: its Cloud API component (nil when it takes no
    /// parameters) and its preview text (nil when the template has no such component).
    struct Part {
        var components: [JSONValue] = []
        var preview: String?
    }

    /// Renders `template` with `parameters` (the `parameters` member of `templates.render`, nil or
    /// null meaning none). `status` is the template's review status; only `APPROVED` is sendable.
    ///
    /// The result is `{"text": preview, "whatsapp": Cloud API template object, "sendable": Bool}`.
    /// An AUTHENTICATION template takes one parameter, `code` (``renderAuthentication``).
    /// Throws ``ConfigError/invalid(_:)`` listing every missing, extra, misnamed or invalid
    /// parameter by path (`parameters.body.2`, `parameters.buttons.1.1`).
    public static func render(_ template: WhatsAppTemplate, status: String, parameters: JSONValue?) throws(ConfigError) -> JSONValue {
        var reader = try parameterReader(parameters)
        if let authentication = template.components.authentication {
            return try renderAuthentication(template, authentication, status: status, from: &reader)
        }
        let format = template.parameterFormat
        let content = template.components
        let header = renderHeader(content.header, format: format, from: &reader)
        let body = renderText(
            content.body, section: "body", maximumLength: TemplateParameterRules.bodyValueLength, format: format, from: &reader)
        let offer = renderOffer(content.limitedTimeOffer, from: &reader)
        let carousel = renderCarousel(content.carousel, format: format, from: &reader)
        let buttons = renderButtons(content.buttons, from: &reader)
        try reader.finish()

        var whatsapp: [String: JSONValue] = [
            "name": .string(template.name),
            "language": ["policy": "deterministic", "code": .string(template.language)],
        ]
        let components = header.components + body.components + offer.components + carousel.components + buttons.components
        if !components.isEmpty { whatsapp["components"] = .array(components) }
        let preview = [header.preview, offer.preview, body.preview, carousel.preview, content.footer, buttons.preview].compactMap { $0 }
        return [
            "text": .string(preview.joined(separator: "\n\n")),
            "whatsapp": .object(whatsapp),
            "sendable": .bool(status == TemplateStatus.approved.rawValue),
        ]
    }

    private static func parameterReader(_ parameters: JSONValue?) throws(ConfigError) -> ParamReader {
        switch parameters {
        case nil, .null?:
            return ParamReader([:], path: "parameters")
        case .object(let members)?:
            return ParamReader(members, path: "parameters")
        case let other?:
            throw .invalid([ValidationIssue(path: "parameters", message: "must be an object, not \(other.typeName)")])
        }
    }

    /// The object member `name` of `reader` as a reader: an empty one when absent or null, nil
    /// (after reporting) when it is not an object.
    static func section(_ name: String, of reader: inout ParamReader) -> ParamReader? {
        switch reader.value(name) {
        case nil, .null?: return ParamReader([:], path: reader.path(name))
        case .object?: return reader.object(name)
        case _?:
            _ = reader.object(name)
            return nil
        }
    }

    /// Reports every member of `section` as one that does not belong there (`reason` says why),
    /// and marks them known.
    static func rejectMembers(of section: inout ParamReader, _ reason: String) {
        for key in section.params.keys.sorted() {
            _ = section.value(key)
            section.report(key, reason)
        }
    }
}
