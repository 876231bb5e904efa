import Foundation

/// Runs the built `parley` and `parleyd` executables (they sit next to the test bundle).
enum BuiltBinaries {
    /// The directory holding the built products.
    static let directory: URL = {
        let executable = URL(
            fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                ?? CommandLine.arguments[0])
        var candidate = executable.deletingLastPathComponent()
        for _ in 0..<4 where !FileManager.default.fileExists(atPath: candidate.appendingPathComponent("parleyd").path) {
            candidate = candidate.deletingLastPathComponent()
        }
        return candidate
    }()

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `name args` to completion (at most `timeout`) and captures both streams.
    static func run(_ name: String, _ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(60)) async throws -> Output {
        try await run(executable: directory.appendingPathComponent(name), arguments, environment: environment, timeout: timeout)
    }

    /// Runs one of PostgreSQL's client programs (`pg_dump`, `pg_restore`), from Debian's newest
    /// /usr/lib/postgresql/N/bin.
    static func runTool(_ name: String, _ arguments: [String], timeout: Duration = .seconds(60)) async throws -> Output {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        let newest = versions.compactMap(Int.init).max().map { "/usr/lib/postgresql/\($0)/bin/\(name)" } ?? "/usr/bin/\(name)"
        return try await run(executable: URL(fileURLWithPath: newest), arguments, timeout: timeout)
    }

    static func run(executable: URL, _ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(60)) async throws -> Output {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["PARLEY_SERVER"] = nil
        env["PARLEY_API_KEY"] = nil
        env.merge(environment) { _, new in new }
        process.environment = env
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("parley-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("out"), errURL = scratch.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus,
            stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }

    /// A `parleyd serve` running in the background on a loopback port of its choosing.
    final class Daemon {
        let process = Process()
        let port: Int
        let stderrURL: URL

        init(database: String, directory: URL, arguments extra: [String] = []) async throws {
            let portFile = directory.appendingPathComponent("port-\(UUID().uuidString)")
            stderrURL = directory.appendingPathComponent("serve-\(UUID().uuidString).log")
            _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
            process.executableURL = BuiltBinaries.directory.appendingPathComponent("parleyd")
            process.arguments = ["serve", "--db", database, "--listen", "127.0.0.1:0", "--port-file", portFile.path] + extra
            process.standardError = try FileHandle(forWritingTo: stderrURL)
            process.standardOutput = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let deadline = ContinuousClock.now + .seconds(20)
            var port: Int?
            while port == nil, process.isRunning, ContinuousClock.now < deadline {
                port = (try? String(contentsOf: portFile, encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
                if port == nil { try await Task.sleep(for: .milliseconds(20)) }
            }
            guard let port else {
                if process.isRunning { process.terminate() }
                throw DaemonFailed(log: (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "")
            }
            self.port = port
        }

        var log: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

        /// Sends `signal` to the daemon (SIGHUP to reload its TLS pair, say).
        func signal(_ signal: Int32) {
            kill(process.processIdentifier, signal)
        }

        /// Sends SIGTERM and waits (bounded) for the exit status.
        func stop() async throws -> Int32 {
            process.terminate()
            let deadline = ContinuousClock.now + .seconds(20)
            while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    struct DaemonFailed: Error, CustomStringConvertible {
        var log: String
        var description: String { "parleyd did not start: \(log)" }
    }
}
