/// Shared rules for text fields: trimming, length in Unicode characters, control characters, patterns.
public enum TextRules {
    /// Length in Unicode characters (scalars), the unit every limit in the protocol is counted in.
    public static func length(_ text: String) -> Int {
        text.unicodeScalars.count
    }

    /// Whether the text holds a control character (Unicode category Cc), other than those allowed.
    public static func hasControlCharacter(_ text: String, allowingNewlines: Bool = false) -> Bool {
        text.unicodeScalars.contains { scalar in
            guard scalar.properties.generalCategory == .control else { return false }
            return !(allowingNewlines && (scalar == "\n" || scalar == "\r"))
        }
    }

    /// `text` cut to `limit` characters, with `…` appended when it was longer (for echoing client input).
    public static func shortened(_ text: String, to limit: Int = 64) -> String {
        length(text) <= limit ? text : String(String.UnicodeScalarView(text.unicodeScalars.prefix(limit))) + "…"
    }

    /// Trims white space and newlines at both ends.
    public static func trimmed(_ text: String) -> String {
        var scalars = Substring(text).unicodeScalars
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }

    /// Checks a display text: trimmed, `lengths` characters, no control characters.
    /// Returns the trimmed text, or records the problem and returns nil.
    public static func displayText(
        _ raw: String?, field: String, lengths: ClosedRange<Int>, allowingNewlines: Bool = false,
        trim: Bool = true, into reader: inout ParamReader
    ) -> String? {
        guard let raw else { return nil }
        let text = trim ? trimmed(raw) : raw
        var ok = true
        if hasControlCharacter(text, allowingNewlines: allowingNewlines) {
            reader.report(field, "must not contain control characters")
            ok = false
        }
        let count = length(text)
        if count < lengths.lowerBound || count > lengths.upperBound {
            reader.report(
                field,
                lengths.lowerBound == 0
                    ? "must be at most \(lengths.upperBound) characters"
                    : "must be \(lengths.lowerBound) to \(lengths.upperBound) characters (after trimming)")
            ok = false
        }
        return ok ? text : nil
    }

    /// `^[a-z]{2,3}(_[A-Z]{2})?$`: a WhatsApp language code such as `cs` or `en_US`.
    public static func isWhatsAppLanguage(_ code: String) -> Bool {
        let bytes = Array(code.utf8)
        let lower = bytes.prefix { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }
        guard lower.count == 2 || lower.count == 3 else { return false }
        let rest = bytes.dropFirst(lower.count)
        if rest.isEmpty { return true }
        return rest.count == 3 && rest.first == UInt8(ascii: "_")
            && rest.dropFirst().allSatisfy { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
    }

    /// `^[a-z0-9][a-z0-9-]{1,62}$`: a URL-safe slug.
    public static func isSlug(_ slug: String) -> Bool {
        let bytes = Array(slug.utf8)
        guard (2...63).contains(bytes.count) else { return false }
        func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        return isLowerAlphanumeric(bytes[0]) && bytes.dropFirst().allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }
}
