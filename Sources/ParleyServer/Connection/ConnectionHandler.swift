import Logging
import NIOCore
import ParleyModel
import ParleyProtocol

/// Serves one connection: queues frames, starts them through the ``Dispatcher`` as the
/// ``ConnectionStateMachine`` admits them, writes responses as they complete and closes the
/// connection when the machine says so. The decisions are the machine's; this class carries
/// them out on the channel's event loop.
///
/// Handlers run as tasks and hop back to the event loop to answer. Whatever they hop back to
/// after the channel is gone finds the machine closed and touches nothing.
final class ConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// A frame waiting for admission: decoded when it reaches the head of the queue, so that a
    /// client that sends faster than it reads holds raw bytes, not parsed messages.
    enum QueuedFrame {
        case frame(ByteBuffer)
        case decoded(IncomingMessage)
    }

    private let services: ServerServices
    private let dispatcher: Dispatcher
    let frameState: FrameState
    /// The connection's channel (its event loop runs every method of this class).
    let channel: any Channel
    /// The time source of every deadline (injected so that deadlines can be tested).
    let clock: @Sendable () -> NIODeadline
    var logger: Logger
    var configuration: Server.Configuration { services.configuration }

    var machine: ConnectionStateMachine<QueuedFrame>
    private(set) var session: Session?
    /// Where writes go: set while the handler is in the pipeline, nil before and after.
    var context: ChannelHandlerContext?
    private var inFlightIDs: Set<RequestID> = []
    private var deadlineTask: RepeatedTask?
    /// The connection's watch subscriptions (see ConnectionHandler+Watch.swift).
    var subscriptions: [String: WatchRegistration] = [:]
    /// Bytes written but not yet handed to the socket.
    let outbound = OutboundMeter()
    /// Responses written while the channel delivers one read's frames wait for the end of that
    /// read and go out in one flush (one `write` syscall for a pipelined burst, not one each).
    var flushAtReadComplete = (reading: false, pending: false)
    /// The peer's address, read once (not on every request).
    private var peer = (description: "?", ip: String?.none)

    init(
        services: ServerServices, dispatcher: Dispatcher, frameState: FrameState, channel: any Channel, logger: Logger,
        clock: @escaping @Sendable () -> NIODeadline = { .now() }
    ) {
        self.services = services
        self.dispatcher = dispatcher
        self.frameState = frameState
        self.channel = channel
        self.logger = logger
        self.clock = clock
        self.machine = ConnectionStateMachine(limits: services.configuration.connectionLimits, now: clock())
    }

    /// The Sendable reference handed to method handlers. It holds this handler strongly, so the
    /// handler keeps it only while the channel is open (``connectionEnded()`` lets it go): kept
    /// for good, it made a cycle, and every connection that answered a request stayed in memory
    /// after it closed (about 5 KB each plus its requests' state; the soak found it).
    var handle: ConnectionHandle {
        if let kept = keptHandle { return kept }
        let made = ConnectionHandle(
            eventLoop: channel.eventLoop, handler: NIOLoopBound(self, eventLoop: channel.eventLoop), peer: peer.description,
            peerIP: peer.ip, channel: channel, outbound: outbound)
        if context != nil { keptHandle = made }
        return made
    }
    private var keptHandle: ConnectionHandle?

    // MARK: Lifecycle

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        let address = channel.remoteAddress
        peer = (address?.description ?? "?", address?.ipAddress)
        logger[metadataKey: "peer"] = "\(peer.description)"
        let tick = machine.tickInterval
        let handler = NIOLoopBound(self, eventLoop: channel.eventLoop)
        deadlineTask = channel.eventLoop.scheduleRepeatedTask(initialDelay: tick, delay: tick) { _ in
            handler.value.checkDeadlines()
        }
        logger.debug("connection opened")
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        connectionEnded()
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        connectionEnded()
        logger.debug("connection closed")
        context.fireChannelInactive()
    }

    /// The channel is gone: the machine closes (nothing waiting starts, nothing is written) and
    /// the subscriptions end. Calls in flight finish on their own.
    private func connectionEnded() {
        deadlineTask?.cancel()
        deadlineTask = nil
        machine.closed()
        cancelSubscriptions()
        keptHandle = nil
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            cancelSubscriptions()
            if machine.drainRequested() { close(.drained) }
        } else if event is KeyStoppedWorking {
            cancelSubscriptions()
            writeAndClose(
                RPCResponse.failure(id: nil, error: RPCError(.unauthenticated, "the API key no longer works (revoked, or its tenant was deleted); closing")),
                lingering: false)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Bytes after a refused frame reach the decoder in its error state: expected, ignored.
        guard !machine.isDiscardingInput else { return }
        if let frameError = error as? FrameError {
            logger.notice("refusing frame", metadata: ["reason": "\(frameError)"])
            let refusal = RPCError(.payloadTooLarge, frameError.description, data: ["limit": .int(Int64(frameError.limit))])
            writeAndClose(RPCResponse.failure(id: nil, error: refusal), lingering: true)
        } else {
            logger.debug("connection error", metadata: ["error": "\(error)"])
            close(nil)
        }
    }

    // MARK: Reading

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        flushAtReadComplete.reading = true
        guard machine.received(.frame(unwrapInboundIn(data)), at: clock()) else { return }
        admitWaiting()
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if flushAtReadComplete.pending { context.flush() }
        flushAtReadComplete = (false, false)
        context.fireChannelReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        if machine.readRequested() { context.read() }
    }

    /// Starts waiting messages while the machine admits them, then resumes a held read.
    func admitWaiting() {
        let maximumBatch = configuration.maximumBatchEntries
        while let next = machine.nextToStart(cost: { Self.decodedCost(&$0, maximumBatch: maximumBatch) }) {
            guard case .decoded(let message) = next else { continue }
            start(message)
        }
        if machine.resumeReading(), let context { context.read() }
    }

    /// Decodes `queued` in place (once) and returns how many requests it would put in flight.
    private static func decodedCost(_ queued: inout QueuedFrame, maximumBatch: Int) -> Int {
        if case .frame(let bytes) = queued {
            do {
                queued = .decoded(IncomingMessage.classify(try JSONParser.parse(bytes.readableBytesView), maximumBatch: maximumBatch))
            } catch {
                queued = .decoded(.rejected(RPCError(.parseError, "invalid JSON: \(error)")))
            }
        }
        guard case .decoded(let message) = queued else { return 0 }
        return message.requestCount
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
        machine.started(requests: plan.pending.count)
        for id in plan.pendingIDs { inFlightIDs.insert(id) }
        let request = dispatcher.makeContext(session: session, connection: handle, logger: logger)
        guard plan.pending.count == 1 else { return runInTask(plan, request: request) }
        // A lone read answered from memory never leaves the event loop; the caller
        // (admitWaiting's loop) goes on with the next message, so there is no recursion.
        switch dispatcher.runImmediately(plan.pending[0], context: request) {
        case .answered(let answer):
            request.beforeResponse.run()
            finish(plan, answers: [answer], afterResponse: request.afterResponse, admittingMore: false)
        case .needsReadPoint(let batches):
            // Reads that arrive together share the store's look-up, and come back to this loop
            // without a task each (the task's two thread hops cost more than the read).
            batches.wait(on: channel.eventLoop) { revision in self.retryImmediately(plan, request: request, readPoint: revision) }
        case .needsTask:
            runInTask(plan, request: request)
        }
    }

    /// A read waited for the store's read point: answered from memory with it, or in a task.
    private func retryImmediately(_ plan: DispatchPlan, request: RequestContext, readPoint: Int64?) {
        var request = request
        request.readPoint = readPoint
        guard machine.acceptsWrites else {
            machine.finished(requests: plan.pending.count, at: clock())
            return
        }
        if readPoint != nil, case .answered(let answer) = dispatcher.runImmediately(plan.pending[0], context: request) {
            request.beforeResponse.run()
            finish(plan, answers: [answer], afterResponse: request.afterResponse)
            return
        }
        runInTask(plan, request: request)
    }

    private func runInTask(_ plan: DispatchPlan, request: RequestContext) {
        let handler = NIOLoopBound(self, eventLoop: channel.eventLoop)
        let dispatcher = self.dispatcher
        Task {
            let answers = await dispatcher.run(plan.pending, context: request)
            handler.eventLoop.execute {
                handler.value.completed(plan, answers: answers, request: request)
            }
        }
    }

    /// Calls of a task came back to the event loop: answered only if the connection still accepts writes.
    private func completed(_ plan: DispatchPlan, answers: [JSONValue?], request: RequestContext) {
        guard machine.acceptsWrites else {
            machine.finished(requests: plan.pending.count, at: clock())
            return
        }
        request.beforeResponse.run()
        finish(plan, answers: answers, afterResponse: request.afterResponse)
    }

    private func finish(_ plan: DispatchPlan, answers: [JSONValue?], afterResponse: ResponseHooks, admittingMore: Bool = true) {
        machine.finished(requests: plan.pending.count, at: clock())
        for id in plan.pendingIDs { inFlightIDs.remove(id) }
        if let response = plan.response(with: answers) { write(response) }
        afterResponse.run()
        if admittingMore { admitWaiting() }
        if machine.isDrained { close(.drained) }
    }

    /// Applies a successful `hello`. A session of another key ends the previous key's watch
    /// subscriptions: a subscription serves only the key that made it.
    func establish(_ session: Session) {
        if let previous = self.session, previous.keyID != session.keyID {
            endSubscriptions(reason: "key_changed")
        }
        self.session = session
        machine.authenticated(at: clock())
        frameState.maximumFrameBytes = configuration.maximumFrameBytes
        logger[metadataKey: "key_id"] = "\(session.keyID)"
    }
}
