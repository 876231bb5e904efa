import ParleyModel
import ParleyProtocol
import ParleyTesting

#if canImport(Glibc)
import Glibc
#endif

/// A plain blocking TCP client with a tiny receive buffer that reads only when told to: a
/// consumer that stops reading, which an event-driven client cannot imitate.
final class StalledSocket {
    private let descriptor: Int32

    init(port: Int, receiveBuffer: Int32 = 4096) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var size = receiveBuffer
        setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure() }
    }

    deinit { close(descriptor) }

    func send(_ message: JSONValue) {
        let frame = RawConnection.frame(JSONWriter.bytes(message))
        _ = frame.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, 0) }
    }

    /// Reads exactly one frame (the answer to a request sent before anything else arrives).
    func readFrame() -> JSONValue? {
        func read(_ count: Int) -> [UInt8]? {
            var bytes = [UInt8](repeating: 0, count: count)
            var filled = 0
            while filled < count {
                let got = bytes.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress! + filled, count - filled, 0) }
                guard got > 0 else { return nil }
                filled += got
            }
            return bytes
        }
        guard let header = read(4) else { return nil }
        let length = header.reduce(0) { $0 << 8 | Int($1) }
        return read(length).flatMap { try? JSONParser.parse($0) }
    }

    /// Everything the server sends until it closes the connection (or 10 s of silence).
    func readToEnd() -> [UInt8] {
        var all: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return all }
            all += buffer[0..<count]
        }
    }

    /// The JSON frames in `bytes`.
    static func frames(_ bytes: [UInt8]) -> [JSONValue] {
        var frames: [JSONValue] = []
        var offset = 0
        while offset + 4 <= bytes.count {
            let length = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            guard offset + 4 + length <= bytes.count, let value = try? JSONParser.parse(bytes[(offset + 4)..<(offset + 4 + length)]) else { break }
            frames.append(value)
            offset += 4 + length
        }
        return frames
    }

    struct Failure: Error {}
}
