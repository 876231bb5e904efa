import ParleyStore
import ServiceLifecycle

/// Closes the store when the `ServiceGroup` stops: it waits for graceful shutdown (or
/// cancellation), then closes. First in the group (``Server/lifecycleServices``), so that
/// the group shuts it down last, once the server drained and the recorders stopped.
public struct StoreCloser: Service {
    private let store: any ConfigurationStore

    /// A service that closes `store` at shutdown.
    public init(store: any ConfigurationStore) {
        self.store = store
    }

    public func run() async throws {
        // Cancelled instead of shut down gracefully: the store still closes.
        try? await gracefulShutdown()
        try await store.close()
    }
}
