extension TemplateButton {
    /// The longest button text.
    static let textLength = 25

    /// Reads one button object (`components.buttons[2]`). Returns its type when that is valid even
    /// if the rest is not, so that the rules on the set of buttons can still be checked.
    static func read(from reader: inout ParamReader) -> (type: TemplateButtonType?, button: TemplateButton?) {
        guard let raw = reader.enumeration("type", TemplateButtonType.wireValues, required: true),
            let type = TemplateButtonType(rawValue: raw)
        else {
            for name in reader.params.keys { _ = reader.value(name) }
            return (nil, nil)
        }
        let before = reader.issues.count
        let button = readContent(of: type, from: &reader)
        return (type, reader.issues.count == before ? button : nil)
    }

    private static func readContent(of type: TemplateButtonType, from reader: inout ParamReader) -> TemplateButton? {
        switch type {
        case .quickReply:
            return readText(from: &reader).map { .quickReply(text: $0) }
        case .url:
            let text = readText(from: &reader)
            let url = readURL(reader.string("url", required: true), into: &reader)
            let example = readURLExample(reader.string("example"), url: url, into: &reader)
            guard let text, let url, example.valid else { return nil }
            return .url(text: text, url: url, example: example.example)
        case .phoneNumber:
            let text = readText(from: &reader)
            let number = reader.string("phone_number", required: true).flatMap { raw -> String? in
                guard let number = FieldRules.e164(raw) else {
                    reader.report("phone_number", "must be a phone number in E.164 form, such as +420601123456")
                    return nil
                }
                return number
            }
            guard let text, let number else { return nil }
            return .phoneNumber(text: text, phoneNumber: number)
        case .copyCode:
            guard let example = reader.string("example", required: true) else { return nil }
            let problems = TemplateParameterRules.codeProblems(example)
            for problem in problems { reader.report("example", problem) }
            return problems.isEmpty ? .copyCode(example: example) : nil
        case .otp:
            return TemplateOTPButton.read(from: &reader).map(TemplateButton.otp)
        }
    }

    private static func readText(from reader: inout ParamReader) -> String? {
        TextRules.displayText(reader.string("text", required: true), field: "text", lengths: 1...textLength, into: &reader)
    }
}
