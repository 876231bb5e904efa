import Logging
import NIOCore
import ParleyModel
import ParleyProtocol

/// Serves one connection: turns frames into requests, runs them through the ``Dispatcher``
/// concurrently (at most `maximumInFlightPerConnection` at once, then it stops reading), writes
/// responses as they complete and enforces the connection's deadlines.
///
/// All state lives on the channel's event loop; handlers run as tasks and hop back to write.
final class ConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let services: ServerServices
    private let dispatcher: Dispatcher
    let frameState: FrameState
    var logger: Logger
    var configuration: ParleyServer.Configuration { services.configuration }

    private(set) var session: Session?
    var context: ChannelHandlerContext?
    var inFlight = 0
    private var inFlightIDs: Set<RequestID> = []
    var waiting: [IncomingMessage] = []
    var waitingHead = 0
    var readHeld = false
    var draining = false
    /// A final frame is being written and the connection will close: no further deadlines apply.
    var closing = false
    /// After a refusal: input is read and thrown away until the connection closes.
    var discardingInput = false
    var connectedAt = NIODeadline.now()
    var lastActivity = NIODeadline.now()
    private var deadlineTask: RepeatedTask?
    /// The connection's watch subscriptions (see ConnectionHandler+Watch.swift).
    var subscriptions: [String: Task<Void, Never>] = [:]
    /// Bytes written but not yet handed to the socket.
    let outbound = OutboundMeter()

    init(services: ServerServices, dispatcher: Dispatcher, frameState: FrameState, logger: Logger) {
        self.services = services
        self.dispatcher = dispatcher
        self.frameState = frameState
        self.logger = logger
    }

    // MARK: Lifecycle

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        logger[metadataKey: "peer"] = "\(context.remoteAddress?.description ?? "?")"
        let shortest = min(configuration.helloTimeout, configuration.partialFrameTimeout, configuration.idleTimeout)
        let tick = TimeAmount.nanoseconds(max(1_000_000, min(1_000_000_000, shortest.nanoseconds / 4)))
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        deadlineTask = context.eventLoop.scheduleRepeatedTask(initialDelay: tick, delay: tick) { _ in
            handler.value.checkDeadlines()
        }
        logger.debug("connection opened")
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadlineTask?.cancel()
        deadlineTask = nil
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadlineTask?.cancel()
        cancelSubscriptions()
        logger.debug("connection closed")
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ServerDrainEvent {
            cancelSubscriptions()
            draining = true
            closeIfDrained()
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Bytes after a refused frame reach the decoder in its error state: expected, ignored.
        guard !discardingInput else { return }
        if let frameError = error as? FrameError {
            logger.notice("refusing frame", metadata: ["reason": "\(frameError)"])
            let refusal = RPCError(.payloadTooLarge, frameError.description, data: ["limit": .int(Int64(frameError.limit))])
            writeAndClose(RPCResponse.failure(id: nil, error: refusal), lingering: true)
        } else {
            logger.debug("connection error", metadata: ["error": "\(error)"])
            context.close(promise: nil)
        }
    }

    // MARK: Reading

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !discardingInput else { return }
        let frame = unwrapInboundIn(data)
        lastActivity = .now()
        let value: JSONValue
        do {
            value = try JSONParser.parse(frame.readableBytesView)
        } catch {
            write(RPCResponse.failure(id: nil, error: RPCError(.parseError, "invalid JSON: \(error)")))
            return
        }
        waiting.append(IncomingMessage.classify(value, maximumBatch: configuration.maximumBatchEntries))
        admitWaiting()
    }

    func read(context: ChannelHandlerContext) {
        if discardingInput {
            context.read()
        } else if mustHoldReads {
            readHeld = true
        } else {
            context.read()
        }
    }

    private var mustHoldReads: Bool {
        draining || inFlight >= configuration.maximumInFlightPerConnection || waitingHead < waiting.count
    }

    /// Starts waiting messages while there is room for them.
    private func admitWaiting() {
        while waitingHead < waiting.count {
            let message = waiting[waitingHead]
            let cost = message.requestCount
            guard inFlight == 0 || inFlight + cost <= configuration.maximumInFlightPerConnection else { break }
            waitingHead += 1
            start(message)
        }
        if waitingHead == waiting.count {
            waiting.removeAll(keepingCapacity: true)
            waitingHead = 0
        }
        if readHeld, !mustHoldReads, let context {
            readHeld = false
            context.read()
        }
    }

    // MARK: Dispatching

    private func start(_ message: IncomingMessage) {
        if let session {
            let now = Timestamp.now()
            guard services.liveKeys.isUsable(session.keyID, at: now) else {
                logger.notice("closing: the key was revoked or has expired")
                writeAndClose(RPCResponse.failure(id: nil, error: RPCError(.unauthenticated, "the API key was revoked or has expired; closing")))
                return
            }
            services.keyUse.noteUse(of: session.keyID, at: now)
        }
        let plan = dispatcher.plan(message, session: session, inFlightIDs: inFlightIDs)
        guard !plan.pending.isEmpty else {
            if let response = plan.immediateResponse { write(response) }
            return
        }
        inFlight += plan.pending.count
        for id in plan.pendingIDs { inFlightIDs.insert(id) }
        let request = dispatcher.makeContext(session: session, connection: handle(), logger: logger)
        // A lone read answered from memory never leaves the event loop.
        if plan.pending.count == 1, let answer = dispatcher.runImmediately(plan.pending[0], context: request) {
            request.beforeResponse.run()
            // The caller (admitWaiting's loop) goes on with the next message: no recursion.
            finish(plan, answers: [answer], afterResponse: request.afterResponse, admittingMore: false)
            return
        }
        let handler = NIOLoopBound(self, eventLoop: context!.eventLoop)
        let dispatcher = self.dispatcher
        Task {
            let answers = await dispatcher.run(plan.pending, context: request)
            handler.eventLoop.execute {
                request.beforeResponse.run()
                handler.value.finish(plan, answers: answers, afterResponse: request.afterResponse)
            }
        }
    }

    private func finish(_ plan: DispatchPlan, answers: [JSONValue?], afterResponse: ResponseHooks, admittingMore: Bool = true) {
        inFlight -= plan.pending.count
        for id in plan.pendingIDs { inFlightIDs.remove(id) }
        lastActivity = .now()
        if let response = plan.response(with: answers) { write(response) }
        afterResponse.run()
        if admittingMore { admitWaiting() }
        closeIfDrained()
    }

    private func handle() -> ConnectionHandle {
        ConnectionHandle(
            eventLoop: context!.eventLoop, handler: NIOLoopBound(self, eventLoop: context!.eventLoop),
            peer: context?.remoteAddress?.description ?? "?", peerIP: context?.remoteAddress?.ipAddress,
            channel: context!.channel, outbound: outbound)
    }

    /// Applies a successful `hello`.
    func establish(_ session: Session) {
        self.session = session
        frameState.maximumFrameBytes = configuration.maximumFrameBytes
        logger[metadataKey: "key_id"] = "\(session.keyID)"
    }

}

/// Sent down every connection when the server shuts down: finish what is in flight, then close.
struct ServerDrainEvent: Sendable {}
