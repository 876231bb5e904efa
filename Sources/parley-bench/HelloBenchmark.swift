import Foundation
import Histogram
import ParleyClient
import ParleyModel
import ParleyTLS

/// Times `hello` with a cold key (argon2id verification) and with a cached one (HMAC lookup):
/// `keys` fresh keys are each used twice, each time on a new connection, one at a time. Each
/// sample runs from the connect to the hello response; a `ping` on the authenticated connection
/// is timed too, as the request/response floor the cached hello cannot beat.
struct HelloBenchmark {
    let host: String
    let port: Int
    /// TLS to the server, or nil for plaintext.
    let tls: PreparedClientTLS?
    let setup: Client
    let tenantId: String
    let keys: Int

    struct Result {
        var cold = LaneResult.histogram()
        var cached = LaneResult.histogram()
        var cachedWithoutConnect = LaneResult.histogram()
        var ping = LaneResult.histogram()

        var text: String {
            func figures(_ h: Histogram<UInt64>) -> String { "p50 \(h.valueAtPercentile(50)) us, p99 \(h.valueAtPercentile(99)) us" }
            let ratio = Double(cold.valueAtPercentile(50)) / Double(max(1, cached.valueAtPercentile(50)))
            return """
                hello, cold key (argon2id), connect + hello:  \(figures(cold))
                hello, cached key, connect + hello:           \(figures(cached))   (cold/cached p50 \(String(format: "%.0f", ratio))x)
                hello, cached key, hello alone:               \(figures(cachedWithoutConnect))
                ping on an authenticated connection:          \(figures(ping))   (\(cold.totalCount) keys)
                """
        }

        var json: JSONValue {
            func figures(_ h: Histogram<UInt64>) -> JSONValue {
                ["p50_us": .int(Int64(h.valueAtPercentile(50))), "p99_us": .int(Int64(h.valueAtPercentile(99))), "samples": .int(Int64(h.totalCount))]
            }
            return [
                "method": "hello", "cold": figures(cold), "cached": figures(cached),
                "cached_hello_only": figures(cachedWithoutConnect), "ping": figures(ping),
            ]
        }
    }

    func run() async throws -> Result {
        var tokens: [String] = []
        for index in 0..<keys {
            let created = try await setup.call(
                "api_keys.create",
                [
                    "name": .string("bench \(index)"), "role": "TENANT_READER", "tenant_id": .string(tenantId),
                ])
            guard let token = created["api_key"]?.stringValue else { throw BenchFailure.noKey }
            tokens.append(token)
        }
        var result = Result()
        let clock = ContinuousClock()
        for round in 0..<2 {
            for token in tokens {
                let begin = clock.now
                let client = try await Client.connect(host: host, port: port, tls: tls)
                let connected = clock.now
                try await client.hello(apiKey: token, clientName: "parley-bench")
                let done = clock.now
                if round == 0 {
                    result.cold.record((done - begin).microseconds)
                } else {
                    result.cached.record((done - begin).microseconds)
                    result.cachedWithoutConnect.record((done - connected).microseconds)
                    let pingBegin = clock.now
                    _ = try await client.call("ping")
                    result.ping.record((clock.now - pingBegin).microseconds)
                }
                await client.close()
            }
        }
        return result
    }

    enum BenchFailure: Error { case noKey }
}
