import ParleyModel
import Yams

/// Converts a YAML document into the JSON value it denotes (YAML 1.2 core schema scalars).
enum YAMLDocument {
    static func json(from node: Node?) throws -> JSONValue {
        guard let node else { return .null }
        switch node {
        case .scalar(let scalar):
            return scalarValue(scalar)
        case .sequence(let sequence):
            return .array(try sequence.map { try json(from: $0) })
        case .mapping(let mapping):
            var members: [String: JSONValue] = [:]
            for (key, value) in mapping {
                guard let name = key.string else { throw CLIError.usage("YAML mapping keys must be strings") }
                guard members[name] == nil else { throw CLIError.usage("YAML key \(name) appears twice") }
                members[name] = try json(from: value)
            }
            return .object(members)
        case .alias:
            throw CLIError.usage("YAML aliases are not supported")
        }
    }

    /// Quoted scalars are strings; plain ones may be null, booleans or numbers.
    private static func scalarValue(_ scalar: Node.Scalar) -> JSONValue {
        let text = scalar.string
        guard scalar.style == .plain else { return .string(text) }
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        if let integer = Int64(text) { return .int(integer) }
        if let number = Double(text), text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) { return .double(number) }
        return .string(text)
    }
}
