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
        Method("watch.subscribe", permission: Permission(level: .tenantReader, scope: .tenant(required: false), mutates: false), handler: subscribe),
        Method("watch.unsubscribe", permission: .authenticated, handler: unsubscribe),
    ]

    static func subscribe(_ context: RequestContext, _ params: SubscribeParams) async throws -> JSONValue {
        let tenantId = params.tenantId ?? context.tenantScope
        let families = params.families, from = params.fromRevision
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
    }

    static func unsubscribe(_ context: RequestContext, _ params: UnsubscribeParams) async throws -> JSONValue {
        let id = params.subscriptionId
        guard await context.connection.cancelSubscription(id) else { throw ConfigError.notFound(type: "subscription", id: id) }
        return ["subscription_id": .string(id), "unsubscribed": true]
    }
}
