/// Finds the `{{...}}` variables of a template text and the braces that do not form one.
///
/// A `{{` opens a variable that the next `}}` closes; its content must be `1`..`n` or a
/// lower_snake name, without spaces. A `{{` with no `}}` before the next `{{` (or the end), an
/// empty or otherwise invalid content, and a `}}` that closes nothing are reported as problems.
public enum TemplateVariableScanner {
    /// Scans `text`.
    public static func scan(_ text: String) -> TemplateVariableScan {
        let scalars = Array(text.unicodeScalars)
        var scan = TemplateVariableScan(scalars: scalars, occurrences: [], problems: [])
        var index = 0
        while index < scalars.count {
            if isPair(scalars, at: index, of: "{") {
                index = readVariable(openingAt: index, into: &scan)
            } else if isPair(scalars, at: index, of: "}") {
                scan.problems.append("has \"}}\" without an opening \"{{\"")
                index += 2
            } else {
                index += 1
            }
        }
        return scan
    }

    /// Reads the variable opened at `start`; returns the offset where scanning continues.
    private static func readVariable(openingAt start: Int, into scan: inout TemplateVariableScan) -> Int {
        let scalars = scan.scalars
        var end = start + 2
        while end < scalars.count {
            if isPair(scalars, at: end, of: "}") {
                let content = scalars[(start + 2)..<end]
                if let variable = TemplateVariable(content: content) {
                    scan.occurrences.append(.init(variable: variable, range: start..<(end + 2)))
                } else {
                    let written = quoted(scan.text(start..<(end + 2)))
                    scan.problems.append("has \(written), which is not a valid variable (\(validForms))")
                }
                return end + 2
            }
            if isPair(scalars, at: end, of: "{") { break }
            end += 1
        }
        scan.problems.append("has \(quoted(scan.text(start..<end))) without a closing \"}}\"")
        return end
    }

    private static let validForms = "write {{1}} or {{lower_snake_name}}, without spaces"

    private static func isPair(_ scalars: [Unicode.Scalar], at index: Int, of brace: Unicode.Scalar) -> Bool {
        index + 1 < scalars.count && scalars[index] == brace && scalars[index + 1] == brace
    }

    /// `text` in quotes, shortened to 30 characters.
    private static func quoted(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        let shown = scalars.count > 30 ? String(String.UnicodeScalarView(scalars.prefix(29))) + "…" : text
        return "\"" + shown + "\""
    }
}
