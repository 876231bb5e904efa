import Metrics
import ParleyModel
import ParleyProtocol

/// The server's metrics, through swift-metrics (parleyd exports them as Prometheus text).
enum ServerMetrics {
    /// Counts a call by method and outcome (`ok` or the error kind) and times it.
    static func record(method: String, outcome: Result<JSONValue, RPCError>, since start: ContinuousClock.Instant) {
        let kind: String
        switch outcome {
        case .success: kind = "ok"
        case .failure(let error): kind = error.code.kind
        }
        Counter(label: "parley_requests_total", dimensions: [("method", method), ("outcome", kind)]).increment()
        Timer(label: "parley_request_duration_seconds", dimensions: [("method", method)]).record(duration: ContinuousClock.now - start)
    }

    /// Open connections now.
    static func connections(_ count: Int) {
        Gauge(label: "parley_open_connections").record(count)
    }
}
