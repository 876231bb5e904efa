import ArgumentParser
import Foundation
import ParleyClient
import ParleyModel
import ParleyProtocol
import ParleyTLS

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

    @Flag(help: "Speak TLS, verifying the server against the system's trust store (env PARLEY_TLS=1).")
    var tls = false

    @Option(help: "Trust this PEM CA file instead of the system's store (implies --tls; env PARLEY_TLS_CA).")
    var tlsCa: String?

    @Option(help: "The name the server's certificate must carry, if not the host of --server (implies --tls; env PARLEY_TLS_SERVER_NAME).")
    var tlsServerName: String?

    @Option(help: "PEM client certificate for servers that require one (with --tls-key; env PARLEY_TLS_CERT).")
    var tlsCert: String?

    @Option(help: "PEM key of --tls-cert (env PARLEY_TLS_KEY).")
    var tlsKey: String?

    @Flag(help: "Send the API key in plaintext to a server that is not on loopback (anyone on the path can read it).")
    var allowPlaintext = false

    /// The names of the options above that take a value.
    static let valueOptions: Set<String> = ["--server", "--api-key", "--output", "--tls-ca", "--tls-server-name", "--tls-cert", "--tls-key"]
    /// The global flags (no value).
    static let flagOptions: Set<String> = ["--tls", "--allow-plaintext"]

    /// `arguments` with the global options that precede the first command word moved to the end.
    static func movingLeadingOptions(in arguments: [String]) -> [String] {
        var leading: [String] = []
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            if valueOptions.contains(word), index + 1 < arguments.count {
                leading += [word, arguments[index + 1]]
                index += 2
            } else if flagOptions.contains(word) {
                leading.append(word)
                index += 1
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
    func connect(requireKey: Bool = true) async throws -> Client {
        try await connectReportingTenant(requireKey: requireKey).client
    }

    /// Connects and says hello; also returns the tenant a tenant-bound key belongs to.
    func connectReportingTenant(requireKey: Bool = true) async throws -> (client: Client, keyTenant: String?) {
        let address = resolvedServer
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) else {
            throw CLIError.usage("--server must be host:port, not \(address)")
        }
        var host = String(address[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if requireKey, resolvedAPIKey == nil {
            throw CLIError.usage("an API key is required: pass --api-key or set PARLEY_API_KEY (it is missing or empty)")
        }
        let tls = try preparedTLS()
        if tls == nil, resolvedAPIKey != nil, !allowPlaintext, !Loopback.contains(host) {
            throw CLIError.usage(
                "\(address) is not on loopback, and without --tls the API key would cross the network in plaintext; "
                    + "pass --tls (or --tls-ca FILE), or --allow-plaintext if the path is private")
        }
        let client: Client
        do {
            client = try await Client.connect(host: host, port: port, tls: tls)
        } catch let error as ParleyClientError {
            throw CLIError.unreachable("cannot connect to \(address): \(error)")
        } catch {
            throw CLIError.unreachable("cannot connect to \(address): \(error)")
        }
        guard let key = resolvedAPIKey else {
            if requireKey { throw CLIError.usage("an API key is required: pass --api-key or set PARLEY_API_KEY") }
            return (client, nil)
        }
        do {
            let hello = try await client.hello(apiKey: key, clientName: "parley-cli/\(Client.version)")
            return (client, hello["key"]?["tenant_id"]?.stringValue)
        } catch {
            await client.close()
            throw error
        }
    }

    /// The TLS options from the flags, else from `PARLEY_TLS_*`; nil for plaintext.
    func tlsOptions(environment: [String: String] = ProcessInfo.processInfo.environment) -> ClientTLS? {
        if tls || tlsCa != nil || tlsServerName != nil || tlsCert != nil || tlsKey != nil {
            let fromEnvironment = ClientTLS.fromEnvironment(environment)
            return ClientTLS(
                trustRoots: tlsCa ?? fromEnvironment?.trustRoots, serverName: tlsServerName ?? fromEnvironment?.serverName,
                certificateChain: tlsCert ?? fromEnvironment?.certificateChain, privateKey: tlsKey ?? fromEnvironment?.privateKey)
        }
        return ClientTLS.fromEnvironment(environment)
    }

    private func preparedTLS() throws -> PreparedClientTLS? {
        guard let options = tlsOptions() else { return nil }
        do {
            return try PreparedClientTLS(options)
        } catch {
            throw CLIError.usage("TLS: \(error)")
        }
    }

    /// Runs `body` with an authenticated client and prints its result.
    func run(requireKey: Bool = true, _ body: (Client) async throws -> JSONValue, print render: (JSONValue) -> String) async throws {
        let (client, keyTenant) = try await connectReportingTenant(requireKey: requireKey)
        let result: JSONValue
        do {
            result = try await CLISession.$keyTenant.withValue(keyTenant) { try await body(client) }
        } catch {
            await client.close()
            throw error
        }
        await client.close()
        switch output {
        case .json: print(JSONWriter.prettyString(result))
        case .table:
            print(render(result))
            // Standard output is buffered when it is not a terminal: flush it, so that warnings
            // (on standard error) follow what they are about when both go to one place.
            fflush(nil)  // (every output stream; naming `stdout` is not concurrency-safe in Swift 6)
            for warning in result["warnings"]?.arrayValue ?? [] {
                printError("warning: \(warning["path"]?.stringValue ?? "?"): \(warning["message"]?.stringValue ?? "")")
            }
        }
    }
}
