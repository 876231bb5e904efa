import ParleyModel
import Yams

/// A field value as the user wrote it, before the field's schema says what it is.
///
/// `--set` values and plain YAML scalars (`waba_id: 104996122399162`) keep their text, so that a
/// string field gets exactly the characters typed (`0042`, `+420...`, `1e3` stay as written) and
/// only fields of another type read them as numbers, booleans or JSON. JSON documents and quoted
/// YAML scalars are typed already.
indirect enum GivenValue: Sendable, Equatable {
    /// A value whose JSON type is settled (a JSON document, a quoted YAML string).
    case typed(JSONValue)
    /// Text whose type the schema decides: a `--set` value or a plain YAML scalar.
    case plain(String, origin: Origin)
    case array([GivenValue])
    case object([String: GivenValue])

    /// Where plain text came from, for the wording of conversion errors.
    enum Origin: Sendable, Equatable {
        case assignment
        case yaml
    }

    /// A typed JSON value as a tree, so that `--set` can reach into its objects.
    init(json: JSONValue) {
        switch json {
        case .object(let members): self = .object(members.mapValues(GivenValue.init(json:)))
        case .array(let elements): self = .array(elements.map(GivenValue.init(json:)))
        case .raw(let raw): self.init(json: raw.value)
        default: self = .typed(json)
        }
    }

    /// A YAML node as a tree: plain scalars keep their text, quoted ones are strings.
    init(yaml node: Node?) throws {
        guard let node else {
            self = .typed(.null)
            return
        }
        switch node {
        case .scalar(let scalar):
            self = scalar.style == .plain ? .plain(scalar.string, origin: .yaml) : .typed(.string(scalar.string))
        case .sequence(let sequence):
            self = .array(try sequence.map { try GivenValue(yaml: $0) })
        case .mapping(let mapping):
            var members: [String: GivenValue] = [:]
            for (key, value) in mapping {
                guard let name = key.string else { throw CLIError.usage("YAML mapping keys must be strings") }
                guard members[name] == nil else { throw CLIError.usage("YAML key \(name) appears twice") }
                members[name] = try GivenValue(yaml: value)
            }
            self = .object(members)
        case .alias:
            throw CLIError.usage("YAML aliases are not supported")
        }
    }

    /// The members of an object, or nil.
    var members: [String: GivenValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// `self` with `value` at `path` (objects created on the way; a non-object on the way is replaced).
    func setting(_ value: GivenValue, at path: ArraySlice<String>) -> GivenValue {
        guard let first = path.first else { return value }
        var members = self.members ?? [:]
        members[first] = (members[first] ?? .object([:])).setting(value, at: path.dropFirst())
        return .object(members)
    }
}
