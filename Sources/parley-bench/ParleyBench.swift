import ArgumentParser
import Foundation
import ParleyClient
import ParleyModel
import ParleyProtocol
import ParleyTLS

/// `parley-bench`: drives a running parleyd with a weighted mix of calls over N authenticated
/// connections for a bounded time, and prints (and writes as JSON) requests/s, p50/p99/p999
/// latency from HdrHistograms, and errors. Loopback use only.
@main
struct ParleyBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parley-bench",
        abstract: "Measure throughput and latency of a running parleyd.",
        discussion: """
            Operations: get (groups.get of a seeded group), list (groups.list, 50 per page), create \
            (groups.create), update (groups.update of a seeded group), hello (a new connection and \
            hello with the cached key), tenants.get, ping. Seeded groups are kept in tenants named \
            bench-objects-N and reused by later runs; the run's own tenant is deleted at the end.
            With --redis, --server is a Redis server and the one operation is redis.get (GET of a \
            random one of --objects keys, seeded with SET): the reference through the same lanes. \
            --server-pid adds the server's CPU time per request, read from /proc.
            """)

    @Option(help: "Server host:port.") var server = "127.0.0.1:7411"
    @Option(help: "ADMIN API key (env PARLEY_API_KEY).") var apiKey: String?
    @Option(help: "Concurrent connections (1-4096).") var connections = 32
    @Option(help: "Seconds to run (1-300).") var duration = 10
    @Option(help: "Calls in flight per connection (1-64).") var depth = 1
    @Option(help: "Weighted operations, e.g. get=80,list=10,create=5,update=5,hello=0 (a bare name weighs 1).")
    var mix: String?
    @Option(help: "One operation alone (the same as --mix NAME).") var method: String?
    @Option(help: "Offer this many calls per second in all, evenly paced, timing each from when it was due (default: as fast as answered).")
    var rate: Int?
    @Option(help: "Groups to keep stored for get/list/update (1-2000000); seeded once and reused.") var objects = 1_000
    @Option(help: "Instead of a load run, time hello with this many fresh keys, cold (argon2id) then cached (1-500).")
    var compareHelloKeys: Int?
    @Option(help: "Write the results as JSON to this file.") var jsonOut: String?
    @Flag(help: "Speak TLS to the server (with --tls-ca to trust a test CA).") var tls = false
    @Option(help: "PEM CA file to trust for --tls (implies --tls).") var tlsCa: String?
    @Option(help: "The name the server's certificate must carry (implies --tls).") var tlsServerName: String?
    @Flag(help: "--server is a Redis server: run redis.get against it (the reference).") var redis = false
    @Option(help: "Bytes of each seeded Redis value (the size of a groups.get response).") var redisValueBytes = 420
    @Option(help: "The server's process id: report its CPU time per request (from /proc).") var serverPid: Int32?
    @Flag(help: "Read each response only as far as its id and whether it failed, as the Redis client reads a value's length only.")
    var lightClient = false

    func validate() throws {
        guard (1...300).contains(duration) else { throw ValidationError("--duration must be 1-300 seconds") }
        guard (1...4096).contains(connections), (1...64).contains(depth) else {
            throw ValidationError("--connections must be 1-4096 and --depth 1-64")
        }
        guard (1...2_000_000).contains(objects) else { throw ValidationError("--objects must be 1-2000000") }
        if let rate, !(1...1_000_000).contains(rate) { throw ValidationError("--rate must be 1-1000000 calls per second") }
        if let compareHelloKeys, !(1...500).contains(compareHelloKeys) { throw ValidationError("--compare-hello-keys must be 1-500") }
        guard mix == nil || method == nil else { throw ValidationError("give --mix or --method, not both") }
        do { _ = try BenchMix(parsing: mixText) } catch { throw ValidationError(error.description) }
        if redis {
            guard mixText == "redis.get" else { throw ValidationError("--redis runs redis.get alone") }
            guard compareHelloKeys == nil, !tls, tlsCa == nil else { throw ValidationError("--redis takes neither --compare-hello-keys nor TLS") }
            guard (1...100_000).contains(redisValueBytes) else { throw ValidationError("--redis-value-bytes must be 1-100000") }
        } else if (try? BenchMix(parsing: mixText))?.operations.contains(where: \.isRedis) == true {
            throw ValidationError("redis.get needs --redis")
        }
    }

    private var mixText: String { mix ?? method ?? (redis ? "redis.get" : "tenants.get") }

    func run() async throws {
        let parts = server.split(separator: ":")
        guard parts.count == 2, let port = Int(parts[1]) else { throw ValidationError("--server must be host:port") }
        if redis { return try await runRedis(host: String(parts[0]), port: port) }
        guard let key = apiKey ?? ProcessInfo.processInfo.environment["PARLEY_API_KEY"] else {
            throw ValidationError("an ADMIN key is required (--api-key or PARLEY_API_KEY)")
        }
        let host = String(parts[0])
        let tls = tls || tlsCa != nil || tlsServerName != nil ? try PreparedClientTLS(ClientTLS(trustRoots: tlsCa, serverName: tlsServerName)) : nil
        let (setup, _) = try await Client.connect(host: host, port: port, apiKey: key, tls: tls, clientName: "parley-bench")
        let tenant = try await setup.call(
            "tenants.create",
            [
                "slug": .string("bench-\(UInt32.random(in: 0...UInt32.max))"), "name": "Benchmark tenant", "seed_blocked_file_types": false,
            ])
        let tenantId = tenant["id"]!.stringValue!
        let result: JSONValue
        if let keys = compareHelloKeys {
            let comparison = try await HelloBenchmark(host: host, port: port, tls: tls, setup: setup, tenantId: tenantId, keys: keys).run()
            print(comparison.text)
            result = comparison.json
        } else {
            let mix = try BenchMix(parsing: mixText)
            var objects = SeededObjects(targets: [], tenantIds: [])
            if mix.operations.contains(where: \.needsObjects) {
                objects = try await ObjectSeeder(client: setup, count: self.objects) { print($0) }.run()
            }
            let report = try await LoadRunner(
                host: host, port: port, tls: tls, apiKey: key, mix: mix, connections: connections, depth: depth,
                duration: .seconds(duration), tenantId: tenantId, objects: objects, rate: rate, serverCPU: serverPid.map(ServerCPU.init),
                lightClient: lightClient
            ).run()
            print(report.text)
            if !report.errors.isEmpty {
                print(
                    "note: failed calls are not counted above; a per-key rate limit answers -32010: run parleyd with --key-rate-limit 0 to measure raw throughput"
                )
            }
            result = report.json
        }
        if let jsonOut {
            try Data((JSONWriter.prettyString(result) + "\n").utf8).write(to: URL(fileURLWithPath: jsonOut))
        }
        _ = try await setup.call("tenants.delete", ["id": .string(tenantId), "cascade": true])
        await setup.close()
    }

    /// The Redis reference: seeds `--objects` keys, then runs `redis.get` through the same lanes.
    private func runRedis(host: String, port: Int) async throws {
        let seeder = try await RedisClient.connect(host: host, port: port)
        let value = String(repeating: "x", count: redisValueBytes)
        for index in 0..<objects { try await seeder.set("bench:\(index)", value) }
        await seeder.close()
        let report = try await LoadRunner(
            host: host, port: port, tls: nil, apiKey: "", mix: try BenchMix(parsing: "redis.get"), connections: connections, depth: depth,
            duration: .seconds(duration), tenantId: "", objects: SeededObjects(targets: [], tenantIds: []), rate: rate,
            redisKeys: objects, serverCPU: serverPid.map(ServerCPU.init)
        ).run()
        print(report.text)
        if let jsonOut {
            try Data((JSONWriter.prettyString(report.json) + "\n").utf8).write(to: URL(fileURLWithPath: jsonOut))
        }
    }
}
