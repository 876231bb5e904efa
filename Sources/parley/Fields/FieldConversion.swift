import ParleyModel
import ParleyProtocol

/// Turns what the user wrote into the JSON the field's schema asks for.
///
/// - A string field (`string` or `string|null`) takes a plain value as its text and a typed
///   number or boolean as its text too: `--set waba_id=104996122399162`, `waba_id: 104996122399162`
///   in YAML. `null` (and YAML's `~` or nothing) is null where the field allows null.
/// - Integer, number and boolean fields parse plain text as such, else the error says how to write it.
/// - Array and object fields parse plain text as JSON (`--set 'member_user_ids=["u1"]'`).
/// - Where the schema says nothing (an unknown field, a server without `rpc.discover`), plain text
///   is JSON when it parses as JSON, else text; the server then judges it.
enum FieldConversion {
    static func json(_ given: GivenValue, schema: FieldSchema?, path: [String]) throws -> JSONValue {
        switch given {
        case .typed(let value):
            return try typed(value, schema: schema, path: path)
        case .plain(let text, let origin):
            return try plain(text, origin: origin, schema: schema, path: path)
        case .array(let elements):
            return .array(
                try elements.enumerated().map { index, element in
                    try json(element, schema: schema?.items, path: path + ["\(index)"])
                })
        case .object(let members):
            var object: [String: JSONValue] = [:]
            for (name, member) in members {
                object[name] = try json(member, schema: schema?.property(name), path: path + [name])
            }
            return .object(object)
        }
    }

    /// A typed number or boolean given to a string-only field becomes its text; a quoted text given
    /// to a number or boolean field is refused with how to write it; anything else stays.
    private static func typed(_ value: JSONValue, schema: FieldSchema?, path: [String]) throws -> JSONValue {
        let types = schema?.types ?? []
        if case .string(let text) = value, !types.isEmpty, types.isSubset(of: ["integer", "number", "boolean", "null"]) {
            throw CLIError.usage(ConversionMessage.quotedScalar(path.joined(separator: "."), text, types: types))
        }
        guard types.contains("string"), types.isSubset(of: ["string", "null"]) else { return value }
        switch value {
        case .int(let number): return .string(String(number))
        case .bool(let flag): return .string(flag ? "true" : "false")
        case .double: return .string(JSONWriter.string(value))
        default: return value
        }
    }

    private static func plain(_ text: String, origin: GivenValue.Origin, schema: FieldSchema?, path: [String]) throws -> JSONValue {
        let types = schema?.types ?? []
        let name = path.joined(separator: ".")
        if types.contains("null"), isNull(text, origin: origin) { return .null }
        if types.contains("string"), types.isSubset(of: ["string", "null"]) { return .string(text) }
        if types.isEmpty || types.count > 2 || (types.contains("string") && !types.isSubset(of: ["string", "null"])) {
            return guessed(text, origin: origin)
        }
        if types.contains("integer") {
            if let number = Int64(text) { return .int(number) }
            throw CLIError.usage(ConversionMessage.integer(name, text, origin: origin))
        }
        if types.contains("number") {
            if let number = Int64(text) { return .int(number) }
            if let number = Double(text), number.isFinite { return .double(number) }
            throw CLIError.usage(ConversionMessage.number(name, text, origin: origin))
        }
        if types.contains("boolean") {
            switch text.lowercased() {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: throw CLIError.usage(ConversionMessage.boolean(name, text, origin: origin))
            }
        }
        let kind = types.contains("array") ? "array" : "object"
        if let value = try? JSONParser.parse(text), kind == "array" ? value.arrayValue != nil : value.objectValue != nil { return value }
        throw CLIError.usage(ConversionMessage.structure(name, text, kind: kind, origin: origin))
    }

    private static func isNull(_ text: String, origin: GivenValue.Origin) -> Bool {
        switch origin {
        case .assignment: text == "null"
        case .yaml: ["", "~", "null", "Null", "NULL"].contains(text)
        }
    }

    /// The reading without a schema: JSON for `--set`, YAML 1.2 core scalars for YAML.
    private static func guessed(_ text: String, origin: GivenValue.Origin) -> JSONValue {
        switch origin {
        case .assignment:
            return (try? JSONParser.parse(text)) ?? .string(text)
        case .yaml:
            if isNull(text, origin: .yaml) { return .null }
            if ["true", "True", "TRUE"].contains(text) { return .bool(true) }
            if ["false", "False", "FALSE"].contains(text) { return .bool(false) }
            if let integer = Int64(text) { return .int(integer) }
            if let number = Double(text), text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) { return .double(number) }
            return .string(text)
        }
    }
}
