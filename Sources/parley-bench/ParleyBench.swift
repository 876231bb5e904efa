import ArgumentParser
import Foundation
import ParleyClient
import ParleyModel
import ParleyProtocol

/// `parley-bench`: drives a running server with N authenticated connections for a bounded time
/// and prints requests/s and latency percentiles (a first harness; loopback use only).
@main
struct ParleyBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parley-bench",
        abstract: "Measure tenants.get throughput and latency against a running parleyd.")

    @Option(help: "Server host:port.") var server = "127.0.0.1:7411"
    @Option(help: "ADMIN API key (env PARLEY_API_KEY).") var apiKey: String?
    @Option(help: "Concurrent connections.") var connections = 32
    @Option(help: "Seconds to run (1-300).") var duration = 10
    @Option(help: "Requests in flight per connection.") var depth = 1
    @Option(help: "Method to call: tenants.get, ping or groups.create (a new group per call); or hello, which times hello with cold and cached keys.")
    var method = "tenants.get"
    @Option(help: "With --method hello: how many fresh keys to time (1-500).") var keys = 50
    @Option(help: "Write the results as JSON to this file.") var jsonOut: String?

    func validate() throws {
        guard (1...300).contains(duration) else { throw ValidationError("--duration must be 1-300 seconds") }
        guard ["tenants.get", "ping", "hello", "groups.create"].contains(method) else {
            throw ValidationError("--method must be tenants.get, ping, groups.create or hello")
        }
        guard (1...500).contains(keys) else { throw ValidationError("--keys must be 1-500") }
        guard (1...4096).contains(connections), (1...64).contains(depth) else {
            throw ValidationError("--connections must be 1-4096 and --depth 1-64")
        }
    }

    func run() async throws {
        guard let key = apiKey ?? ProcessInfo.processInfo.environment["PARLEY_API_KEY"] else {
            throw ValidationError("an ADMIN key is required (--api-key or PARLEY_API_KEY)")
        }
        let parts = server.split(separator: ":")
        let host = String(parts[0]), port = Int(parts[1])!
        let (setup, _) = try await ParleyClient.connect(host: host, port: port, apiKey: key)
        let slug = "bench-\(UInt32.random(in: 0...UInt32.max))"
        let tenant = try await setup.call("tenants.create", ["slug": .string(slug), "name": "Benchmark tenant"])
        let id = tenant["id"]!
        if method == "hello" {
            let (cold, cached) = try await HelloBenchmark(host: host, port: port, setup: setup, tenantId: id, keys: keys).run()
            print(String(format: "hello, cold key (argon2id): p50 %.0f us, p99 %.0f us; cached key: p50 %.0f us, p99 %.0f us (%d keys)",
                         quantile(cold, 0.5), quantile(cold, 0.99), quantile(cached, 0.5), quantile(cached, 0.99), keys))
            if let jsonOut {
                let result: JSONValue = [
                    "method": "hello", "keys": .int(Int64(keys)),
                    "cold_p50_us": .double(quantile(cold, 0.5).rounded()), "cold_p99_us": .double(quantile(cold, 0.99).rounded()),
                    "cached_p50_us": .double(quantile(cached, 0.5).rounded()), "cached_p99_us": .double(quantile(cached, 0.99).rounded()),
                ]
                try Data((JSONWriter.prettyString(result) + "\n").utf8).write(to: URL(fileURLWithPath: jsonOut))
            }
            _ = try await setup.call("tenants.delete", ["id": id, "cascade": true])
            await setup.close()
            return
        }
        let method = self.method
        let params: [String: JSONValue] = method == "ping" ? [:] : ["id": id]
        var clients: [ParleyClient] = []
        for _ in 0..<connections { clients.append(try await ParleyClient.connect(host: host, port: port, apiKey: key).client) }

        let clock = ContinuousClock()
        let end = clock.now + .seconds(duration)
        let started = clock.now
        let samples = try await withThrowingTaskGroup(of: ([Double], Int).self) { group in
            for (clientIndex, client) in clients.enumerated() {
                for lane in 0..<depth {
                    group.addTask {
                        var count = 0
                        var latencies: [Double] = []
                        var errors = 0
                        while clock.now < end {
                            let begin = clock.now
                            do {
                                var callParams = params
                                if method == "groups.create" {
                                    callParams = ["tenant_id": id, "name": .string("bench \(clientIndex)-\(lane)-\(count)")]
                                    count += 1
                                }
                                _ = try await client.call(method, callParams)
                                let elapsed = clock.now - begin
                                latencies.append(Double(elapsed.components.attoseconds) / 1e12 + Double(elapsed.components.seconds) * 1e6)
                            } catch {
                                errors += 1
                            }
                        }
                        return (latencies, errors)
                    }
                }
            }
            var all: [Double] = []
            var errors = 0
            for try await (latencies, failed) in group {
                all += latencies
                errors += failed
            }
            return (all.sorted(), errors)
        }
        let seconds = Double((clock.now - started).components.seconds) + Double((clock.now - started).components.attoseconds) / 1e18
        let (latencies, errors) = samples
        func percentile(_ q: Double) -> Double { quantile(latencies, q) }
        let result: JSONValue = [
            "method": .string(method), "connections": .int(Int64(connections)), "depth": .int(Int64(depth)),
            "seconds": .double(seconds), "requests": .int(Int64(latencies.count)), "errors": .int(Int64(errors)),
            "requests_per_second": .double((Double(latencies.count) / seconds).rounded()),
            "p50_us": .double(percentile(0.5).rounded()), "p99_us": .double(percentile(0.99).rounded()),
            "p999_us": .double(percentile(0.999).rounded()),
        ]
        print(String(format: "\(method): %.0f req/s over %.1f s, %d connections x depth %d, p50 %.0f us, p99 %.0f us, p999 %.0f us, %d errors",
                     Double(latencies.count) / seconds, seconds, connections, depth, percentile(0.5), percentile(0.99), percentile(0.999), errors))
        if errors > 0 {
            print("note: \(errors) calls failed (not counted above); a per-key rate limit answers -32010: run parleyd with --key-rate-limit 0 to measure raw throughput")
        }
        if let jsonOut {
            try Data((JSONWriter.prettyString(result) + "\n").utf8).write(to: URL(fileURLWithPath: jsonOut))
        }
        _ = try await setup.call("tenants.delete", ["id": id, "cascade": true])
        for client in clients { await client.close() }
        await setup.close()
    }
}

/// The `q` quantile of already sorted `values` (0 when there are none).
func quantile(_ values: [Double], _ q: Double) -> Double {
    values.isEmpty ? 0 : values[min(values.count - 1, Int(Double(values.count) * q))]
}
