extension TemplateRenderer {
    /// Renders the buttons from `parameters.buttons`, an object keyed by button index (`"0"`):
    /// `{"1": suffix}` for a URL button ending in `{{1}}`, `{"code": ...}` for COPY_CODE and OTP.
    /// The preview is one `[label]` line per button.
    static func renderButtons(_ buttons: [TemplateButton], from reader: inout ParamReader) -> Part {
        let preview = buttons.isEmpty ? nil : buttons.map { "[\($0.label)]" }.joined(separator: "\n")
        guard var section = section("buttons", of: &reader) else { return Part(preview: preview) }
        var components: [JSONValue] = []
        for (index, button) in buttons.enumerated() {
            let key = String(index)
            switch button {
            case .url(_, let url, _) where button.hasURLVariable:
                components += buttonParameter(
                    key, name: "1", meaning: "the URL suffix that replaces {{1}}", subType: "url", type: "text", from: &section
                ) { suffix in
                    TemplateButton.suffixProblems(suffix, url: url)
                }
            case .copyCode:
                components += buttonParameter(
                    key, name: "code", meaning: "the coupon code to copy", subType: "copy_code", type: "coupon_code", from: &section
                ) {
                    TemplateParameterRules.codeProblems($0)
                }
            case .otp:
                components += buttonParameter(
                    key, name: "code", meaning: "the one-time password to copy", subType: "url", type: "text", from: &section
                ) {
                    TemplateParameterRules.codeProblems($0)
                }
            default:
                guard var given = self.section(key, of: &section) else { continue }
                rejectMembers(of: &given, "is not a parameter of button \(index): a \(button.type.rawValue) button takes none")
                section.absorb(given)
            }
        }
        let indexes = Set(buttons.indices.map(String.init))
        for key in section.params.keys.sorted() where !indexes.contains(key) {
            _ = section.value(key)
            let range =
                switch buttons.count {
                case 0: "the template has no buttons"
                case 1: "the template has one button, index 0"
                default: "the template's buttons are numbered 0 to \(buttons.count - 1)"
                }
            section.report(key, "is not a button index: \(range)")
        }
        reader.absorb(section)
        return Part(components: components, preview: preview)
    }

    /// Reads the one parameter `name` (described by `meaning`) of button `key` and returns its Cloud API component:
    /// `{"type": "button", "sub_type", "index", "parameters": [{"type": type, type: value}]}`.
    private static func buttonParameter(
        _ key: String, name: String, meaning: String, subType: String, type: String, from section: inout ParamReader,
        problems: (String) -> [String]
    ) -> [JSONValue] {
        guard var given = self.section(key, of: &section) else { return [] }
        var value: String?
        switch given.value(name) {
        case nil, .null?:
            given.report(name, "is required: \(meaning)")
        case .string(let text)?:
            let found = problems(text)
            for problem in found { given.report(name, problem) }
            if found.isEmpty { value = text }
        case let other?:
            given.report(name, "must be a string, not \(other.typeName)")
        }
        for member in given.params.keys.sorted() where member != name {
            _ = given.value(member)
            given.report(member, "is not a parameter of button \(key): its only parameter is \"\(name)\"")
        }
        section.absorb(given)
        guard let value else { return [] }
        let parameter: JSONValue = ["type": .string(type), type: .string(value)]
        return [["type": "button", "sub_type": .string(subType), "index": .string(key), "parameters": [parameter]]]
    }
}
