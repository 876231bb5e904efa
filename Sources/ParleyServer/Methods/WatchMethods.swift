import ParleyModel
import ParleyProtocol
import ParleyStore
import Synchronization

/// `watch.subscribe` and `watch.unsubscribe`: configuration changes pushed as notifications.
enum WatchMethods {
    /// Every family a watch may ask for.
    static let families = ["tenants"] + ResourceKind.all.map(\.family)
    private static let counter = Atomic<Int>(0)

    static let all: [Method] = [
        Method("watch.subscribe", permission: Permission(level: .tenantReader, scope: .tenant(required: false), mutates: false)) {
            context, params in
            var reader = ParamReader(params)
            let tenantId = reader.string("tenant_id") ?? context.tenantScope
            let families = reader.stringArray("families", maximumCount: families.count) { family, path, reader in
                guard WatchMethods.families.contains(family) else {
                    reader.reportPath(path, "must be one of \(WatchMethods.families.joined(separator: ", "))")
                    return nil
                }
                return family
            }
            let from = reader.integer("from_revision", in: 0...Int64.max)
            try reader.finish()
            if let tenantId, try await context.store.tenant(id: tenantId) == nil, from == nil {
                throw ConfigError.notFound(type: "tenant", id: tenantId)
            }
            let current = try await context.store.currentRevision()
            switch try await context.store.changePosition(atRevision: from ?? current) {
            case .gone(let compact):
                throw RPCError(
                    .gone, "history before revision \(compact) is no longer kept; re-read the current state (config.export) and watch from now on",
                    data: ["compact_revision": .int(compact)])
            case .at(let sequence, let revision):
                let id = "sub_\(counter.add(1, ordering: .relaxed).newValue)"
                let progress = WatchProgress()
                let subscription = WatchSubscription(
                    id: id, filter: ChangeFilter(tenantId: tenantId, families: families.map(Set.init)), start: sequence,
                    connection: context.connection, store: context.store, outboundCap: context.services.configuration.watchOutboundCap,
                    keyId: context.session?.keyID, liveKeys: context.services.liveKeys, progress: progress)
                // Registered now (so the limit holds for pipelined subscribes), started once this
                // response is written (so events never overtake it).
                let (started, start) = AsyncStream.makeStream(of: Void.self)
                let registration = await context.connection.register(id, keyId: context.session?.keyID, progress: progress) {
                    Task {
                        for await _ in started {}
                        await subscription.run()
                    }
                }
                switch registration {
                case .registered:
                    break
                case .full:
                    start.finish()
                    throw RPCError.busy("this connection already has \(ConnectionHandler.maximumSubscriptions) subscriptions")
                case .unavailable:
                    start.finish()
                    throw RPCError(.unauthenticated, "the connection said hello with another key while subscribing; subscribe again")
                }
                context.afterResponse.add { start.finish() }
                return ["subscription_id": .string(id), "revision": .int(revision)]
            }
        },
        Method("watch.unsubscribe", permission: .authenticated) { context, params in
            var reader = ParamReader(params)
            let id = reader.string("subscription_id", required: true)
            try reader.finish()
            guard await context.connection.cancelSubscription(id!) else { throw ConfigError.notFound(type: "subscription", id: id!) }
            return ["subscription_id": .string(id!), "unsubscribed": true]
        },
    ]
}
