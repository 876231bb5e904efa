import Histogram
import ParleyClient
import ParleyModel
import ParleyTLS

/// Drives the server with `connections` authenticated connections, `depth` calls in flight on
/// each, drawing every call from the mix, until the deadline. Latencies go into one HdrHistogram
/// per operation per lane (microseconds, 3 significant digits), merged at the end.
struct LoadRunner {
    let host: String
    let port: Int
    /// TLS to the server, or nil for plaintext.
    let tls: PreparedClientTLS?
    let apiKey: String
    let mix: BenchMix
    let connections: Int
    let depth: Int
    let duration: Duration
    /// The run's own tenant: creates go there, and `tenants.get` reads it.
    let tenantId: String
    let objects: SeededObjects
    /// Total calls per second to offer, spread evenly over the lanes; nil = as fast as answered.
    /// With a rate, each call is timed from when it was due, not from when it was sent, so a
    /// stall counts against every call it delayed (no coordinated omission).
    var rate: Int? = nil
    /// Keys `bench:0` to `bench:N-1` seeded in Redis for `redis.get` (zero unless the mix is Redis').
    var redisKeys = 0
    /// The server process whose CPU time the report gives per request, if known.
    var serverCPU: ServerCPU? = nil
    /// Read responses only as far as their id and outcome (``LightParleyClient``).
    var lightClient = false

    func run() async throws -> BenchReport {
        var clients: [BenchConnection] = []
        for _ in 0..<connections {
            if mix.operations.allSatisfy(\.isRedis) {
                clients.append(.redis(try await RedisClient.connect(host: host, port: port)))
            } else if lightClient {
                clients.append(.light(try await LightParleyClient.connect(host: host, port: port, apiKey: apiKey)))
            } else {
                clients.append(.parley(try await Client.connect(host: host, port: port, apiKey: apiKey, tls: tls, clientName: "parley-bench").client))
            }
        }
        let clock = ContinuousClock()
        let cpuBefore = serverCPU?.seconds()
        let started = clock.now
        let deadline = started + duration
        let lanes = try await withThrowingTaskGroup(of: LaneResult.self) { group in
            for (index, client) in clients.enumerated() {
                for lane in 0..<depth {
                    group.addTask { try await self.lane(client: client, name: "\(index)-\(lane)", deadline: deadline) }
                }
            }
            var merged = LaneResult()
            for try await result in group { merged.merge(result) }
            return merged
        }
        let elapsed = clock.now - started
        let cpuAfter = serverCPU?.seconds()
        for client in clients { await client.close() }
        var cpu: Double?
        if let cpuBefore, let cpuAfter { cpu = cpuAfter - cpuBefore }
        return BenchReport(
            mix: mix.description, connections: connections, depth: depth, rate: rate, seconds: elapsed.seconds,
            objects: max(objects.targets.count, redisKeys), latencies: lanes.histograms, errors: lanes.errors, firstErrors: lanes.firstErrors,
            serverCPUSeconds: cpu)
    }

    /// One caller: draws, calls, records, until the deadline.
    private func lane(client connection: BenchConnection, name: String, deadline: ContinuousClock.Instant) async throws -> LaneResult {
        var result = LaneResult()
        var random = SystemRandomNumberGenerator()
        var created = 0
        let clock = ContinuousClock()
        let interval = rate.map { Duration.seconds(Double(connections * depth) / Double($0)) }
        // Lanes start spread over one interval, so that paced calls do not arrive in bursts.
        var due = clock.now + (interval ?? .zero) * Double.random(in: 0..<1, using: &random)
        while clock.now < deadline {
            let operation = mix.draw(using: &random)
            if let interval {
                if due > clock.now { try await Task.sleep(until: due, clock: clock) }
                due += interval
            }
            let begin = interval == nil ? clock.now : due - interval!
            do {
                if case .redis(let redis) = connection {
                    try await redis.get("bench:\(Int.random(in: 0..<redisKeys, using: &random))")
                    result.record(operation, microseconds: (clock.now - begin).microseconds)
                    continue
                }
                switch operation {
                case .hello:
                    // Timed up to the hello response; closing is not part of it.
                    let fresh = try await Client.connect(host: host, port: port, tls: tls)
                    do {
                        try await fresh.hello(apiKey: apiKey, clientName: "parley-bench")
                    } catch {
                        await fresh.close()
                        throw error
                    }
                    result.record(operation, microseconds: (clock.now - begin).microseconds)
                    await fresh.close()
                    continue
                case .create:
                    created += 1
                    try await connection.call("groups.create", ["tenant_id": .string(tenantId), "name": .string("bench \(name)-\(created)")])
                default:
                    let (method, params) = call(operation, using: &random)
                    try await connection.call(method, params)
                }
                result.record(operation, microseconds: (clock.now - begin).microseconds)
            } catch {
                result.fail(operation, error)
            }
        }
        return result
    }

