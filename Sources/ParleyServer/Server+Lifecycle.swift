import ServiceLifecycle

extension Server {
    /// The services of a running server, in the order a `ServiceGroup` runs them: ``StoreCloser``,
    /// the ``KeyUseRecorder``, ``AuditRetention``, then the server itself. The group shuts them
    /// down in reverse: the server drains its connections first, then the recorder writes what was
    /// noted and retention stops, and the store closes last, so nothing touches a closed store.
    ///
    /// Any of them finishing or failing shuts the rest down gracefully in that order (the server
    /// finishes on ``shutdown()``, as well as on the group's graceful shutdown); the group then
    /// throws the first error. Services added after these (metrics, TLS reloading) stop first.
    public var lifecycleServices: [ServiceGroupConfiguration.ServiceConfiguration] {
        let members: [any Service] = [
            StoreCloser(store: services.store),
            services.keyUse,
            AuditRetention(store: services.store, configuration: configuration, logger: services.logger),
            self,
        ]
        return members.map { .init(service: $0, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup) }
    }
}
