import ParleyModel
import ParleyStore

/// `files.check`: whether a file may be sent, by the tenant's file policy and file-type list
/// (``FilePolicyCheck`` holds the rules and their order).
enum FileMethods {
    static let all: [Method] = [
        Method("files.check", permission: .tenantRead, handler: check)
    ]

    static func check(_ context: RequestContext, _ params: CheckFileParams) async throws -> JSONValue {
        let tenantId = params.tenantId
        let stored = try await context.store.resources(.blockedFileType, tenantId: tenantId, query: ResourceQuery(limit: Int.max))
        let rules = try stored.map(StoredContent<BlockedFileType>.content(of:))
        let policies = try await context.store.resources(.filePolicy, tenantId: tenantId, query: ResourceQuery(limit: Int.max))
            .map { (id: $0.id, policy: try StoredContent<FilePolicy>.content(of: $0)) }
        let check = FilePolicyCheck(
            fileName: params.fileName, mimeType: params.mimeType, direction: params.direction, sizeBytes: params.sizeBytes,
            channel: params.channel, animated: params.animated)
        return check.result(rules: rules, ids: stored.map(\.id), policy: FilePolicy.governing(params.channel, among: policies))
    }
}
