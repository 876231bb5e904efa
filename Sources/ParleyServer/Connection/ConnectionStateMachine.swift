import NIOCore

/// The rules of one connection as a value: what it may read, start, write and when it must
/// close, decided from events and the time passed in, with no I/O and no clock of its own.
/// ``ConnectionHandler`` feeds it events and carries out what it returns; tests drive it
/// directly (ConnectionStateMachineTests), without sockets.
///
/// `Element` is what waits for admission (the handler queues undecoded frames).
///
/// The rules, in one place:
/// - Messages are started in arrival order while fewer than `maximumInFlight` requests are in
///   flight (a message always starts when nothing is in flight) and the connection's unsent
///   output is under its pause mark. Otherwise they wait, and reading stops (TCP backpressure).
/// - Once closed (the peer went away or the handler was removed), nothing waiting is started
///   and nothing is written; calls still running finish without touching the connection.
/// - Unsent output above the pause mark stops reading and starting; above four times the mark,
///   or above the mark for longer than `outputStallTimeout`, the connection is closed.
/// - A connection that is closing (a last frame being written) is gone by its close deadline,
///   whether or not the peer reads that frame.
struct ConnectionStateMachine<Element> {
    /// The limits the machine enforces.
    struct Limits: Sendable {
        var maximumInFlight: Int
        var helloTimeout: TimeAmount
        var idleTimeout: TimeAmount
        var partialFrameTimeout: TimeAmount
        /// Unsent output above which reading and starting stop, before and after `hello`.
        var outputPauseBytesBeforeHello: Int
        var outputPauseBytes: Int
        /// How long output may stay above the pause mark before the connection is closed.
        var outputStallTimeout: TimeAmount
        /// How long a last frame gets to be written before the connection is closed anyway.
        var closeTimeout: TimeAmount
        /// How long a refused client gets to finish sending and read the refusal (see ``closeRequested(at:lingering:)``).
        var lingerTime: TimeAmount
    }

    /// Where the connection is in its life.
    enum Phase: Equatable {
        /// Reading, starting and writing.
        case open
        /// The server shuts down: what is in flight and waiting is answered, nothing more is read.
        case draining
        /// A last frame is being written; the connection closes by `deadline` whatever happens.
        /// With `discardingInput`, input is read and thrown away until then.
        case closing(deadline: NIODeadline, discardingInput: Bool)
        /// The channel is gone: nothing is started or written any more.
        case closed
    }

    /// Why the machine closes a connection.
    enum CloseReason: Equatable, Sendable {
        case helloTimeout, partialFrame, idle, outputStalled, outputOverLimit, closeTimedOut, drained
    }

    /// What a deadline check asks for.
    enum TickAction: Equatable {
        case none
        /// Write the -32001 "hello not completed in time" frame, then close.
        case closeAfterHelloTimeoutNotice
        /// Close now.
        case close(CloseReason)
    }

    let limits: Limits
    private(set) var phase: Phase = .open
    private(set) var isAuthenticated = false
    private(set) var inFlight = 0
    private var waiting = CircularBuffer<Element>()
    private var readHeld = false
    private let connectedAt: NIODeadline
    private var lastActivity: NIODeadline
    private var outputPending = 0
    private var outputOverMarkSince: NIODeadline?

    init(limits: Limits, now: NIODeadline) {
        self.limits = limits
        connectedAt = now
        lastActivity = now
    }

    // MARK: Reading and admission

    /// Whether responses and notifications may still be written.
    var acceptsWrites: Bool { phase == .open || phase == .draining }

    /// Whether input is read only to be thrown away.
    var isDiscardingInput: Bool {
        if case .closing(_, true) = phase { return true }
        return false
    }

    /// How many messages wait for admission.
    var waitingCount: Int { waiting.count }

    /// Whether output is above its pause mark (reading and starting are paused for it).
    var isOutputPaused: Bool { outputOverMarkSince != nil }

    /// A frame arrived: it waits for admission (false: dropped, the connection is closing or closed).
    mutating func received(_ element: Element, at now: NIODeadline) -> Bool {
        guard acceptsWrites else { return false }
        lastActivity = now
        waiting.append(element)
        return true
    }

    /// The next waiting message, if it may start now; `cost` tells (and may refine in place, by
    /// decoding it) how many requests the head would put in flight.
    mutating func nextToStart(cost: (inout Element) -> Int) -> Element? {
        guard acceptsWrites, !isOutputPaused, var head = waiting.first else { return nil }
        let requests = cost(&head)
        waiting[waiting.startIndex] = head
        guard inFlight == 0 || inFlight + requests <= limits.maximumInFlight else { return nil }
        return waiting.removeFirst()
    }

