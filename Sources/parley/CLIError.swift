import ArgumentParser
import ParleyClient
import ParleyProtocol

/// Failures of the CLI itself, before or around a call.
enum CLIError: Error {
    case usage(String)
    case unreachable(String)
}

/// Prints `error` on stderr as "error: KIND: message" (plus one line per invalid field) and
/// returns the exit status documented in `parley --help`.
func report(_ error: any Error) -> Int32 {
    switch error {
    case let error as RPCError:
        let issues = error.data["errors"]?.arrayValue ?? []
        let headline = issues.isEmpty ? cliWording(error.message) : "\(issues.count) problem\(issues.count == 1 ? "" : "s") in the request:"
        printError("error: \(error.code.kind): \(headline)")
        for issue in issues {
            printError("  \(issue["path"]?.stringValue ?? "?"): \(issue["message"]?.stringValue ?? "")")
        }
        for referrer in error.data["referrers"]?.arrayValue ?? [] {
            let name = referrer["name"]?.stringValue.map { " \"\($0)\"" } ?? ""
            let field = referrer["field"]?.stringValue.map { " (\($0))" } ?? ""
            printError("  used by \(referrer["type"]?.stringValue ?? "?") \(referrer["id"]?.stringValue ?? "?")\(name)\(field)")
        }
        return exitStatus(for: error.code)
    case CLIError.usage(let message):
        printError("error: usage: \(message)")
        return 64
    case CLIError.unreachable(let message):
        printError("error: unreachable: \(message)")
        return 8
    case let error as ParleyClientError:
        printError("error: connection: \(error)")
        return 8
    default:
        printError("error: \(error)")
        return 1
    }
}

func exitStatus(for code: RPCError.Code) -> Int32 {
    switch code {
    case .invalidParams: 2
    case .unauthenticated: 3
    case .forbidden: 4
    case .notFound: 5
    case .conflict: 6
    case .rateLimited, .busy: 7
    default: 1
    }
}

func printError(_ line: String) {
    var stream = StandardErrorStream()
    print(line, to: &stream)
}

struct StandardErrorStream: TextOutputStream {
    mutating func write(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a command body, turning any failure into its message and exit status.
func runReporting(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch {
        throw ExitCode(report(error))
    }
}

/// The server's messages name params (`pass "cascade": true`); on the command line they are flags.
func cliWording(_ message: String) -> String {
    message.replacingOccurrences(of: "pass \"cascade\": true", with: "pass --cascade")
        .replacingOccurrences(of: "\"dry_run\": true", with: "--dry-run")
}
