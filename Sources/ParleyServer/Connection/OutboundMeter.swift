import Synchronization

/// Counts the bytes written to a connection that the socket has not taken yet, so that a
/// consumer that stops reading can be noticed (and disconnected) before memory grows.
final class OutboundMeter: Sendable {
    private let bytes = Atomic<Int>(0)

    func add(_ delta: Int) { bytes.add(delta, ordering: .relaxed) }

    var pending: Int { bytes.load(ordering: .relaxed) }
}
