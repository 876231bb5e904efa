import ParleyModel
import ParleyStore

/// `files.check`: whether a file may be sent, by the tenant's blocked file types.
enum FileMethods {
    static let all: [Method] = [
        Method("files.check", permission: .tenantRead) { context, params in
            var reader = ParamReader(params)
            let tenantId = reader.string("tenant_id", required: true)
            let fileName = reader.string("file_name", required: true)
            let mimeType = reader.string("mime_type").flatMap { raw in
                // As a Content-Type header: parameters (`; charset=...`) and spaces do not matter.
                let essence = raw.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? raw
                let normalised = FieldRules.mimeType(TextRules.trimmed(essence))
                if normalised == nil { reader.report("mime_type", "must be a MIME type such as application/pdf") }
                return normalised
            }
            let direction = reader.enumeration("direction", BlockedFileType.directions)
            if let fileName {
                do throws(ConfigError) {
                    _ = try FileNameCheck.extensions(of: fileName)
                } catch {
                    if case .invalid(let issues) = error { for issue in issues { reader.reportPath(issue.path, issue.message) } }
                }
            }
            try reader.finish()
            let stored = try await context.store.resources(
                .blockedFileType, tenantId: tenantId!, query: ResourceQuery(limit: Int.max))
            var rules: [BlockedFileType] = []
            for resource in stored {
                var ruleReader = ParamReader(resource.fields)
                guard let rule = BlockedFileType.read(from: &ruleReader) else { throw StoredContentError.unreadable(resource.id) }
                rules.append(rule)
            }
            let result = FileNameCheck.check(fileName: fileName!, mimeType: mimeType, direction: direction, rules: rules)
            return result.json(ids: stored.map(\.id))
        }
    ]
}
