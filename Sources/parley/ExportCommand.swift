import ArgumentParser
import Foundation
import ParleyModel
import ParleyProtocol

/// `parley export`: a tenant's configuration as one document, for git.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Print a tenant's configuration as one document (YAML or JSON), ready for git.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case yaml, json }

    @OptionGroup var tenant: TenantOption
    @Option(help: "yaml or json (default: json with the global --output json, else yaml).") var format: Format?
    @Option(help: "Write to this file instead of standard output.") var out: String?
    @OptionGroup var global: GlobalOptions

    /// The global `--output json` asks for JSON here too (one option for every command's output);
    /// `--format` says it directly. Both, disagreeing, is a usage error.
    func chosenFormat() throws -> Format {
        switch (format, global.output) {
        case (nil, .json): return .json
        case (nil, .table): return .yaml
        case (.yaml?, .json): throw ValidationError("--format yaml and --output json disagree: pass one of them")
        case (let chosen?, _): return chosen
        }
    }

    func validate() throws { _ = try chosenFormat() }

    func run() async throws {
        try await runReporting {
            let format = try chosenFormat()
            let (client, keyTenant) = try await global.connectReportingTenant()
            let document: JSONValue
            do {
                let id = try await CLISession.$keyTenant.withValue(keyTenant) { try await tenant.resolved(client: client) }
                document = try await client.call("config.export", ["tenant_id": .string(id)])
            } catch {
                await client.close()
                throw error
            }
            await client.close()
            let text = format == .json ? JSONWriter.prettyString(document) + "\n" : try YAMLDocument.text(of: document)
            if let out {
                try Data(text.utf8).write(to: URL(fileURLWithPath: out))
            } else {
                print(text, terminator: "")
            }
        }
    }
}
