import Foundation
import Logging
import NIOCore
import NIOEmbedded
import ParleyAuth
import ParleyModel
import ParleyProtocol
import ParleySQLite
import Testing

@testable import ParleyServer

/// Responses answered while one read's frames are handled go out in one flush: a pipelined
/// burst costs one `write` syscall, not one per response (issue 14). Checked on an embedded
/// channel, where flushes can be counted; the real server runs the same pipeline.
struct ResponseCoalescingTests {
    /// Counts the flushes that reach the socket end of the pipeline.
    final class FlushCounter: ChannelOutboundHandler, @unchecked Sendable {  // used on the embedded loop only
        typealias OutboundIn = ByteBuffer
        var flushes = 0

        func flush(context: ChannelHandlerContext) {
            flushes += 1
            context.flush()
        }
    }

    @Test func answersToOneReadGoOutInOneFlushAndLaterAnswersAtOnce() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-coalesce-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("c.db").path)
        let verifier = try KeyVerifier(store: store, pool: Argon2Pool(configuration: .init(threads: 1, queueLimit: 4)))
        let services = ServerServices(configuration: .init(), store: store, verifier: verifier, logger: Logger(label: "test"))
        let channel = EmbeddedChannel()
        let counter = FlushCounter()
        let state = FrameState(maximumFrameBytes: 65_536)
        try channel.pipeline.syncOperations.addHandlers([
            counter, ByteToMessageHandler(FrameDecoder(state: state)),
            ConnectionHandler(
                services: services, dispatcher: Dispatcher(methods: Server.methods, services: services), frameState: state,
                channel: channel, logger: Logger(label: "test")),
        ])
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).get()

        // Sixteen pings (answered from memory, before hello) in one read.
        var burst = channel.allocator.buffer(capacity: 1024)
        for id in 1...16 {
            var frame = Frame.encode(Array(#"{"jsonrpc":"2.0","id":\#(id),"method":"ping"}"#.utf8), allocator: channel.allocator)
            burst.writeBuffer(&frame)
        }
        let before = counter.flushes
        try channel.writeInbound(burst)
        var answered = 0
        while let frame = try channel.readOutbound(as: ByteBuffer.self) {
            answered += frame.readableBytes > 0 ? 1 : 0
        }
        #expect(answered == 16)
        #expect(counter.flushes - before == 1, "one flush for the whole read, not one per response")

        // A lone request is flushed at the end of its own read, as before.
        try channel.writeInbound(Frame.encode(Array(#"{"jsonrpc":"2.0","id":17,"method":"ping"}"#.utf8), allocator: channel.allocator))
        #expect(try channel.readOutbound(as: ByteBuffer.self) != nil)
        #expect(counter.flushes - before == 2)
        _ = try? channel.finish()
        try await store.close()
    }
}
