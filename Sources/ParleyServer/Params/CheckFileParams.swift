import ParleyModel

/// `files.check`: the tenant and what is known of the file (its name is required; the rest
/// narrows the check).
struct CheckFileParams: ContextFreeParams {
    var tenantId: String
    var fileName: String
    /// The MIME type's essence, normalised (parameters and spaces dropped).
    var mimeType: String?
    var direction: FileCheckDirection?
    var sizeBytes: Int64?
    var channel: FilePolicyChannel?
    var animated: Bool

    init(reading reader: inout ParamReader) throws(ConfigError) {
        let tenantId = reader.string("tenant_id", required: true)
        let fileName = reader.string("file_name", required: true)
        mimeType = reader.string("mime_type").flatMap { raw in
            // As a Content-Type header: parameters (`; charset=...`) and spaces do not matter.
            let essence = raw.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? raw
            let normalised = FieldRules.mimeType(TextRules.trimmed(essence))
            if normalised == nil { reader.report("mime_type", "must be a MIME type such as application/pdf") }
            return normalised
        }
        direction = reader.enumeration("direction", BlockedFileType.directions).flatMap(FileCheckDirection.init(rawValue:))
        sizeBytes = reader.integer("size_bytes", in: 0...Int64.max)
        channel = reader.enumeration("channel", FilePolicyChannel.checkValues).flatMap(FilePolicyChannel.init(rawValue:))
        animated = reader.bool("animated") ?? false
        if let fileName {
            do throws(ConfigError) {
                _ = try FileNameCheck.extensions(of: fileName)
            } catch {
                if case .invalid(let issues) = error { for issue in issues { reader.reportPath(issue.path, issue.message) } }
            }
        }
        (self.tenantId, self.fileName) = try reader.finish(tenantId, fileName)
    }
}