    /// `count` requests of a started message went into flight.
    mutating func started(requests count: Int) {
        inFlight += count
    }

    /// `count` requests finished (their answers are written next, if ``acceptsWrites``).
    mutating func finished(requests count: Int, at now: NIODeadline) {
        inFlight -= count
        lastActivity = now
    }

    /// The channel asks for more input: true to read now, false to hold the read until
    /// ``resumeReading()`` says so.
    mutating func readRequested() -> Bool {
        if mustHoldReads {
            readHeld = true
            return false
        }
        return true
    }

    /// True once when a held read may go ahead (call after anything that frees room).
    mutating func resumeReading() -> Bool {
        guard readHeld, !mustHoldReads else { return false }
        readHeld = false
        return true
    }

    private var mustHoldReads: Bool {
        switch phase {
        case .closing(_, let discarding): return !discarding
        case .closed, .draining: return true
        case .open: return inFlight >= limits.maximumInFlight || !waiting.isEmpty || isOutputPaused
        }
    }

    /// `hello` succeeded: the higher output mark applies, the hello deadline no longer does, and
    /// the idle deadline counts from now (before hello only the hello deadline applies).
    mutating func authenticated(at now: NIODeadline) {
        isAuthenticated = true
        lastActivity = now
    }

    // MARK: Output

    /// The connection's unsent output is now `pending` bytes: returns a close when it passed the limit.
    mutating func outputChanged(pending: Int, at now: NIODeadline) -> CloseReason? {
        outputPending = pending
        let mark = isAuthenticated ? limits.outputPauseBytes : limits.outputPauseBytesBeforeHello
        if pending > mark {
            if outputOverMarkSince == nil { outputOverMarkSince = now }
            if pending > 4 * mark, acceptsWrites { return .outputOverLimit }
        } else if pending <= mark / 2 {
            outputOverMarkSince = nil
        }
        return nil
    }

    // MARK: Closing

    /// A last frame is to be written before closing: true when the caller should write it (once),
    /// false when the connection is already closing or closed. With `lingering`, input is read and
    /// discarded until the linger time ends (closing a socket with unread input sends a reset,
    /// which can make the client lose the very frame that explains the close).
    mutating func closeRequested(at now: NIODeadline, lingering: Bool) -> Bool {
        guard acceptsWrites else { return false }
        let wait = lingering ? limits.lingerTime : limits.closeTimeout
        phase = .closing(deadline: now + wait, discardingInput: lingering)
        waiting.removeAll()
        return true
    }

    /// The server drains: true when the connection can close at once.
    mutating func drainRequested() -> Bool {
        if phase == .open { phase = .draining }
        return isDrained
    }

    /// Whether a draining connection has answered everything and may close.
    var isDrained: Bool { phase == .draining && inFlight == 0 && waiting.isEmpty }

    /// The channel went inactive or the handler was removed: nothing more is started or written.
    mutating func closed() {
        phase = .closed
        waiting.removeAll()
    }

    // MARK: Deadlines

    /// Checks the deadlines at `now`. `partialFrameSince` is when the current half-sent frame
    /// began (nil: none); `watching` whether subscriptions keep an otherwise idle connection open.
    mutating func tick(at now: NIODeadline, partialFrameSince: NIODeadline?, watching: Bool) -> TickAction {
        switch phase {
        case .closed:
            return .none
        case .closing(let deadline, _):
            return now >= deadline ? .close(.closeTimedOut) : .none
        case .open, .draining:
            break
        }
        if !isAuthenticated, now - connectedAt > limits.helloTimeout {
            return .closeAfterHelloTimeoutNotice
        }
        if let since = partialFrameSince, now - since > limits.partialFrameTimeout {
            return .close(.partialFrame)
        }
        if let since = outputOverMarkSince, now - since > limits.outputStallTimeout {
            return .close(.outputStalled)
        }
        if isAuthenticated, inFlight == 0, waiting.isEmpty, !watching, now - lastActivity > limits.idleTimeout {
            return .close(.idle)
        }
        return .none
    }

    /// The interval at which ``tick(at:partialFrameSince:watching:)`` should run: a quarter of the
    /// shortest deadline, between 1 ms and 1 s.
    var tickInterval: TimeAmount {
        let shortest =
            [limits.helloTimeout, limits.partialFrameTimeout, limits.idleTimeout, limits.outputStallTimeout, limits.closeTimeout]
            .map(\.nanoseconds).min() ?? 1_000_000_000
        return .nanoseconds(max(1_000_000, min(1_000_000_000, shortest / 4)))
    }
}
