/// How the variables of a template's texts are written.
public enum TemplateParameterFormat: String, Sendable, Hashable, CaseIterable {
    /// `{{1}}`, `{{2}}`, ... numbered from 1 without gaps.
    case positional = "POSITIONAL"
    /// `{{first_name}}`: lower-case letters, digits and `_`, starting with a letter.
    case named = "NAMED"

    /// The wire values, in documentation order.
    public static let wireValues = allCases.map(\.rawValue)
}
