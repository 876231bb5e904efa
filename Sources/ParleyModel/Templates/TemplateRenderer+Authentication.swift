extension TemplateRenderer {
    /// An AUTHENTICATION template's send: the one parameter `code` (the one-time password, 1 to
    /// 15 characters) goes where Meta requires it, as the body's text parameter and as the text
    /// parameter of the url button at index 0, whatever the OTP type. The preview is Meta's
    /// English preset text (Meta localizes it for the template's language).
    static func renderAuthentication(
        _ template: WhatsAppTemplate, _ authentication: TemplateAuthentication, status: String, from reader: inout ParamReader
    ) throws(ConfigError) -> JSONValue {
        var code: String?
        switch reader.value("code") {
        case nil, .null?:
            reader.report("code", "is required: the one-time password, sent in the body and in button 0")
        case .string(let text)?:
            let problems = TemplateParameterRules.codeProblems(text)
            for problem in problems { reader.report("code", problem) }
            if problems.isEmpty { code = text }
        case let other?:
            reader.report("code", "must be a string, not \(other.typeName)")
        }
        for name in ["header", "body", "buttons"] where reader.contains(name) {
            _ = reader.value(name)
            reader.report(name, "is not a parameter of an AUTHENTICATION template: give the code alone, as \"code\"")
        }
        try reader.finish()
        let parameter: JSONValue = ["type": "text", "text": .string(code!)]
        let whatsapp: JSONValue = [
            "name": .string(template.name),
            "language": ["policy": "deterministic", "code": .string(template.language)],
            "components": [
                ["type": "body", "parameters": [parameter]],
                ["type": "button", "sub_type": "url", "index": "0", "parameters": [parameter]],
            ],
        ]
        let body = authentication.previewBody.replacingOccurrences(of: "{{1}}", with: code!)
        let button = template.components.buttons.first.map { "[\($0.label)]" }
        let preview = [body, authentication.previewFooter, button].compactMap { $0 }
        return ["text": .string(preview.joined(separator: "\n\n")), "whatsapp": whatsapp, "sendable": .bool(status == TemplateStatus.approved.rawValue)]
    }
}
