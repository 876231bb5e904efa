import Logging
import ParleyModel
import ParleyStore
import ServiceLifecycle

/// Deletes audit records older than the configured retention and change history beyond what
/// watch keeps (a number of revisions, and at least 24 hours), at start and then every `interval`
/// (an hour).
///
/// A `Service`: it sleeps between passes until graceful shutdown or cancellation, and then returns
/// at once (a pass under way finishes first); it runs before the store in the `ServiceGroup`
/// (``Server/lifecycleServices``), so it never touches a closed store.
public struct AuditRetention: Service {
    private let store: any ConfigurationStore
    private let retentionDays: Int
    private let keepRevisions: Int64
    private let interval: Duration
    private let logger: Logger

    /// Retention on `store` as `configuration` says (`auditRetentionDays`, `watchHistoryRevisions`).
    public init(store: any ConfigurationStore, configuration: Server.Configuration, logger: Logger, interval: Duration = .seconds(3600)) {
        self.store = store
        self.retentionDays = configuration.auditRetentionDays
        self.keepRevisions = configuration.watchHistoryRevisions
        self.interval = interval
        self.logger = logger
    }

    /// Runs a pass, then one every interval, until graceful shutdown or cancellation.
    public func run() async {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            await purge(now: .now())
            let interval = self.interval
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// One pass: the audit records past retention, then the change history watch no longer needs.
    func purge(now: Timestamp) async {
        do {
            if retentionDays > 0 {
                let removed = try await store.purgeAudit(before: now.adding(milliseconds: -Int64(retentionDays) * 86_400_000))
                if removed > 0 { logger.info("audit records past retention deleted", metadata: ["count": "\(removed)"]) }
            }
            let compacted = try await store.compactChanges(keepRevisions: keepRevisions, olderThan: now.adding(milliseconds: -86_400_000))
            if compacted > 0 { logger.info("change history compacted", metadata: ["count": "\(compacted)"]) }
        } catch is CancellationError {
            // Cancelled while shutting down: the next start runs a pass.
        } catch {
            logger.error("retention failed", metadata: ["error": "\(error)"])
        }
    }
}
