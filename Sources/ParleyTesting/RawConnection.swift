import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ParleyModel
import ParleyProtocol

/// A plain TCP connection for byte-level tests: send exact bytes, read exact frames, see closes.
public final class RawConnection: Sendable {
    /// Raised when an expected frame does not arrive in time.
    public struct Timeout: Error, CustomStringConvertible {
        public var description: String { "no complete frame arrived in time" }
    }

    private let channel: any Channel
    private let inbox: Inbox

    private init(channel: any Channel, inbox: Inbox) {
        self.channel = channel
        self.inbox = inbox
    }

    /// Connects to `127.0.0.1:port`.
    public static func connect(port: Int, host: String = "127.0.0.1") async throws -> RawConnection {
        let inbox = Inbox()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Collector(inbox: inbox)) }
            }
            .connect(host: host, port: port).get()
        return RawConnection(channel: channel, inbox: inbox)
    }

    /// Sends `bytes` exactly as given.
    public func send(_ bytes: [UInt8]) async throws {
        var buffer = channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        try await channel.writeAndFlush(buffer)
    }

    /// Sends `text` as one frame (4-byte length + UTF-8).
    public func sendFrame(_ text: String) async throws {
        try await send(Self.frame(Array(text.utf8)))
    }

    /// Sends `value` as one frame.
    public func sendFrame(_ value: JSONValue) async throws {
        try await send(Self.frame(JSONWriter.bytes(value)))
    }

    /// The 4-byte big-endian length followed by `payload`.
    public static func frame(_ payload: [UInt8]) -> [UInt8] {
        let count = UInt32(payload.count)
        return [UInt8(count >> 24), UInt8(count >> 16 & 0xFF), UInt8(count >> 8 & 0xFF), UInt8(count & 0xFF)] + payload
    }

    /// The payload of the next complete frame, or throws ``Timeout``.
    public func readFramePayload(timeout: Duration = .seconds(15)) async throws -> [UInt8] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let payload = inbox.takeFrame() { return payload }
            if inbox.isClosed, inbox.takeFrame() == nil { throw Timeout() }
            try await Task.sleep(for: .milliseconds(2))
        }
        throw Timeout()
    }

    /// The next frame parsed as JSON.
    public func readFrame(timeout: Duration = .seconds(15)) async throws -> JSONValue {
        try JSONParser.parse(try await readFramePayload(timeout: timeout), configuration: .init(maximumDepth: 512))
    }

    /// Sends `request` as a frame and reads one response frame.
    public func roundTrip(_ request: JSONValue, timeout: Duration = .seconds(15)) async throws -> JSONValue {
        try await sendFrame(request)
        return try await readFrame(timeout: timeout)
    }

    /// Whether the server closed the connection within `timeout`.
    public func waitForClose(timeout: Duration = .seconds(5)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if inbox.isClosed { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return inbox.isClosed
    }

    /// Closes the connection.
    public func close() async {
        try? await channel.close()
    }
}

/// Received bytes and the closed flag, shared between the event loop and the test task.
private final class Inbox: Sendable {
    private let state = NIOLockedValueBox<(bytes: [UInt8], closed: Bool)>(([], false))

    func append(_ bytes: [UInt8]) { state.withLockedValue { $0.bytes += bytes } }
    func markClosed() { state.withLockedValue { $0.closed = true } }
    var isClosed: Bool { state.withLockedValue { $0.closed } }

    func takeFrame() -> [UInt8]? {
        state.withLockedValue { state in
            guard state.bytes.count >= 4 else { return nil }
            let length = Int(state.bytes[0]) << 24 | Int(state.bytes[1]) << 16 | Int(state.bytes[2]) << 8 | Int(state.bytes[3])
            guard state.bytes.count >= 4 + length else { return nil }
            let payload = Array(state.bytes[4..<(4 + length)])
            state.bytes.removeFirst(4 + length)
            return payload
        }
    }
}

private final class Collector: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let inbox: Inbox

    init(inbox: Inbox) { self.inbox = inbox }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        inbox.append(Array(unwrapInboundIn(data).readableBytesView))
    }

    func channelInactive(context: ChannelHandlerContext) {
        inbox.markClosed()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
