import ArgumentParser
import Foundation
import ParleyClient
import ParleyModel
import ParleyProtocol

/// How results are printed.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(help: "Server address host:port (env PARLEY_SERVER; default 127.0.0.1:7411).")
    var server: String?

    @Option(help: "API key (env PARLEY_API_KEY). Prefer the environment: arguments are visible to other users.")
    var apiKey: String?

    @Option(help: "Output format: table or json.")
    var output: OutputFormat = .table

    /// The names of the options above that take a value.
    static let valueOptions: Set<String> = ["--server", "--api-key", "--output"]

    /// `arguments` with the global options that precede the first command word moved to the end.
    static func movingLeadingOptions(in arguments: [String]) -> [String] {
        var leading: [String] = []
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            if valueOptions.contains(word), index + 1 < arguments.count {
                leading += [word, arguments[index + 1]]
                index += 2
            } else if let name = word.split(separator: "=", maxSplits: 1).first, word.contains("="), valueOptions.contains(String(name)) {
                leading.append(word)
                index += 1
            } else {
                break
            }
        }
        return Array(arguments[index...]) + leading
    }

    var resolvedServer: String {
        server ?? ProcessInfo.processInfo.environment["PARLEY_SERVER"] ?? "127.0.0.1:7411"
    }

    /// The key to authenticate with; an empty one counts as none.
    var resolvedAPIKey: String? {
        (apiKey ?? ProcessInfo.processInfo.environment["PARLEY_API_KEY"]).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Connects and, when a key is known (or `requireKey`), authenticates.
    func connect(requireKey: Bool = true) async throws -> ParleyClient {
        let address = resolvedServer
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) else {
            throw CLIError.usage("--server must be host:port, not \(address)")
        }
        let host = String(address[..<colon])
        if requireKey, resolvedAPIKey == nil {
            throw CLIError.usage("an API key is required: pass --api-key or set PARLEY_API_KEY (it is missing or empty)")
        }
        let client: ParleyClient
        do {
            client = try await ParleyClient.connect(host: host, port: port)
        } catch {
            throw CLIError.unreachable("cannot connect to \(address): \(error)")
        }
        guard let key = resolvedAPIKey else {
            if requireKey { throw CLIError.usage("an API key is required: pass --api-key or set PARLEY_API_KEY") }
            return client
        }
        do {
            try await client.hello(apiKey: key, clientName: "parley-cli/\(ParleyClient.version)")
        } catch {
            await client.close()
            throw error
        }
        return client
    }

    /// Runs `body` with an authenticated client and prints its result.
    func run(requireKey: Bool = true, _ body: (ParleyClient) async throws -> JSONValue, print render: (JSONValue) -> String) async throws {
        let client = try await connect(requireKey: requireKey)
        let result: JSONValue
        do {
            result = try await body(client)
        } catch {
            await client.close()
            throw error
        }
        await client.close()
        switch output {
        case .json: print(JSONWriter.prettyString(result))
        case .table:
            print(render(result))
            for warning in result["warnings"]?.arrayValue ?? [] {
                printError("warning: \(warning["path"]?.stringValue ?? "?"): \(warning["message"]?.stringValue ?? "")")
            }
        }
    }
}
