/// The variables found in a template text, where they are, and the malformed braces.
public struct TemplateVariableScan: Sendable, Hashable {
    /// One `{{...}}` that names a variable; `range` counts Unicode scalars of the text.
    public struct Occurrence: Sendable, Hashable {
        public var variable: TemplateVariable
        public var range: Range<Int>
    }

    /// The text's Unicode scalars.
    public var scalars: [Unicode.Scalar]
    /// Well-formed variables, in text order (repeats included).
    public var occurrences: [Occurrence]
    /// One message per malformed brace sequence (`"{{ 1 }}" is not a valid variable ...`).
    public var problems: [String]

    /// The distinct variables in order of first appearance.
    public var distinctVariables: [TemplateVariable] {
        var seen: Set<TemplateVariable> = []
        return occurrences.map(\.variable).filter { seen.insert($0).inserted }
    }

    /// The distinct variables in parameter order: by number for positional ones, then named ones
    /// in order of first appearance.
    public var parameterOrder: [TemplateVariable] {
        let distinct = distinctVariables
        let numbers = distinct.compactMap { variable -> Int? in
            if case .positional(let number) = variable { return number }
            return nil
        }
        let named = distinct.filter { $0.format == .named }
        return numbers.sorted().map(TemplateVariable.positional) + named
    }

    /// The text with every variable replaced by `value(variable)`.
    public func substituting(_ value: (TemplateVariable) -> String) -> String {
        var result = String.UnicodeScalarView()
        var position = 0
        for occurrence in occurrences {
            result.append(contentsOf: scalars[position..<occurrence.range.lowerBound])
            result.append(contentsOf: value(occurrence.variable).unicodeScalars)
            position = occurrence.range.upperBound
        }
        result.append(contentsOf: scalars[position...])
        return String(result)
    }

    /// The text between two scalar offsets.
    func text(_ range: Range<Int>) -> String {
        String(String.UnicodeScalarView(scalars[range]))
    }
}
