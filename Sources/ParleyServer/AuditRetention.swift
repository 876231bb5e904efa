import ParleyModel

/// Deletes audit records older than the configured retention, at start and then hourly.
struct AuditRetention: Sendable {
    let services: ServerServices

    func run() async {
        let days = services.configuration.auditRetentionDays
        guard days > 0 else { return }
        while !Task.isCancelled {
            let cutoff = Timestamp.now().adding(milliseconds: -Int64(days) * 86_400_000)
            do {
                let removed = try await services.store.purgeAudit(before: cutoff)
                if removed > 0 { services.logger.info("audit records past retention deleted", metadata: ["count": "\(removed)"]) }
            } catch {
                services.logger.error("audit retention failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(3600))
        }
    }
}
