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

    /// `value` as a YAML document: keys sorted, strings quoted wherever YAML would read them as
    /// something else, so that reading it back gives the same JSON.
    static func text(of value: JSONValue) throws -> String {
        try Yams.serialize(node: node(for: value), allowUnicode: true, sortKeys: true)
    }

    private static func node(for value: JSONValue) -> Node {
        switch value {
        case .null: return Node("null", Yams.Tag(.null))
        case .bool(let flag): return Node(flag ? "true" : "false", Yams.Tag(.bool))
        case .int(let number): return Node(String(number), Yams.Tag(.int))
        case .double(let number): return Node(String(number), Yams.Tag(.float))
        case .string(let text):
            return stringNode(text)
        case .array(let elements): return Node(elements.map(node(for:)))
        case .object(let members):
            return Node(members.keys.sorted().map { (stringNode($0), node(for: members[$0]!)) })
        case .raw(let raw): return node(for: raw.value)
        }
    }

    /// A string, plain where every YAML reader reads it back as the same string, else double-quoted.
    private static func stringNode(_ text: String) -> Node {
        let plain = Node.Scalar(text, Yams.Tag(.str), .plain)
        let safe =
            scalarValue(plain) == .string(text) && !text.isEmpty && text.first?.isWhitespace != true
            && text.last?.isWhitespace != true && !text.contains(where: { "\n:#{}[],&*!|>'\"%@`".contains($0) })
            && Double(text) == nil && !["yes", "no", "on", "off", "y", "n"].contains(text.lowercased())
        return Node(text, Yams.Tag(.str), safe ? .plain : .doubleQuoted)
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
