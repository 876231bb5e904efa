import NIOCore
import NIOEmbedded
import NIOTestUtils
import ParleyProtocol
import Testing

@Suite struct FrameDecoderTests {
    private func frame(_ text: String) -> ByteBuffer {
        Frame.encode(Array(text.utf8), allocator: ByteBufferAllocator())
    }

    @Test func decodesFramesInEveryChunking() throws {
        let payloads = ["{}", #"{"jsonrpc":"2.0","id":1,"method":"ping"}"#, String(repeating: "x", count: 300)]
        var many = ByteBuffer()
        for payload in payloads { many.writeBytes(Array(frame(payload).readableBytesView)) }
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: [
                (frame(payloads[0]), [ByteBuffer(string: payloads[0])]),
                (frame(payloads[2]), [ByteBuffer(string: payloads[2])]),
                (many, payloads.map { ByteBuffer(string: $0) }),
            ],
            decoderFactory: { FrameDecoder(state: FrameState(maximumFrameBytes: 1024)) })
    }

    @Test func refusesAnOversizedLengthRightAfterTheHeader() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder(state: FrameState(maximumFrameBytes: 1024))))
        var header = ByteBuffer()
        header.writeInteger(UInt32.max, endianness: .big)
        #expect(throws: FrameError(declaredLength: UInt32.max, limit: 1024)) { try channel.writeInbound(header) }
        _ = try? channel.finish()
    }

    @Test func refusesAnEmptyFrame() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder(state: FrameState(maximumFrameBytes: 1024))))
        #expect(throws: FrameError.self) { try channel.writeInbound(ByteBuffer(bytes: [0, 0, 0, 0])) }
        _ = try? channel.finish()
    }

    @Test func acceptsExactlyTheLimitAndFollowsLimitChanges() throws {
        let state = FrameState(maximumFrameBytes: 8)
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder(state: state)))
        try channel.writeInbound(frame("12345678"))
        #expect(try channel.readInbound(as: ByteBuffer.self) == ByteBuffer(string: "12345678"))
        state.maximumFrameBytes = 16
        try channel.writeInbound(frame("123456789"))
        #expect(try channel.readInbound(as: ByteBuffer.self) == ByteBuffer(string: "123456789"))
        #expect(throws: FrameError.self) { try channel.writeInbound(frame(String(repeating: "z", count: 17))) }
        _ = try? channel.finish()
    }

    @Test func tracksAHalfSentFrame() throws {
        let state = FrameState(maximumFrameBytes: 64)
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder(state: state)))
        #expect(state.partialFrameSince == nil)
        try channel.writeInbound(ByteBuffer(bytes: [0, 0, 0, 2, 0x7B]))
        #expect(state.partialFrameSince != nil)
        try channel.writeInbound(ByteBuffer(bytes: [0x7D]))
        #expect(state.partialFrameSince == nil)
        _ = try? channel.finish()
    }
}
