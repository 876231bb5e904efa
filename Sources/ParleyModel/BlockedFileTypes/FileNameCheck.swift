/// Decides whether a file may pass a tenant's blocked file types (`files.check`).
///
/// Every extension of the name counts, not just the last one: `invoice.pdf.exe` and `a.exe.pdf`
/// are both caught by a rule for `exe`, because something downstream may drop the last suffix.
/// Comparison ignores case; trailing dots and spaces are ignored (Windows strips them). A colon
/// starts an NTFS alternate data stream (`invoice.exe::$DATA` and `invoice.exe:$DATA` write
/// `invoice.exe` on NTFS): the part before the first colon is checked as a name of its own too.
public enum FileNameCheck {
    /// The extensions of `fileName`, lower-cased, in order: every dot-separated component after
    /// the first, each trimmed of white space, empty ones skipped (`invoice.PDF.exe` -> `[pdf, exe]`,
    /// `.bashrc` -> `[bashrc]`, `README` -> `[]`). Trailing dots and spaces are stripped first.
    ///
    /// Throws ``ConfigError/invalid(_:)`` at path `file_name` for a name that is empty, holds a
    /// NUL or a path separator (`/`, `\`), or is nothing but dots and spaces.
    public static func extensions(of fileName: String) throws(ConfigError) -> [String] {
        var issues: [ValidationIssue] = []
        let components = extensions(of: fileName, issues: &issues)
        if !issues.isEmpty { throw .invalid(issues) }
        return components
    }

    /// The name's last extension (the type a sender asks for, `pdf` of `a.exe.pdf`), nil when it
    /// has none or the name is refused.
    public static func lastExtension(of fileName: String) -> String? {
        var issues: [ValidationIssue] = []
        guard refusal(of: fileName) == nil else { return nil }
        return dotExtensions(of: Substring(fileName), issues: &issues).last
    }

    /// Checks a file against `rules`: a rule matches when it applies to `direction` (nil: any) and
    /// one of the name's extensions equals its extension, or `mimeType` (when given) equals its MIME
    /// type (compared lower-case, parameters such as `; charset=binary` ignored).
    ///
    /// Call ``extensions(of:)`` first to refuse a bad name: here a refused name has no extensions,
    /// so only its MIME type can match.
    public static func check(
        fileName: String, mimeType: String? = nil, direction: FileCheckDirection? = nil, rules: [BlockedFileType]
    ) -> FileCheckResult {
        var ignored: [ValidationIssue] = []
        let nameExtensions = Set(extensions(of: fileName, issues: &ignored))
        let declaredType = mimeType.flatMap(normalisedMimeType)
        var matched: [FileCheckResult.Match] = []
        for (index, rule) in rules.enumerated() where rule.applies(to: direction) {
            if nameExtensions.contains(rule.fileExtension) {
                let reason = sentence("extension .\(rule.fileExtension)", rule)
                matched.append(.init(ruleIndex: index, rule: rule, matchedOn: .fileExtension, reason: reason))
            } else if let declaredType, declaredType == rule.mimeType {
                let reason = sentence("MIME type \(declaredType)", rule)
                matched.append(.init(ruleIndex: index, rule: rule, matchedOn: .mimeType, reason: reason))
            }
        }
        return FileCheckResult(matched: matched)
    }

    /// ``check(fileName:mimeType:direction:rules:)`` with the direction as its wire value
    /// (`CLIENT_UPLOAD`); nil or an unknown value means any direction.
    public static func check(fileName: String, mimeType: String?, direction: String?, rules: [BlockedFileType]) -> FileCheckResult {
        check(fileName: fileName, mimeType: mimeType, direction: direction.flatMap(FileCheckDirection.init(rawValue:)), rules: rules)
    }

    private static func sentence(_ subject: String, _ rule: BlockedFileType) -> String {
        rule.reason.map { "\(subject) is blocked: \($0)" } ?? "\(subject) is blocked"
    }

    /// Why a name is refused before its extensions are read (empty, a NUL or a path separator), or nil.
    private static func refusal(of fileName: String) -> String? {
        if fileName.isEmpty { return "must not be empty" }
        if fileName.unicodeScalars.contains(where: { $0 == "\0" || $0 == "/" || $0 == "\\" }) {
            return "must not contain a NUL character or a path separator ('/' or '\\')"
        }
        return nil
    }

    private static func extensions(of fileName: String, issues: inout [ValidationIssue]) -> [String] {
        if let refusal = refusal(of: fileName) {
            issues.append(ValidationIssue(path: "file_name", message: refusal))
            return []
        }
        var found = dotExtensions(of: Substring(fileName), issues: &issues)
        if let colon = fileName.firstIndex(of: ":"), colon != fileName.startIndex {
            var ignored: [ValidationIssue] = []
            for stem in dotExtensions(of: fileName[..<colon], issues: &ignored) where !found.contains(stem) { found.append(stem) }
        }
        return found
    }

    private static func dotExtensions(of name: Substring, issues: inout [ValidationIssue]) -> [String] {
        var scalars = name.unicodeScalars
        while let last = scalars.last, last == "." || last.properties.isWhitespace { scalars.removeLast() }
        let stripped = String(scalars)
        guard stripped.unicodeScalars.contains(where: { $0 != "." && !$0.properties.isWhitespace }) else {
            issues.append(ValidationIssue(path: "file_name", message: "must contain something other than dots and spaces"))
            return []
        }
        return stripped.split(separator: ".", omittingEmptySubsequences: false)
            .dropFirst()
            .map { TextRules.trimmed(String($0)).lowercased() }
            .filter { !$0.isEmpty }
    }

    /// The MIME type without parameters, lower-cased, or nil if it is not `type/subtype`.
    private static func normalisedMimeType(_ raw: String) -> String? {
        FieldRules.mimeType(TextRules.trimmed(String(raw.prefix { $0 != ";" })))
    }
}
