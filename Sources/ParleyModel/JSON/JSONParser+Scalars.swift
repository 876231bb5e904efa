extension JSONParser {
    /// Parses a string starting at the opening quote, validating UTF-8 and escapes.
    mutating func parseString() throws(Failure) -> String {
        index += 1
        var text = ""
        var runStart = index
        var runIsASCII = true
        while true {
            guard index < bytes.count else { throw failure("unterminated string") }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                // The usual string (a member name, an id) is one ASCII run: made in one step.
                if text.isEmpty, runIsASCII {
                    text = String(decoding: bytes[runStart..<index], as: UTF8.self)
                } else {
                    try appendUTF8(from: runStart, to: index, ascii: runIsASCII, into: &text)
                }
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") {
                try appendUTF8(from: runStart, to: index, ascii: runIsASCII, into: &text)
                text.unicodeScalars.append(try parseEscape())
                runStart = index
                runIsASCII = true
                continue
            }
            if byte < 0x20 { throw failure("unescaped control character in string") }
            if byte >= 0x80 { runIsASCII = false }
            index += 1
        }
    }

    /// Appends the bytes `start..<end` (no quotes, no escapes) as text, refusing invalid UTF-8.
    /// An ASCII run is valid UTF-8 as it is: `String(decoding:)` is specialized for contiguous
    /// bytes, while `String(validating:)` runs the standard library's generic validation (with a
    /// metadata look-up per call), so only runs with non-ASCII bytes take it.
    private func appendUTF8(from start: Int, to end: Int, ascii: Bool, into text: inout String) throws(Failure) {
        guard start < end else { return }
        if ascii {
            text += String(decoding: bytes[start..<end], as: UTF8.self)
            return
        }
        if let run = String(validating: bytes[start..<end], as: UTF8.self) {
            text += run
            return
        }
        // Invalid: decode scalar by scalar to report where.
        var decoder = UTF8()
        var iterator = bytes[start..<end].makeIterator()
        var offset = start
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                offset += UTF8.width(scalar)
            case .emptyInput:
                throw Failure(reason: "invalid UTF-8", offset: start)
            case .error:
                throw Failure(reason: "invalid UTF-8", offset: offset)
            }
        }
    }

    private mutating func parseEscape() throws(Failure) -> Unicode.Scalar {
        index += 1
        guard index < bytes.count else { throw failure("unterminated escape") }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"): return try parseUnicodeEscape()
        default:
            index -= 1
            throw failure("invalid escape")
        }
    }

    private mutating func parseUnicodeEscape() throws(Failure) -> Unicode.Scalar {
        let first = try parseHex4()
        if (0xD800...0xDBFF).contains(first) {
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
            else { throw failure("unpaired surrogate") }
            index += 2
            let second = try parseHex4()
            guard (0xDC00...0xDFFF).contains(second) else { throw failure("unpaired surrogate") }
            let value = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            guard let scalar = Unicode.Scalar(value) else { throw failure("invalid code point") }
            return scalar
        }
        guard let scalar = Unicode.Scalar(first) else { throw failure("unpaired surrogate") }
        return scalar
    }

    private mutating func parseHex4() throws(Failure) -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw failure("invalid hex digit in \\u escape")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    /// Parses a number; integers without fraction or exponent that fit 64 bits become `.int`.
    mutating func parseNumber() throws(Failure) -> JSONValue {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw failure("invalid number") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) { throw failure("leading zero in number") }
        } else {
            skipDigits()
        }
        var isInteger = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw failure("invalid number") }
            skipDigits()
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw failure("invalid number") }
            skipDigits()
        }
        guard index - start <= 64 else { throw Failure(reason: "number too long", offset: start) }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isInteger, let integer = Int64(text) { return .int(integer) }
        guard let double = Double(text), double.isFinite else { throw Failure(reason: "number out of range", offset: start) }
        return .double(double)
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private mutating func skipDigits() {
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
}
