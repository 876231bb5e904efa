import Foundation
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
            let run = try await BuiltBinaries.run("parley-bench", [
                "--server", "127.0.0.1:\(server.port)", "--api-key", server.adminKey,
                // Equal weights over 2 s and 4 lanes: hundreds of calls even on a loaded debug build,
                // so every operation is drawn (a 1 s run with skewed weights once missed one).
                "--mix", "get,list,create,update,hello,tenants.get,ping",
                "--objects", "30", "--connections", "2", "--depth", "2", "--duration", "2", "--json-out", report.path,
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

    @Test func aBadMixIsRefusedWithTheKnownOperations() async throws {
        let run = try await BuiltBinaries.run("parley-bench", ["--mix", "get=1,fetch=2", "--api-key", "x"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("unknown operation \"fetch\""), "\(run.stderr)")
        #expect(run.stderr.contains("get, list, create, update, hello"), "\(run.stderr)")
    }
}
