import Metrics
import ParleyModel
import ParleyProtocol

/// The server's metrics, through swift-metrics (parleyd exports them as Prometheus text).
enum ServerMetrics {
    /// Open connections now.
    static func connections(_ count: Int) {
        Gauge(label: "parley_open_connections").record(count)
    }
}

/// The metrics of one method's calls, made once per server for each method: making a
/// `Counter` or a `Timer` looks its handler up in the metrics factory (under the registry's
/// lock), and two of those per call were a percent of a cached read's CPU.
final class CallMetrics: Sendable {
    private let method: String
    private let succeeded: Counter
    private let duration: Timer

    /// Made after `MetricsSystem.bootstrap` (a handle made before it stays a no-op).
    init(method: String) {
        self.method = method
        succeeded = Counter(label: "parley_requests_total", dimensions: [("method", method), ("outcome", "ok")])
        duration = Timer(label: "parley_request_duration_seconds", dimensions: [("method", method)])
    }

    /// Counts a call by outcome (`ok` or the error kind) and times it.
    func record(_ outcome: Result<JSONValue, RPCError>, since start: ContinuousClock.Instant) {
        switch outcome {
        case .success: succeeded.increment()
        case .failure(let error):
            Counter(label: "parley_requests_total", dimensions: [("method", method), ("outcome", error.code.kind)]).increment()
        }
        duration.record(duration: ContinuousClock.now - start)
    }
}
