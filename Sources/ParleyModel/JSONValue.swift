/// A JSON value as it travels on the wire.
///
/// Numbers keep the distinction the protocol needs: `.int` for a number written without
/// fraction or exponent that fits in 64 bits, `.double` for every other number.
public enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
    /// A value already written (``RawJSON``): never made by the parser, only for output. It is
    /// the value its bytes hold: equal to it, and its members and type are that value's.
    case raw(RawJSON)
}

/// Equality is exact, as JSON's: strings are equal when their code points are, so canonically
/// equivalent but different strings (`é` as one or as two code points) are different values.
extension JSONValue: Hashable {
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.int(let a), .int(let b)): a == b
        case (.double(let a), .double(let b)): a == b
        case (.string(let a), .string(let b)): a.unicodeScalars.elementsEqual(b.unicodeScalars)
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a == b
        case (.raw(let a), .raw(let b)): a.bytes == b.bytes
        case (.raw(let a), _): a.bytes == JSONWriter.bytes(rhs)
        case (_, .raw(let b)): JSONWriter.bytes(lhs) == b.bytes
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let flag): hasher.combine(flag)
        case .int(let number): hasher.combine(number)
        case .double(let number): hasher.combine(number)
        case .string(let text): hasher.combine(text.utf8.count); for byte in text.utf8 { hasher.combine(byte) }
        case .array(let elements): hasher.combine(elements)
        case .object(let members): hasher.combine(members)
        case .raw(let raw): raw.value.hash(into: &hasher)
        }
    }
}

extension JSONValue {
    /// The members of an object, or `nil` for any other value.
    public var objectValue: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        if case .raw(let raw) = self { return raw.value.objectValue }
        return nil
    }

    /// The elements of an array, or `nil` for any other value.
    public var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        if case .raw(let raw) = self { return raw.value.arrayValue }
        return nil
    }

    /// The text of a string, or `nil` for any other value.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        if case .raw(let raw) = self { return raw.value.stringValue }
        return nil
    }

    /// The value of an integer, or `nil` for any other value.
    public var intValue: Int64? {
        if case .int(let number) = self { return number }
        if case .raw(let raw) = self { return raw.value.intValue }
        return nil
    }

    /// The value of a boolean, or `nil` for any other value.
    public var boolValue: Bool? {
        if case .bool(let flag) = self { return flag }
        if case .raw(let raw) = self { return raw.value.boolValue }
        return nil
    }

    /// Whether this value is JSON `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        if case .raw(let raw) = self { return raw.value.isNull }
        return false
    }

    /// Member lookup for objects; `nil` for missing members and non-objects.
    public subscript(member: String) -> JSONValue? {
        objectValue?[member]
    }

    /// Element lookup for arrays; `nil` out of range and for non-arrays.
    public subscript(index: Int) -> JSONValue? {
        guard let elements = arrayValue, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// A short name of the value's JSON type, for error messages ("string", "object", ...).
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .int: "integer"
        case .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        case .raw(let raw): raw.value.typeName
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral, ExpressibleByFloatLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(nilLiteral: ()) { self = .null }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

extension JSONValue {
    /// `.string(text)` or `.null` when `text` is nil.
    public static func optional(_ text: String?) -> JSONValue {
        text.map(JSONValue.string) ?? .null
    }
}
