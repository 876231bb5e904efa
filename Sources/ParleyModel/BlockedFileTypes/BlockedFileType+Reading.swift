extension BlockedFileType {
    /// The limits of the blocked-file-type fields.
    public enum Limits {
        public static let extensionLength = 1...16
        public static let reasonLength = 200
    }

    /// Reads and validates every field, reporting each problem.
    public static func read(from reader: inout ParamReader) -> BlockedFileType? {
        let issueCount = reader.issues.count
        let fileExtension = reader.string("extension", required: true).flatMap { readExtension($0, into: &reader) }
        let mimeType = reader.string("mime_type").flatMap { readMimeType($0, into: &reader) }
        let reason = FamilyFieldReading.optionalText("reason", maximumLength: Limits.reasonLength, in: &reader)
        let appliesTo = readAppliesTo(from: &reader)
        guard reader.issues.count == issueCount, let fileExtension else { return nil }
        return BlockedFileType(fileExtension: fileExtension, mimeType: mimeType, reason: reason, appliesTo: appliesTo)
    }

    /// `raw` without surrounding white space and one leading dot, lower-cased, if it then matches
    /// `^[a-z0-9]{1,16}$`.
    public static func normalisedExtension(_ raw: String) -> String? {
        var text = Substring(TextRules.trimmed(raw))
        if text.first == "." { text = text.dropFirst() }
        let lower = text.lowercased()
        let bytes = lower.utf8
        guard Limits.extensionLength.contains(bytes.count), bytes.allSatisfy(isLowerAlphanumeric) else { return nil }
        return lower
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        FieldRules.isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
    }

    private static func readExtension(_ raw: String, into reader: inout ParamReader) -> String? {
        guard let normalised = normalisedExtension(raw) else {
            reader.report("extension", "must be 1 to 16 letters a-z or digits (a leading dot is ignored), such as \"exe\"")
            return nil
        }
        return normalised
    }

    private static func readMimeType(_ raw: String, into reader: inout ParamReader) -> String? {
        guard let mimeType = FieldRules.mimeType(TextRules.trimmed(raw)) else {
            reader.report("mime_type", "must be a MIME type written type/subtype, such as application/x-msdownload")
            return nil
        }
        return mimeType
    }

    /// A non-empty list of distinct directions; all three when absent or null.
    private static func readAppliesTo(from reader: inout ParamReader) -> [FileCheckDirection] {
        let allowed = FileCheckDirection.wireValues
        guard
            let names = reader.stringArray(
                "applies_to", maximumCount: allowed.count,
                check: { value, path, reader in
                    guard allowed.contains(value) else {
                        reader.reportPath(path, "must be one of \(allowed.joined(separator: ", "))")
                        return nil
                    }
                    return value
                })
        else { return FileCheckDirection.allCases }
        if names.isEmpty {
            reader.report("applies_to", "must name at least one of \(allowed.joined(separator: ", "))")
        }
        return FileCheckDirection.canonical(names.compactMap(FileCheckDirection.init(rawValue:)))
    }
}
