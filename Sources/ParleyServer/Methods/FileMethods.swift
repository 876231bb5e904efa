import ParleyModel
import ParleyStore

/// `files.check`: whether a file may be sent, by the tenant's file policy and file-type list
/// (``FilePolicyCheck`` holds the rules and their order).
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
            let direction = reader.enumeration("direction", BlockedFileType.directions).flatMap(FileCheckDirection.init(rawValue:))
            let size = reader.integer("size_bytes", in: 0...Int64.max)
            let channel = reader.enumeration("channel", FilePolicyChannel.checkValues).flatMap(FilePolicyChannel.init(rawValue:))
            let animated = reader.bool("animated") ?? false
            if let fileName {
                do throws(ConfigError) {
                    _ = try FileNameCheck.extensions(of: fileName)
                } catch {
                    if case .invalid(let issues) = error { for issue in issues { reader.reportPath(issue.path, issue.message) } }
                }
            }
            try reader.finish()
            let stored = try await context.store.resources(.blockedFileType, tenantId: tenantId!, query: ResourceQuery(limit: Int.max))
            let rules = try stored.map(StoredContent<BlockedFileType>.content(of:))
            let policies = try await context.store.resources(.filePolicy, tenantId: tenantId!, query: ResourceQuery(limit: Int.max))
                .map { (id: $0.id, policy: try StoredContent<FilePolicy>.content(of: $0)) }
            let check = FilePolicyCheck(fileName: fileName!, mimeType: mimeType, direction: direction, sizeBytes: size, channel: channel, animated: animated)
            return check.result(rules: rules, ids: stored.map(\.id), policy: FilePolicy.governing(channel, among: policies))
        }
    ]
}
