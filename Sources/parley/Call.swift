import ArgumentParser
import ParleyModel
import ParleyProtocol

/// `parley call METHOD '{json}'`: any method, params given as a JSON object.
struct Call: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Call any method with JSON params and print the JSON result.")

    @Argument(help: "Method name, e.g. tenants.list.")
    var method: String

    @Argument(help: "Params as a JSON object (default {}).")
    var params: String = "{}"

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await runReporting {
            let parsed: JSONValue
            do {
                parsed = try JSONParser.parse(params)
            } catch {
                throw CLIError.usage("params are not valid JSON: \(error)")
            }
            guard let members = parsed.objectValue else { throw CLIError.usage("params must be a JSON object") }
            let requireKey = !["ping", "server.info"].contains(method)
            try await global.run(requireKey: requireKey) { client in
                try await client.call(method, members)
            } print: { result in
                JSONWriter.prettyString(result)
            }
        }
    }
}
