extension Tag {
    /// The limits of the tag fields.
    public enum Limits {
        public static let nameLength = 2...50
        public static let labelLength = 1...100
        public static let descriptionLength = 500
    }

    /// Reads and validates every tag field, reporting each problem; warns when both colours are set
    /// and their contrast is below WCAG's 4.5:1.
    public static func read(from reader: inout ParamReader) -> Tag? {
        typealias Read = FamilyFieldReading
        let issueCount = reader.issues.count
        let name = readName(from: &reader)
        let label = readLabel(defaultingTo: name, from: &reader)
        let background = readColor("background_color", from: &reader)
        let text = readColor("text_color", from: &reader)
        let description = Read.optionalText(
            "description", maximumLength: Limits.descriptionLength, allowingNewlines: true, in: &reader)
        if let background, let text, let ratio = ColorContrast.ratio(background, text), ratio < ColorContrast.minimumForText {
            reader.warn(
                "text_color",
                "has a contrast of \(ColorContrast.formatted(ratio)) with background_color; WCAG asks for at least 4.5:1")
        }
        guard reader.issues.count == issueCount, let name else { return nil }
        return Tag(name: name, label: label, backgroundColor: background, textColor: text, description: description)
    }

    /// Whether `name` (already trimmed) has the allowed characters: Unicode letters and decimal digits,
    /// `_` and `-`, and combining marks after the first character (so decomposed and Indic text work);
    /// the first character is a letter or a digit.
    public static func hasValidNameCharacters(_ name: String) -> Bool {
        let scalars = name.unicodeScalars
        guard let first = scalars.first, isLetterOrDigit(first) else { return false }
        return scalars.dropFirst().allSatisfy { isLetterOrDigit($0) || isMark($0) || $0 == "_" || $0 == "-" }
    }

    private static func readName(from reader: inout ParamReader) -> String? {
        guard let raw = reader.string("name", required: true) else { return nil }
        let name = TextRules.trimmed(TextRules.normalized(raw))  // one name however it is composed (NFC)
        var ok = true
        if !Limits.nameLength.contains(TextRules.length(name)) {
            reader.report("name", "must be 2 to 50 characters (after trimming)")
            ok = false
        }
        if !name.isEmpty, !hasValidNameCharacters(name) {
            reader.report("name", "must contain only letters, digits, '_' and '-', and must not start with '_' or '-'")
            ok = false
        }
        return ok ? name : nil
    }

    /// The label, or the name when the label is absent or null.
    private static func readLabel(defaultingTo name: String?, from reader: inout ParamReader) -> String? {
        guard let raw = reader.string("label") else { return name }
        return TextRules.displayText(raw, field: "label", lengths: Limits.labelLength, into: &reader)
    }

    private static func readColor(_ field: String, from reader: inout ParamReader) -> String? {
        guard let raw = reader.string(field) else { return nil }
        guard let color = FieldRules.color(TextRules.trimmed(raw)) else {
            reader.report(field, "must be a colour written #RRGGBB")
            return nil
        }
        return color
    }

    private static func isLetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber: true
        default: false
        }
    }

    private static func isMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: true
        default: false
        }
    }
}
