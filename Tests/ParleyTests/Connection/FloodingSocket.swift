import ParleyModel
import ParleyProtocol
import ParleyTesting

#if canImport(Glibc)
import Glibc
#endif

/// A raw TCP client that writes without ever reading, through a small receive buffer: the
/// client of the remote-crash and memory-growth reports (issues 18 and 11). Sends never block;
/// what the kernel does not take is dropped, so a flood is bounded in time, not in bytes.
final class FloodingSocket {
    private let descriptor: Int32

    init(port: Int, receiveBuffer: Int32 = 4096) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var size = receiveBuffer
        setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(descriptor)
            throw Failure()
        }
    }

    deinit { close(descriptor) }

    /// Sends `frame` back to back for `duration` (or until `maximumBytes` went out); returns the bytes sent.
    @discardableResult
    func flood(_ frame: [UInt8], for duration: Duration, maximumBytes: Int = 64 << 20) async -> Int {
        let deadline = ContinuousClock.now + duration
        var sent = 0
        var offset = 0
        while ContinuousClock.now < deadline, sent < maximumBytes {
            let count = frame.withUnsafeBytes { send(descriptor, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_DONTWAIT | MSG_NOSIGNAL)) }
            if count > 0 {
                sent += count
                offset = (offset + count) % frame.count
            } else if count < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                try? await Task.sleep(for: .milliseconds(1))
            } else {
                break  // closed by the server
            }
        }
        return sent
    }

    /// Sends `bytes` once, as far as the kernel takes them without blocking.
    func sendOnce(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT | MSG_NOSIGNAL)) }
    }

    /// Reads what has arrived without waiting; nil once the server closed the connection (or reset it).
    func drainAvailable() -> [UInt8]? {
        var all: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count > 0 {
                all += buffer[0..<count]
            } else if count < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                return all
            } else {
                return nil
            }
        }
    }

    /// Whether the server closed the connection within `timeout` (reading and dropping what arrives).
    func waitForClose(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if drainAvailable() == nil { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    /// Whether the server closed the connection within `timeout`, without this client reading
    /// anything that is still queued (a peek at the socket's state only).
    func isClosedByPeer(within timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            var info = tcp_info()
            var length = socklen_t(MemoryLayout<tcp_info>.size)
            if getsockopt(descriptor, Int32(IPPROTO_TCP), TCP_INFO, &info, &length) == 0 {
                // CLOSE_WAIT (8) or CLOSE (7): the server sent FIN or RST.
                if info.tcpi_state == 8 || info.tcpi_state == 7 { return true }
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// Closes with a reset (SO_LINGER 0): unread data is thrown away at once, as a crashing client would.
    func abort() {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        shutdown(descriptor, Int32(SHUT_RDWR))
    }

    /// The frame of `message`.
    static func frame(_ message: JSONValue) -> [UInt8] { RawConnection.frame(JSONWriter.bytes(message)) }

    struct Failure: Error {}
}

extension FloodingSocket {
    /// Sends `hello` with `apiKey` and waits (bounded) for its answer; true when it succeeded.
    func hello(_ apiKey: String, timeout: Duration = .seconds(10)) async -> Bool {
        await request(
            ["jsonrpc": "2.0", "id": "hello", "method": "hello", "params": ["api_key": .string(apiKey), "protocol_version": 1]],
            timeout: timeout)?["result"] != nil
    }

    /// Sends `message` and waits (bounded, without blocking a thread) for the first frame that
    /// comes back; call it only while nothing else is on its way.
    func request(_ message: JSONValue, timeout: Duration = .seconds(10)) async -> JSONValue? {
        sendOnce(Self.frame(message))
        let deadline = ContinuousClock.now + timeout
        var received: [UInt8] = []
        while ContinuousClock.now < deadline {
            guard let more = drainAvailable() else { return nil }
            received += more
            if let first = StalledSocket.frames(received).first { return first }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return nil
    }
}
