import Foundation
import Testing

/// Issue 11: the CLI says how long a throttled hello must wait, in words, and an empty key is
/// reported as missing, not as a failed authentication.
@Suite(.serialized) struct ThrottleCLITests {
    @Test func aThrottledHelloSaysHowLongToWaitAndAnEmptyKeyIsMissing() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-throttle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("parley.db").path
        let key = try await BuiltBinaries.run("parleyd", ["init", "--db", database]).stdout.trimmingCharacters(in: .newlines)
        let daemon = try await BuiltBinaries.Daemon(
            database: database, directory: directory, arguments: ["--auth-max-failures", "2", "--auth-failure-refill", "900"])
        let server = "127.0.0.1:\(daemon.port)"
        let wrong = String(key.dropLast()) + (key.hasSuffix("a") ? "b" : "a")
        for _ in 0..<2 {
            let failed = try await BuiltBinaries.run("parley", ["ping"], environment: ["PARLEY_SERVER": server, "PARLEY_API_KEY": wrong])
            #expect(failed.status == 3, "\(failed.stderr)")
        }
        let throttled = try await BuiltBinaries.run("parley", ["ping"], environment: ["PARLEY_SERVER": server, "PARLEY_API_KEY": wrong])
        #expect(throttled.status == 7)
        #expect(throttled.stderr.contains("retry in 15 min"), "\(throttled.stderr)")

        let empty = try await BuiltBinaries.run("parley", ["tenants", "list"], environment: ["PARLEY_SERVER": server, "PARLEY_API_KEY": ""])
        #expect(empty.status == 64)
        #expect(empty.stderr.contains("an API key is required"), "\(empty.stderr)")
        #expect(try await daemon.stop() == 0)
    }
}
