/// Pure checks for the value formats that several families share.
public enum FieldRules {
    /// Strips spaces, dashes and parentheses and checks `^\+[1-9]\d{6,14}$`.
    /// Returns the normalised number (`+420601123456`) or nil.
    public static func e164(_ raw: String) -> String? {
        let kept = raw.unicodeScalars.filter { !" -()".unicodeScalars.contains($0) }
        let text = String(String.UnicodeScalarView(kept))
        let bytes = Array(text.utf8)
        guard bytes.count >= 8, bytes.count <= 16, bytes[0] == UInt8(ascii: "+"),
            (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(bytes[1]),
            bytes.dropFirst().allSatisfy(isDigit)
        else { return nil }
        return text
    }

    /// Whether `text` is 1-`maximumLength` ASCII digits.
    public static func isDigits(_ text: String, maximumLength: Int = 32) -> Bool {
        let bytes = Array(text.utf8)
        return !bytes.isEmpty && bytes.count <= maximumLength && bytes.allSatisfy(isDigit)
    }

    /// `#RRGGBB` in either case; returns it upper-cased or nil.
    public static func color(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.count == 7, bytes[0] == UInt8(ascii: "#"), bytes.dropFirst().allSatisfy(isHexDigit) else { return nil }
        return text.uppercased()
    }

    /// An absolute URL with scheme `https` (or also `http` when `allowingHTTP`), a host, and
    /// no white space or control characters.
    public static func isWebURL(_ text: String, allowingHTTP: Bool = false) -> Bool {
        let lower = text.lowercased()
        let scheme: String
        if lower.hasPrefix("https://") {
            scheme = "https://"
        } else if allowingHTTP, lower.hasPrefix("http://") {
            scheme = "http://"
        } else {
            return false
        }
        guard !text.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.properties.generalCategory == .control })
        else { return false }
        let rest = text.dropFirst(scheme.count)
        let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostOnly = host.split(separator: "@").last.map { $0.split(separator: ":").first ?? "" } ?? ""
        return !hostOnly.isEmpty
    }

    /// A plausible e-mail address: one `@`, a non-empty local part, a dotted domain, no spaces.
    public static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].utf8.count <= 64 else { return false }
        let domain = parts[1]
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && $0.utf8.count <= 63 }) else { return false }
        return !text.unicodeScalars.contains { $0.properties.isWhitespace || $0.properties.generalCategory == .control }
    }

    /// `type/subtype` as in RFC 6838 (`application/pdf`, `image/svg+xml`); returns it lower-cased or nil.
    public static func mimeType(_ text: String) -> String? {
        let lower = text.lowercased()
        let parts = lower.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        func isToken(_ part: Substring) -> Bool {
            guard let first = part.utf8.first, (1...127).contains(part.utf8.count), isAlphanumeric(first) else { return false }
            return part.utf8.allSatisfy { isAlphanumeric($0) || "!#$&-^_.+".utf8.contains($0) }
        }
        return isToken(parts[0]) && isToken(parts[1]) ? lower : nil
    }

    static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
    static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }
    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }
}
