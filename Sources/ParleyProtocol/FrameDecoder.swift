import NIOCore

/// Splits a byte stream into frames: a 4-byte big-endian payload length N, then N bytes.
///
/// The limit is checked right after the 4 length bytes: an empty or oversized frame throws
/// ``FrameError`` before a single payload byte is buffered, so a hostile length costs nothing.
public struct FrameDecoder: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer

    /// Limit and progress shared with the connection that owns this decoder (same event loop).
    public let state: FrameState

    public init(state: FrameState) {
        self.state = state
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> ByteBuffer? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: UInt32.self) else {
            state.notePending(byteCount: buffer.readableBytes)
            return nil
        }
        guard length > 0, UInt64(length) <= UInt64(state.maximumFrameBytes) else {
            throw FrameError(declaredLength: length, limit: state.maximumFrameBytes)
        }
        guard buffer.readableBytes >= 4 + Int(length) else {
            state.notePending(byteCount: buffer.readableBytes)
            return nil
        }
        buffer.moveReaderIndex(forwardBy: 4)
        let frame = buffer.readSlice(length: Int(length))
        state.notePending(byteCount: 0)
        return frame
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> ByteBuffer? {
        try decode(buffer: &buffer)
    }
}

/// A frame whose declared length is zero or above the limit in force.
public struct FrameError: Error, Sendable, Hashable, CustomStringConvertible {
    public var declaredLength: UInt32
    public var limit: Int

    public init(declaredLength: UInt32, limit: Int) {
        self.declaredLength = declaredLength
        self.limit = limit
    }

    public var description: String {
        declaredLength == 0 ? "empty frame" : "frame of \(declaredLength) bytes exceeds the limit of \(limit) bytes"
    }
}

/// Per-connection framing state: the limit in force and when the current partial frame began.
///
/// Not thread-safe: owned by one channel and touched only on its event loop.
public final class FrameState {
    /// The largest payload accepted now (lower before `hello`, higher after).
    public var maximumFrameBytes: Int
    /// When bytes of an unfinished frame first arrived; `nil` when no frame is half-sent.
    public private(set) var partialFrameSince: NIODeadline?

    public init(maximumFrameBytes: Int) {
        self.maximumFrameBytes = maximumFrameBytes
    }

    func notePending(byteCount: Int) {
        if byteCount == 0 {
            partialFrameSince = nil
        } else if partialFrameSince == nil {
            partialFrameSince = .now()
        }
    }
}

/// Encodes payloads as frames.
public enum Frame {
    /// The 4-byte length header followed by `payload`.
    public static func encode(_ payload: some Collection<UInt8>, allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 4 + payload.count)
        buffer.writeInteger(UInt32(payload.count), endianness: .big)
        buffer.writeBytes(payload)
        return buffer
    }
}
