extension HeroCardButton {
    /// Reads one button object, checking its value against its type and `limits`.
    /// `limits` is nil when the card's channel is unknown (only channel-independent rules apply).
    static func read(from reader: inout ParamReader, limits: HeroCardLimits?) -> HeroCardButton? {
        let type = readType(from: &reader, limits: limits)
        let title = TextRules.displayText(
            reader.string("title", required: true), field: "title", lengths: 1...HeroCardLimits.buttonTitleLength, into: &reader)
        let value = readValue(reader.string("value", required: true), type: type, limits: limits, into: &reader)
        guard let type, let title, let value else { return nil }
        return HeroCardButton(type: type, title: title, value: value)
    }

    private static func readType(from reader: inout ParamReader, limits: HeroCardLimits?) -> HeroCardButtonType? {
        guard let raw = reader.enumeration("type", HeroCardButtonType.wireValues, required: true),
            let type = HeroCardButtonType(rawValue: raw)
        else { return nil }
        if let limits, !limits.buttonTypes.contains(type) {
            let allowed = limits.buttonTypes.map(\.rawValue).joined(separator: " or ")
            reader.report(
                "type", "must be \(allowed) on WHATSAPP cards: a WhatsApp interactive message has reply buttons or one URL button")
            return nil
        }
        return type
    }

    private static func readValue(
        _ raw: String?, type: HeroCardButtonType?, limits: HeroCardLimits?, into reader: inout ParamReader
    ) -> String? {
        guard let raw else { return nil }
        let text = TextRules.trimmed(raw)
        switch type?.valueKind {
        case .webURL?:
            guard FieldRules.isWebURL(text, allowingHTTP: true), TextRules.length(text) <= HeroCardLimits.urlLength else {
                reader.report("value", "must be an absolute http or https URL of at most \(HeroCardLimits.urlLength) characters")
                return nil
            }
            return text
        case .telephone?:
            guard text.lowercased().hasPrefix("tel:"), let number = FieldRules.e164(String(text.dropFirst(4))) else {
                reader.report("value", "must be a tel: URI with an E.164 number, such as tel:+420601123456")
                return nil
            }
            return "tel:" + number
        case .message?, nil:
            let longest = limits?.messageValue ?? HeroCardLimits.rich.messageValue
            return TextRules.displayText(raw, field: "value", lengths: 1...longest, into: &reader)
        }
    }
}
