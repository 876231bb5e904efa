extension TemplateButton {
    /// The longest button URL (with its variable, or with the suffix filled in).
    static let urlLength = 2000

    /// Checks a URL button's `url`: https, at most 2000 characters, at most one variable, `{{1}}`,
    /// at the very end and after the host name.
    static func readURL(_ raw: String?, into reader: inout ParamReader) -> String? {
        guard let raw else { return nil }
        let url = TextRules.trimmed(raw)
        var ok = true
        if TextRules.length(url) > urlLength {
            reader.report("url", "must be at most \(urlLength) characters")
            ok = false
        }
        let scan = TemplateVariableScanner.scan(url)
        let endsWithVariable = url.hasSuffix(urlVariable)
        let variableCount = scan.occurrences.count + scan.problems.count
        if variableCount > (endsWithVariable ? 1 : 0) {
            reader.report("url", "may hold one variable, {{1}}, and only at the very end")
            ok = false
        }
        let base = endsWithVariable ? String(url.dropLast(urlVariable.count)) : url
        if !FieldRules.isWebURL(base) {
            reader.report("url", "must be an https URL")
            ok = false
        } else if endsWithVariable, !hostIsComplete(base) {
            reader.report("url", "must have its variable after the host name (after a /, ? or #)")
            ok = false
        }
        return ok ? url : nil
    }

    /// Checks the `example` of a URL button: required (a sample suffix) exactly when the URL ends
    /// with `{{1}}`. `valid` is false after reporting a problem.
    static func readURLExample(_ raw: String?, url: String?, into reader: inout ParamReader) -> (valid: Bool, example: String?) {
        guard let url else { return (false, nil) }
        let needsExample = url.hasSuffix(urlVariable)
        switch (raw, needsExample) {
        case (nil, false):
            return (true, nil)
        case (nil, true):
            reader.report("example", "is required: the URL variable {{1}} needs an example")
            return (false, nil)
        case (_?, false):
            reader.report("example", "is only allowed when the URL ends with the variable {{1}}")
            return (false, nil)
        case (let example?, true):
            let problems = suffixProblems(example, url: url)
            for problem in problems { reader.report("example", problem) }
            return (problems.isEmpty, example)
        }
    }

    /// Every problem of `suffix` as the value of the variable ending `url`.
    static func suffixProblems(_ suffix: String, url: String) -> [String] {
        var problems: [String] = []
        if suffix.isEmpty { problems.append("must not be empty") }
        if suffix.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.properties.generalCategory == .control }) {
            problems.append("must not contain white space or control characters")
        }
        let filled = TextRules.length(url) - urlVariable.count + TextRules.length(suffix)
        if filled > urlLength { problems.append("makes the URL longer than \(urlLength) characters") }
        return problems
    }

    /// Whether the host of `url` (an https URL) is followed by a `/`, `?` or `#`.
    private static func hostIsComplete(_ url: String) -> Bool {
        url.dropFirst("https://".count).contains { $0 == "/" || $0 == "?" || $0 == "#" }
    }
}
