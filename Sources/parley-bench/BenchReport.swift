import Foundation
import Histogram
import ParleyModel
import ParleyProtocol

/// The figures of one run: per operation and in total, requests/s and HdrHistogram percentiles.
struct BenchReport {
    let mix: String
    let connections: Int
    let depth: Int
    var rate: Int? = nil
    let seconds: Double
    let objects: Int
    let latencies: [BenchOperation: Histogram<UInt64>]
    let errors: [BenchOperation: Int]
    let firstErrors: [String]
    /// CPU seconds the server used during the run (`--server-pid`), if measured.
    var serverCPUSeconds: Double? = nil

    /// The server's CPU time per answered request, in microseconds.
    private var cpuPerRequest: Double? {
        guard let serverCPUSeconds, total.totalCount > 0 else { return nil }
        return serverCPUSeconds / Double(total.totalCount) * 1e6
    }

    private var operations: [BenchOperation] { Set(latencies.keys).union(errors.keys).sorted() }

    private var total: Histogram<UInt64> {
        var all = LaneResult.histogram()
        for histogram in latencies.values { all.add(histogram) }
        return all
    }

    /// One line per operation, then the total.
    var text: String {
        let pace = rate.map { ", offered \($0) calls/s" } ?? ""
        var lines = ["mix \(mix), \(connections) connections x depth \(depth)\(pace), \(String(format: "%.1f", seconds)) s, \(objects) seeded groups"]
        func line(_ label: String, _ histogram: Histogram<UInt64>, errors: Int) -> String {
            String(
                format: "%@ %9.0f req/s  p50 %7d us  p99 %7d us  p999 %7d us  max %8d us  %d errors",
                label.padding(toLength: 12, withPad: " ", startingAt: 0), Double(histogram.totalCount) / seconds, histogram.valueAtPercentile(50),
                histogram.valueAtPercentile(99),
                histogram.valueAtPercentile(99.9), histogram.max, errors)
        }
        for operation in operations {
            lines.append(line(operation.rawValue, latencies[operation] ?? LaneResult.histogram(), errors: errors[operation] ?? 0))
        }
        if operations.count > 1 { lines.append(line("total", total, errors: errors.values.reduce(0, +))) }
        if let serverCPUSeconds, let cpuPerRequest {
            lines.append(
                String(
                    format: "server CPU   %.2f s in %.1f s (%.2f cores), %.1f us per request", serverCPUSeconds, seconds, serverCPUSeconds / seconds,
                    cpuPerRequest))
        }
        lines += firstErrors.map { "error: \($0)" }
        return lines.joined(separator: "\n")
    }

    var json: JSONValue {
        func figures(_ histogram: Histogram<UInt64>, errors: Int) -> JSONValue {
            [
                "requests": .int(Int64(histogram.totalCount)), "errors": .int(Int64(errors)),
                "requests_per_second": .double((Double(histogram.totalCount) / seconds).rounded()),
                "p50_us": .int(Int64(histogram.valueAtPercentile(50))), "p99_us": .int(Int64(histogram.valueAtPercentile(99))),
                "p999_us": .int(Int64(histogram.valueAtPercentile(99.9))), "max_us": .int(Int64(histogram.max)),
            ]
        }
        var byOperation: [String: JSONValue] = [:]
        for operation in operations {
            byOperation[operation.rawValue] = figures(latencies[operation] ?? LaneResult.histogram(), errors: errors[operation] ?? 0)
        }
        return [
            "mix": .string(mix), "connections": .int(Int64(connections)), "depth": .int(Int64(depth)),
            "offered_rate": rate.map { .int(Int64($0)) } ?? .null,
            "seconds": .double((seconds * 1000).rounded() / 1000), "seeded_objects": .int(Int64(objects)),
            "operations": .object(byOperation), "total": figures(total, errors: errors.values.reduce(0, +)),
            "errors_seen": .array(firstErrors.map(JSONValue.string)),
            "server_cpu_seconds": serverCPUSeconds.map { .double(($0 * 1000).rounded() / 1000) } ?? .null,
            "server_cpu_us_per_request": cpuPerRequest.map { .double(($0 * 10).rounded() / 10) } ?? .null,
        ]
    }
}
