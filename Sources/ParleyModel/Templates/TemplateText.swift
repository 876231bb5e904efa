/// A template text with variables (a TEXT header or the body) and an example value for each variable.
public struct TemplateText: Sendable, Hashable {
    /// The text as stored (trimmed), variables written `{{1}}` or `{{name}}`.
    public var text: String
    /// An example value for every variable, by key (`"1"`, `"first_name"`): Meta needs them for review.
    public var examples: [String: String]

    public init(text: String, examples: [String: String] = [:]) {
        self.text = text
        self.examples = examples
    }

    /// The variables and their positions.
    public var scan: TemplateVariableScan { TemplateVariableScanner.scan(text) }

    /// The distinct variables in parameter order (by number, or by first appearance when named).
    public var variables: [TemplateVariable] { scan.parameterOrder }

    /// The wire form `{"text": ..., "examples": {...}}`.
    public var fields: [String: JSONValue] {
        ["text": .string(text), "examples": .object(examples.mapValues(JSONValue.string))]
    }
}
