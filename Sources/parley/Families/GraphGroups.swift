import ArgumentParser
import Foundation
import ParleyModel

/// `parley groups graph`: the tenant's routing as a picture (Graphviz DOT or Mermaid).
struct GraphGroups: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Draw the tenant's routing: WhatsApp numbers -> their group -> fallback groups, with business hours.",
        discussion: """
            Prints Graphviz DOT (render with: parley groups graph | dot -Tsvg > routing.svg) or a Mermaid flowchart. \
            Disabled numbers and groups are dashed and grey, groups no number reaches are drawn too. \
            Reads the tenant with one config.export call.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case dot, mermaid }

    @Option(help: "dot (Graphviz, the default) or mermaid (flowchart LR).") var format: Format = .dot
    @OptionGroup var tenant: TenantOption
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await runReporting {
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
            let graph = RoutingGraph(document: document)
            print(format == .dot ? graph.dot : graph.mermaid, terminator: "")
        }
    }
}
