import ParleyClient
import ParleyModel

/// Times `hello` with a cold key (argon2id verification) and with a cached one (HMAC lookup):
/// `keys` fresh keys are each used twice, each time on a new connection, one at a time.
struct HelloBenchmark {
    let host: String
    let port: Int
    let setup: ParleyClient
    let tenantId: JSONValue
    let keys: Int

    /// Latencies in microseconds: (cold, cached).
    func run() async throws -> (cold: [Double], cached: [Double]) {
        var tokens: [String] = []
        for index in 0..<keys {
            let created = try await setup.call("api_keys.create", [
                "name": .string("bench \(index)"), "role": "TENANT_READER", "tenant_id": tenantId,
            ])
            guard let token = created["api_key"]?.stringValue else { throw BenchFailure.noKey }
            tokens.append(token)
        }
        var cold: [Double] = []
        var cached: [Double] = []
        for round in 0..<2 {
            for token in tokens {
                let client = try await ParleyClient.connect(host: host, port: port)
                let clock = ContinuousClock()
                let begin = clock.now
                try await client.hello(apiKey: token, clientName: "parley-bench")
                let elapsed = clock.now - begin
                await client.close()
                let micros = Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12
                if round == 0 { cold.append(micros) } else { cached.append(micros) }
            }
        }
        return (cold.sorted(), cached.sorted())
    }

    enum BenchFailure: Error { case noKey }
}
