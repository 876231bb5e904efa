import Logging
import NIOCore
import NIOExtras
import NIOPosix
import ParleyAuth
import ParleyModel
import ParleyProtocol
import ParleyStore
import ServiceLifecycle

/// The Parley server: length-prefixed JSON-RPC 2.0 over TCP.
///
/// A `Service`: ``run()`` binds, serves until graceful shutdown (or ``shutdown()``), then stops
/// accepting, lets every connection finish what it has in flight and returns. It runs in a
/// `ServiceGroup` with the services it needs, ``lifecycleServices``, which also close the store.
public final class Server: Service, Sendable {
    /// The server version reported to clients.
    public static let version = "0.1.0"

    public let configuration: Configuration
    let services: ServerServices
    private let dispatcher: Dispatcher
    private let group: any EventLoopGroup
    private let registry: ConnectionRegistry
    private let bound: EventLoopPromise<SocketAddress>
    private let serverChannel: EventLoopPromise<any Channel>
    /// Stops accepting and tells every connection to drain (NIO's quiescing).
    private let quiesce: ServerQuiescingHelper
    /// Completed once every connection open at shutdown has closed.
    private let drained: EventLoopPromise<Void>

    public init(
        configuration: Configuration, store: any ConfigurationStore, verifier: KeyVerifier, logger: Logger,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.configuration = configuration
        self.services = ServerServices(configuration: configuration, store: store, verifier: verifier, logger: logger)
        self.dispatcher = Dispatcher(methods: Self.methods, services: services)
        self.group = group
        self.registry = ConnectionRegistry(capacity: configuration.maximumConnections)
        self.bound = group.any().makePromise(of: SocketAddress.self)
        self.serverChannel = group.any().makePromise(of: (any Channel).self)
        self.quiesce = ServerQuiescingHelper(group: group)
        self.drained = group.any().makePromise(of: Void.self)
    }

    /// Every method this server serves.
    public static let methods = MethodTable([
        SessionMethods.all, TenantMethods.all, ConfigurationMethods.all, ConfigDocumentMethods.all, WatchMethods.all, APIKeyMethods.all, AuditMethods.all,
    ])

    /// The address the server listens on, once bound (useful with port 0).
    public var listeningAddress: SocketAddress {
        get async throws { try await bound.futureResult.get() }
    }

    /// Number of open connections.
    public var connectionCount: Int { registry.count }

    public func run() async throws {
        let channel: any Channel
        do {
            channel = try await bootstrap().bind(host: configuration.host, port: configuration.port).get()
        } catch {
            bound.fail(error)
            serverChannel.fail(error)
            throw error
        }
        bound.succeed(channel.localAddress!)
        serverChannel.succeed(channel)
        services.logger.info("listening", metadata: ["address": "\(channel.localAddress!)"])
        try await withThrowingDiscardingTaskGroup { group in
            // Key changes made by other replicas, applied here while the server runs (a child task:
            // it stops with the server, before the store closes).
            if let events = (services.store as? any KeyChangeReporting)?.keyChangeEvents() {
                group.addTask { [services] in await SharedKeyChanges(services: services, events: events).run() }
            }
            try await withTaskCancellationOrGracefulShutdownHandler {
                try await channel.closeFuture.get()
            } onCancelOrGracefulShutdown: { [self] in
                shutdown()
            }
            await drainConnections()
            group.cancelAll()
        }
        services.logger.info("stopped")
    }

    /// Stops accepting and starts the graceful shutdown (as SIGTERM would): every connection
    /// gets `ChannelShouldQuiesceEvent`, answers what it has in flight, then closes.
    public func shutdown() {
        services.logger.info("draining connections", metadata: ["count": "\(registry.count)"])
        quiesce.initiateShutdown(promise: drained)
    }

    /// Waits until the connections drained, for at most the grace period, then closes the rest.
    private func drainConnections() async {
        let loop = group.any()
        let done = loop.makePromise(of: Void.self)
        drained.futureResult.whenComplete { _ in done.succeed() }
        let timer = loop.scheduleTask(in: configuration.shutdownGracePeriod) { done.succeed() }
        try? await done.futureResult.get()
        timer.cancel()
        for channel in registry.all { try? await channel.close() }
    }

    private func bootstrap() -> ServerBootstrap {
        let services = self.services
        let dispatcher = self.dispatcher
        let registry = self.registry
        let quiesce = self.quiesce
        return ServerBootstrap(group: group)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(quiesce.makeServerChannelHandler(channel: channel))
                }
            }
            .serverChannelOption(.backlog, value: 512)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.autoRead, value: true)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    guard registry.register(channel) else {
                        try channel.pipeline.syncOperations.addHandler(ConnectionRefuser())
                        return
                    }
                    let state = FrameState(maximumFrameBytes: services.configuration.maximumFrameBytesBeforeHello)
                    if let tls = services.configuration.tls {
                        try channel.pipeline.syncOperations.addHandlers([
                            tls.makeHandler(), TLSHandshakeGuard(timeout: services.configuration.tlsHandshakeTimeout, logger: services.logger),
                        ])
                    }
                    try channel.pipeline.syncOperations.addHandlers([
                        ByteToMessageHandler(FrameDecoder(state: state)),
                        ConnectionHandler(
                            services: services, dispatcher: dispatcher, frameState: state, channel: channel, logger: services.logger),
                    ])
                }
            }
    }
}
