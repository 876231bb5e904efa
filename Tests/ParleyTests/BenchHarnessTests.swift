import Foundation
import NIOPosix
import ParleyModel
import ParleyProtocol
import ParleyTesting
import Testing

/// `parley-bench` end to end against a real server: every operation of a mix is measured,
/// nothing fails, and the JSON report carries the figures BENCHMARKS.md quotes.
@Suite struct BenchHarnessTests {
    @Test func aMixedRunReportsEveryOperation() async throws {
        try await TestServer.with { server in
            let report = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID().uuidString).json")
            defer { try? FileManager.default.removeItem(at: report) }
            let run = try await BuiltBinaries.run(
                "parley-bench",
                [
                    "--server", "127.0.0.1:\(server.port)", "--api-key", server.adminKey,
                    // Equal weights over 4 s and 4 lanes: hundreds of calls even on a loaded debug build,
                    // so every operation is drawn (a 1 s run with skewed weights once missed one, and a
                    // 2 s run missed create while the machine also built another checkout).
                    "--mix", "get,list,create,update,hello,tenants.get,ping",
                    "--objects", "30", "--connections", "2", "--depth", "2", "--duration", "4", "--json-out", report.path,
                ])
            #expect(run.status == 0, "\(run.stderr)")
            let json = try JSONParser.parse(Array(try Data(contentsOf: report)))
            let operations = json["operations"]?.objectValue ?? [:]
            #expect(Set(operations.keys) == ["get", "list", "create", "update", "hello", "tenants.get", "ping"])
            for (name, figures) in operations {
                #expect((figures["requests"]?.intValue ?? 0) > 0, "\(name) ran")
                #expect(figures["errors"]?.intValue == 0, "\(name): \(json["errors_seen"] ?? .null)")
                let p50 = figures["p50_us"]?.intValue ?? 0, p99 = figures["p99_us"]?.intValue ?? 0
                #expect(p50 > 0 && p50 <= p99, "\(name) percentiles")
            }
            #expect(json["seeded_objects"]?.intValue == 30)
            #expect(run.stdout.contains("total"))
        }
    }

    /// The light client (ids and outcomes only) runs every Parley operation without errors, and
    /// `--server-pid` reports the server's CPU per request (here the test process is the server).
    @Test func aLightClientRunReportsServerCPU() async throws {
        try await TestServer.with { server in
            let report = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID().uuidString).json")
            defer { try? FileManager.default.removeItem(at: report) }
            let run = try await BuiltBinaries.run(
                "parley-bench",
                [
                    "--server", "127.0.0.1:\(server.port)", "--api-key", server.adminKey, "--light-client",
                    "--server-pid", "\(ProcessInfo.processInfo.processIdentifier)",
                    "--mix", "get,list,create,update,tenants.get,ping", "--objects", "30", "--connections", "2", "--duration", "2",
                    "--json-out", report.path,
                ])
            #expect(run.status == 0, "\(run.stderr)")
            let json = try JSONParser.parse(Array(try Data(contentsOf: report)))
            for (name, figures) in json["operations"]?.objectValue ?? [:] {
                #expect((figures["requests"]?.intValue ?? 0) > 0, "\(name) ran")
                #expect(figures["errors"]?.intValue == 0, "\(name): \(json["errors_seen"] ?? .null)")
            }
            let perRequest: Double? =
                switch json["server_cpu_us_per_request"] {
                case .double(let value): value
                case .int(let value): Double(value)
                default: nil
                }
            #expect((perRequest ?? 0) > 0, "\(json)")
            #expect(run.stdout.contains("server CPU"), "\(run.stdout)")
        }
    }

    /// A light-client call the server refuses is counted as an error with the server's message
    /// (a key over its rate limit, 5 a second: -32010; even a loaded machine calls faster than that).
    @Test func aLightClientCountsRefusedCalls() async throws {
        try await TestServer.with(configure: {
            $0.keyRequestsPerSecond = 5; $0.keyRequestBurst = 5
        }) { server in
            let run = try await BuiltBinaries.run(
                "parley-bench",
                [
                    "--server", "127.0.0.1:\(server.port)", "--api-key", server.adminKey, "--light-client", "--method", "tenants.get",
                    "--connections", "2", "--duration", "2",
                ])
            // (the run's own clean-up may be refused too, so its exit status is not the point)
            #expect(!run.stdout.contains(" 0 errors"), "\(run.stdout) \(run.stderr)")
            #expect(run.stdout.contains("over its limit"), "\(run.stdout)")
        }
    }

    /// The Redis reference through the same lanes, when Debian's redis-server is installed
    /// (scripts/benchmark.sh installs it; the test suite does not need it).
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/redis-server")))
    func theRedisReferenceRunsThroughTheSameLanes() async throws {
        let port = try await freeLoopbackPort()
        let redis = Process()
        redis.executableURL = URL(fileURLWithPath: "/usr/bin/redis-server")
        redis.arguments = ["--port", "\(port)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        redis.standardOutput = FileHandle.nullDevice
        try redis.run()
        defer { redis.terminate() }  // (never waitUntilExit here: it would block a thread of the task pool)
        var run = BuiltBinaries.Output(status: -1, stdout: "", stderr: "")
        for _ in 0..<50 {
            run = try await BuiltBinaries.run(
                "parley-bench",
                [
                    "--redis", "--server", "127.0.0.1:\(port)", "--objects", "20", "--connections", "2", "--duration", "1",
                    "--server-pid", "\(redis.processIdentifier)",
                ])
            if run.status == 0 || !run.stderr.contains("refused") { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("redis.get") && run.stdout.contains("0 errors"), "\(run.stdout)")
        #expect(run.stdout.contains("us per request"), "\(run.stdout)")
        redis.terminate()
        for _ in 0..<100 where redis.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        if redis.isRunning { kill(redis.processIdentifier, SIGKILL) }
    }

    @Test func aBadMixIsRefusedWithTheKnownOperations() async throws {
        let run = try await BuiltBinaries.run("parley-bench", ["--mix", "get=1,fetch=2", "--api-key", "x"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("unknown operation \"fetch\""), "\(run.stderr)")
        #expect(run.stderr.contains("get, list, create, update, hello"), "\(run.stderr)")
    }
}

/// A loopback port free a moment ago (bound on port 0, then released), for a server that cannot listen on port 0 itself.
func freeLoopbackPort() async throws -> Int {
    let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
    let port = channel.localAddress?.port ?? 0
    try await channel.close()
    return port
}
