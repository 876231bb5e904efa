/// The rules a template text's variables follow: well-formed, of the template's parameter format,
/// positional ones numbered from 1 without gaps, and at most a given number of them.
enum TemplateVariableRules {
    /// Reports every problem of `scan` (the text of member `field`) in `reader`.
    /// `format` is nil when the template's own format is invalid (then only the form is checked).
    static func check(
        _ scan: TemplateVariableScan, field: String, format: TemplateParameterFormat?, maximumVariables: Int? = nil,
        into reader: inout ParamReader
    ) {
        for problem in scan.problems { reader.report(field, problem) }
        let variables = scan.distinctVariables
        if let format {
            for variable in variables where variable.format != format {
                let kind = "a \(variable.format.rawValue) variable"
                reader.report(field, "has \(variable.placeholder), \(kind), but parameter_format is \(format.rawValue)")
            }
            if format == .positional, let gapMessage = gapMessage(variables) { reader.report(field, gapMessage) }
        }
        if let maximumVariables, variables.count > maximumVariables {
            reader.report(field, "may have at most \(maximumVariables) variable, not \(variables.count)")
        }
    }

    /// Reports that `scan` (the text of member `field`) has variables or braces at all.
    static func forbid(_ scan: TemplateVariableScan, field: String, into reader: inout ParamReader) {
        if !scan.occurrences.isEmpty || !scan.problems.isEmpty {
            reader.report(field, "must not contain variables")
        }
    }

    /// Why the positional variables among `variables` are not exactly 1...n, if they are not.
    private static func gapMessage(_ variables: [TemplateVariable]) -> String? {
        let numbers = Set(
            variables.compactMap { variable -> Int? in
                if case .positional(let number) = variable { return number }
                return nil
            })
        guard let highest = numbers.max(), highest > numbers.count else { return nil }
        var missing: [String] = []
        for number in 1...highest where !numbers.contains(number) {
            if missing.count == 5 { missing.append("…"); break }
            missing.append("{{\(number)}}")
        }
        return "must number its variables from {{1}} without gaps: missing \(missing.joined(separator: ", "))"
    }
}
