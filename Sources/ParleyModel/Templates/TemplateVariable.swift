/// One variable of a template text: `{{1}}` or `{{first_name}}`.
public enum TemplateVariable: Sendable, Hashable {
    case positional(Int)
    case named(String)

    /// The key naming the variable in `examples` and in render parameters (`"1"`, `"first_name"`).
    public var key: String {
        switch self {
        case .positional(let number): String(number)
        case .named(let name): name
        }
    }

    /// The variable as written in a text (`{{1}}`).
    public var placeholder: String { "{{\(key)}}" }

    /// The parameter format this variable belongs to.
    public var format: TemplateParameterFormat {
        switch self {
        case .positional: .positional
        case .named: .named
        }
    }

    /// The variable written as `content` between the braces, or nil if it is not one:
    /// `1`..`999999999` without a leading zero, or `^[a-z][a-z0-9_]*$`.
    init?(content: some Collection<Unicode.Scalar>) {
        guard let first = content.first else { return nil }
        if ("1"..."9").contains(first) {
            guard content.count <= 9, content.allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
            self = .positional(Int(String(String.UnicodeScalarView(content)))!)
        } else if ("a"..."z").contains(first) {
            guard content.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }) else { return nil }
            self = .named(String(String.UnicodeScalarView(content)))
        } else {
            return nil
        }
    }
}
