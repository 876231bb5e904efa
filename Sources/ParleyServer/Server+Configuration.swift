import NIOCore
import ParleyModel
import ParleyTLS

extension Server {
    /// Everything an operator can tune about the server.
    public struct Configuration: Sendable {
        /// Address to listen on; tests and benchmarks use loopback only.
        public var host: String = "127.0.0.1"
        /// Port to listen on; 0 picks a free one (see ``Server/listeningAddress``).
        public var port: Int = 7411
        /// Largest frame payload accepted after a successful `hello`.
        public var maximumFrameBytes: Int = 1 << 20
        /// Largest frame payload accepted before `hello` succeeds.
        public var maximumFrameBytesBeforeHello: Int = 64 << 10
        /// Requests a connection may have in flight before the server stops reading from it.
        public var maximumInFlightPerConnection: Int = 64
        /// Entries allowed in one batch.
        public var maximumBatchEntries: Int = 64
        /// Open connections allowed at once; past that, one -32014 frame and close.
        public var maximumConnections: Int = 1024
        /// Time a new connection has to complete `hello`.
        public var helloTimeout: TimeAmount = .seconds(10)
        /// Time without a request after which a connection is closed.
        public var idleTimeout: TimeAmount = .minutes(5)
        /// Time a frame may stay half-sent before the connection is closed.
        public var partialFrameTimeout: TimeAmount = .seconds(30)
        /// Time in-flight requests get to finish during a graceful shutdown.
        public var shutdownGracePeriod: TimeAmount = .seconds(10)
        /// Requests per second one API key may make on average, over all its connections (0: no limit).
        public var keyRequestsPerSecond: Int = 5000
        /// Requests one API key may make in a burst above its rate.
        public var keyRequestBurst: Int = 10000
        /// Days audit records are kept; older ones are deleted hourly (0: kept forever).
        public var auditRetentionDays: Int = 365
        /// Revisions of change history kept for `watch.subscribe` with `from_revision` (and at least 24 hours).
        public var watchHistoryRevisions: Int64 = 100_000
        /// Unsent bytes a watching connection may have before it is disconnected as not reading.
        public var watchOutboundCap: Int = 4 << 20
        /// Unsent output above which a connection that has not said `hello` is no longer read from.
        public var outputPauseBytesBeforeHello: Int = 64 << 10
        /// Unsent output above which an authenticated connection is no longer read from (its
        /// queued requests wait too); four times this closes the connection at once.
        public var outputPauseBytes: Int = 4 << 20
        /// Time output may stay above its pause mark before the connection is closed.
        public var outputStallTimeout: TimeAmount = .seconds(30)
        /// Time a connection's last frame (an error before closing) gets to be written; the
        /// connection is closed after it whether or not the peer reads.
        public var closeTimeout: TimeAmount = .seconds(2)
        /// TLS on the listener (certificate, key, optional client CA); nil: plaintext.
        public var tls: ServerTLS?
        /// Time a TLS handshake may take before the connection is closed.
        public var tlsHandshakeTimeout: TimeAmount = .seconds(10)
        /// Version reported by `hello` and `server.info`.
        public var serverVersion: String = Server.version

        public init() {}

        /// The limits one connection's state machine enforces.
        var connectionLimits: ConnectionStateMachine<ConnectionHandler.QueuedFrame>.Limits {
            .init(
                maximumInFlight: maximumInFlightPerConnection, helloTimeout: helloTimeout, idleTimeout: idleTimeout,
                partialFrameTimeout: partialFrameTimeout, outputPauseBytesBeforeHello: outputPauseBytesBeforeHello,
                outputPauseBytes: outputPauseBytes, outputStallTimeout: outputStallTimeout, closeTimeout: closeTimeout,
                lingerTime: .seconds(1))
        }

        /// The limits in force, as reported by `hello` and `server.info`.
        public var limitsJSON: JSONValue {
            [
                "max_frame_bytes": .int(Int64(maximumFrameBytes)),
                "max_frame_bytes_before_hello": .int(Int64(maximumFrameBytesBeforeHello)),
                "max_in_flight_per_connection": .int(Int64(maximumInFlightPerConnection)),
                "max_batch_entries": .int(Int64(maximumBatchEntries)),
                "max_connections": .int(Int64(maximumConnections)),
                "max_list_limit": .int(Int64(ListPage.maximumLimit)),
                "hello_timeout_ms": .int(helloTimeout.nanoseconds / 1_000_000),
                "idle_timeout_ms": .int(idleTimeout.nanoseconds / 1_000_000),
                "partial_frame_timeout_ms": .int(partialFrameTimeout.nanoseconds / 1_000_000),
                "key_requests_per_second": .int(Int64(keyRequestsPerSecond)),
                "key_request_burst": .int(Int64(keyRequestBurst)),
            ]
        }
    }
}
