/// The rules every value filled into a template variable follows (render parameters and the
/// `examples` of a template alike), as Meta enforces them on sending.
enum TemplateParameterRules {
    /// The longest value of a body variable.
    static let bodyValueLength = 1024
    /// The longest value of a TEXT header variable (the whole header is at most 60 characters).
    static let headerValueLength = 60

    /// Every problem of `value` as the value of a variable: empty, control characters (newlines and
    /// tabs included), more than 4 consecutive spaces, longer than `maximumLength`.
    static func problems(_ value: String, maximumLength: Int) -> [String] {
        var problems: [String] = []
        if TextRules.trimmed(value).isEmpty { problems.append("must not be empty") }
        if TextRules.hasControlCharacter(value) {
            problems.append("must not contain newlines, tabs or other control characters")
        }
        if value.contains("     ") { problems.append("must not contain more than 4 consecutive spaces") }
        if TextRules.length(value) > maximumLength { problems.append("must be at most \(maximumLength) characters") }
        return problems
    }

    /// Checks `value` of member `name` of `reader` as a variable value; returns the text if valid.
    static func read(_ value: JSONValue?, name: String, maximumLength: Int, into reader: inout ParamReader) -> String? {
        switch value {
        case nil, .null?:
            reader.report(name, "is required")
            return nil
        case .string(let text)?:
            let problems = problems(text, maximumLength: maximumLength)
            for problem in problems { reader.report(name, problem) }
            return problems.isEmpty ? text : nil
        case let other?:
            reader.report(name, "must be a string, not \(other.typeName)")
            return nil
        }
    }

    /// Checks a code (COPY_CODE example or value, OTP code): 1 to 15 characters, no white space
    /// or control characters.
    static func codeProblems(_ code: String) -> [String] {
        var problems: [String] = []
        if code.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.properties.generalCategory == .control }) {
            problems.append("must not contain white space or control characters")
        }
        if !(1...15).contains(TextRules.length(code)) { problems.append("must be 1 to 15 characters") }
        return problems
    }
}
