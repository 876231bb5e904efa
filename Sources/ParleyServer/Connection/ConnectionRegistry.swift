import NIOConcurrencyHelpers
import NIOCore

/// The open connections: enforces the connection cap and reaches every connection at shutdown.
final class ConnectionRegistry: Sendable {
    private let channels = NIOLockedValueBox<[ObjectIdentifier: any Channel]>([:])
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Registers `channel` unless the cap is reached; it is removed again when it closes.
    func register(_ channel: any Channel) -> Bool {
        let key = ObjectIdentifier(channel)
        let admitted = channels.withLockedValue { open in
            guard open.count < capacity else { return false }
            open[key] = channel
            return true
        }
        if admitted {
            ServerMetrics.connections(count)
            channel.closeFuture.whenComplete { [self] _ in
                _ = channels.withLockedValue { $0.removeValue(forKey: key) }
                ServerMetrics.connections(count)
            }
        }
        return admitted
    }

    /// How many connections are open.
    var count: Int { channels.withLockedValue { $0.count } }

    /// Every open connection.
    var all: [any Channel] { channels.withLockedValue { Array($0.values) } }
}
