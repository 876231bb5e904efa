/// A strict RFC 8259 JSON parser over UTF-8 bytes with resource budgets.
///
/// It rejects invalid UTF-8, duplicate object members, nesting deeper than
/// ``Configuration/maximumDepth`` and trailing data, so that a hostile frame is refused
/// before it can build an expensive tree.
public struct JSONParser {
    /// Budgets applied while parsing.
    public struct Configuration: Sendable {
        /// Deepest nesting of arrays and objects accepted.
        public var maximumDepth: Int
        /// Default budgets: depth 64.
        public init(maximumDepth: Int = 64) {
            self.maximumDepth = maximumDepth
        }
    }

    /// Why a text is not acceptable JSON; `offset` is the byte position of the problem.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var reason: String
        public var offset: Int
        public var description: String { "\(reason) at byte \(offset)" }
    }

    let bytes: [UInt8]
    var index = 0
    private var depth = 0
    private let configuration: Configuration

    private init(bytes: [UInt8], configuration: Configuration) {
        self.bytes = bytes
        self.configuration = configuration
    }

    /// Parses one complete JSON text.
    public static func parse(
        _ bytes: some Collection<UInt8>, configuration: Configuration = .init()
    ) throws(Failure) -> JSONValue {
        var parser = JSONParser(bytes: Array(bytes), configuration: configuration)
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        guard parser.index == parser.bytes.count else { throw parser.failure("unexpected data after the JSON value") }
        return value
    }

    /// Parses one complete JSON text given as a Swift string.
    public static func parse(_ text: String, configuration: Configuration = .init()) throws(Failure) -> JSONValue {
        try parse(Array(text.utf8), configuration: configuration)
    }

    func failure(_ reason: String) -> Failure {
        Failure(reason: reason, offset: index)
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func parseValue() throws(Failure) -> JSONValue {
        guard index < bytes.count else { throw failure("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw failure("unexpected character")
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(Failure) {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw failure("unexpected end of input") }
        for offset in 0..<count where bytes[index + offset] != literal.utf8Start[offset] {
            throw failure("invalid literal")
        }
        index += count
    }

    private mutating func enterContainer() throws(Failure) {
        depth += 1
        if depth > configuration.maximumDepth {
            throw failure("nesting deeper than \(configuration.maximumDepth) levels")
        }
    }

    private mutating func parseObject() throws(Failure) -> JSONValue {
        try enterContainer()
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object([:])
        }
        // Room for six members from the start: a request and its params usually fit, and each
        // growth of a dictionary reallocates it (with a metadata look-up for its storage type).
        var members = [String: JSONValue](minimumCapacity: 6)
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a member name") }
            let nameOffset = index
            // Member names are compared after NFC normalisation (TextRules.normalized), so that
            // two spellings of one name are one member; ASCII names, the usual case, need no work.
            let parsedName = try parseString()
            let name = parsedName.utf8.allSatisfy { $0 < 0x80 } ? parsedName : TextRules.normalized(parsedName)
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw failure("expected ':'") }
            index += 1
            skipWhitespace()
            let value = try parseValue()
            guard members.updateValue(value, forKey: name) == nil else {
                // Names are compared after NFC normalisation, like all text (TextRules.normalized).
                let note = name.unicodeScalars.allSatisfy(\.isASCII) ? "" : " (names are compared after Unicode NFC normalisation)"
                throw Failure(reason: "duplicate member \"\(TextRules.shortened(name))\"\(note)", offset: nameOffset)
            }
            skipWhitespace()
            guard index < bytes.count else { throw failure("unexpected end of input") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; break }
            throw failure("expected ',' or '}'")
        }
        depth -= 1
        return .object(members)
    }

    private mutating func parseArray() throws(Failure) -> JSONValue {
        try enterContainer()
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw failure("unexpected end of input") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; break }
            throw failure("expected ',' or ']'")
        }
        depth -= 1
        return .array(elements)
    }
}