    /// The method and params of a read or update.
    private func call(_ operation: BenchOperation, using random: inout SystemRandomNumberGenerator) -> (String, [String: JSONValue]) {
        switch operation {
        case .get:
            let target = objects.targets.randomElement(using: &random)!
            return ("groups.get", ["tenant_id": .string(target.tenantId), "id": .string(target.id)])
        case .list:
            return ("groups.list", ["tenant_id": .string(objects.tenantIds.randomElement(using: &random)!), "limit": 50])
        case .update:
            let target = objects.targets.randomElement(using: &random)!
            return (
                "groups.update",
                [
                    "tenant_id": .string(target.tenantId), "id": .string(target.id), "queue_size": .int(Int64.random(in: 1...1000, using: &random)),
                ]
            )
        case .tenantGet:
            return ("tenants.get", ["id": .string(tenantId)])
        case .ping, .hello, .create, .redisGet:
            return ("ping", [:])
        }
    }
}

/// One of the run's connections: to parleyd, or to Redis for the reference.
enum BenchConnection: Sendable {
    case parley(Client)
    case light(LightParleyClient)
    case redis(RedisClient)

    /// Calls a Parley method (not on a Redis connection).
    func call(_ method: String, _ params: [String: JSONValue]) async throws {
        switch self {
        case .parley(let client): _ = try await client.call(method, params)
        case .light(let client): try await client.call(method, params)
        case .redis: preconditionFailure("a Parley call on a Redis connection")
        }
    }

    func close() async {
        switch self {
        case .parley(let client): await client.close()
        case .light(let client): await client.close()
        case .redis(let client): await client.close()
        }
    }
}

/// What the lanes measured, merged.
struct LaneResult: Sendable {
    var histograms: [BenchOperation: Histogram<UInt64>] = [:]
    var errors: [BenchOperation: Int] = [:]
    /// The first few distinct error messages, to tell a misconfigured run from a slow one.
    var firstErrors: [String] = []

    mutating func record(_ operation: BenchOperation, microseconds: UInt64) {
        histograms[operation, default: Self.histogram()].record(max(1, microseconds))
    }

    mutating func fail(_ operation: BenchOperation, _ error: any Error) {
        errors[operation, default: 0] += 1
        let text = "\(operation.rawValue): \(error)"
        if firstErrors.count < 5, !firstErrors.contains(text) { firstErrors.append(text) }
    }

    mutating func merge(_ other: LaneResult) {
        for (operation, histogram) in other.histograms { histograms[operation, default: Self.histogram()].add(histogram) }
        for (operation, count) in other.errors { errors[operation, default: 0] += count }
        for text in other.firstErrors where firstErrors.count < 5 && !firstErrors.contains(text) { firstErrors.append(text) }
    }

    /// 1 µs to 60 s at 3 significant digits.
    static func histogram() -> Histogram<UInt64> {
        Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
    }
}

extension Duration {
    var microseconds: UInt64 {
        let (seconds, attoseconds) = components
        return UInt64(max(0, seconds)) * 1_000_000 + UInt64(max(0, attoseconds)) / 1_000_000_000_000
    }

    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
