import ParleyModel

/// Deletes audit records older than the configured retention and change history beyond what
/// watch keeps (a number of revisions, and at least 24 hours), at start and then hourly.
struct AuditRetention: Sendable {
    let services: ServerServices

    func run() async {
        let days = services.configuration.auditRetentionDays
        while !Task.isCancelled {
            let now = Timestamp.now()
            do {
                if days > 0 {
                    let removed = try await services.store.purgeAudit(before: now.adding(milliseconds: -Int64(days) * 86_400_000))
                    if removed > 0 { services.logger.info("audit records past retention deleted", metadata: ["count": "\(removed)"]) }
                }
                let compacted = try await services.store.compactChanges(
                    keepRevisions: services.configuration.watchHistoryRevisions, olderThan: now.adding(milliseconds: -86_400_000))
                if compacted > 0 { services.logger.info("change history compacted", metadata: ["count": "\(compacted)"]) }
            } catch {
                services.logger.error("retention failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(3600))
        }
    }
}
