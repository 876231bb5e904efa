/// The wording of a value that does not fit its field: what the field takes and how to write it,
/// quoted for the shell (`--set`) or in YAML (`--file`).
enum ConversionMessage {
    static func integer(_ field: String, _ text: String, origin: GivenValue.Origin) -> String {
        "\(field) takes an integer, not \(quoted(text)): " + example(field, "10", origin: origin)
    }

    static func number(_ field: String, _ text: String, origin: GivenValue.Origin) -> String {
        "\(field) takes a number, not \(quoted(text)): " + example(field, "2.5", origin: origin)
    }

    static func boolean(_ field: String, _ text: String, origin: GivenValue.Origin) -> String {
        "\(field) takes true or false, not \(quoted(text)): " + example(field, "true", origin: origin)
    }

    static func structure(_ field: String, _ text: String, kind: String, origin: GivenValue.Origin) -> String {
        let sample = kind == "array" ? #"["a","b"]"# : #"{"key":"value"}"#
        switch origin {
        case .assignment:
            return "\(field) takes a JSON \(kind), not \(quoted(text)): write it as JSON and put the whole assignment in single quotes, "
                + "so that the shell keeps the double quotes: --set '\(field)=\(sample)'"
        case .yaml:
            return "\(field) takes \(kind == "array" ? "a list" : "a mapping"), not \(quoted(text)): write it as YAML "
                + (kind == "array" ? "(\(field): [a, b], or one '- item' a line)" : "(\(field): then indented key: value lines)")
        }
    }

    /// Quoted text (in a YAML or JSON file) where the field takes a number or a boolean.
    static func quotedScalar(_ field: String, _ text: String, types: Set<String>) -> String {
        let kind = types.contains("boolean") ? "true or false" : types.contains("integer") ? "an integer" : "a number"
        return "\(field) takes \(kind), not the text \(quoted(text)): remove the quotes around the value in the file"
    }

    private static func example(_ field: String, _ sample: String, origin: GivenValue.Origin) -> String {
        switch origin {
        case .assignment: "write --set \(field)=\(sample) (no quotes are needed; the field's type decides)"
        case .yaml: "write \(field): \(sample) without quotes"
        }
    }

    private static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
