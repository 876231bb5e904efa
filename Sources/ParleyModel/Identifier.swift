/// Makes opaque, time-ordered identifiers: a type prefix, then 10 characters of millisecond time and
/// 16 random characters in Crockford base32 (`tnt_01JD8X3Q4N7Z2K5M8P0R3S6T9V`).
///
/// Sorting ids sorts by creation time, which gives lists a stable order for cursors.
public enum Identifier {
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// A new id with `prefix` (e.g. `tnt`) created at `time`.
    public static func make(prefix: String, at time: Timestamp) -> String {
        var generator = SystemRandomNumberGenerator()
        return make(prefix: prefix, at: time, using: &generator)
    }

    /// A new id drawing its random part from `generator`.
    public static func make(prefix: String, at time: Timestamp, using generator: inout some RandomNumberGenerator) -> String {
        var characters = [UInt8](repeating: 0, count: 26)
        var clock = UInt64(max(0, time.millisecondsSinceEpoch))
        for position in stride(from: 9, through: 0, by: -1) {
            characters[position] = alphabet[Int(clock & 31)]
            clock >>= 5
        }
        var random = generator.next() as UInt64
        for position in 10..<26 {
            if position == 22 { random = generator.next() }
            characters[position] = alphabet[Int(random & 31)]
            random >>= 5
        }
        return prefix + "_" + String(decoding: characters, as: UTF8.self)
    }

    /// Whether `text` has the shape of an id with `prefix` (used to reject junk cursors early).
    public static func isWellFormed(_ text: String, prefix: String) -> Bool {
        let expected = prefix + "_"
        guard text.hasPrefix(expected) else { return false }
        let body = text.utf8.dropFirst(expected.utf8.count)
        return body.count == 26 && body.allSatisfy { alphabet.contains($0) }
    }
}
