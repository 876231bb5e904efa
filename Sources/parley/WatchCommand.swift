import ArgumentParser
import Foundation
import ParleyModel
import ParleyProtocol

/// `parley watch`: print configuration changes as they happen.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch", abstract: "Print configuration changes as they happen, one line each (Ctrl-C to stop).")

    @Option(help: "Only this tenant (id or slug; env PARLEY_TENANT; a tenant key watches its own tenant anyway).")
    var tenant: String?
    @Option(help: "Only these families, comma-separated (tenants, groups, whatsapp_numbers, ...).") var families: String?
    @Option(help: "Resume after this revision (replays the history since).") var fromRevision: Int64?
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await runReporting {
            let client = try await global.connect()
            var params: [String: JSONValue] = [:]
            if let tenant = tenant ?? ProcessInfo.processInfo.environment["PARLEY_TENANT"].flatMap({ $0.isEmpty ? nil : $0 }) {
                params["tenant_id"] = .string(try await TenantReference.resolve(tenant, client: client))
            }
            if let families { params["families"] = .array(families.split(separator: ",").map { .string(String($0)) }) }
            if let fromRevision { params["from_revision"] = .int(fromRevision) }
            let subscribed = try await client.call("watch.subscribe", params)
            printError("watching from revision \(Table.cell(subscribed["revision"])) (Ctrl-C to stop)")
            for await notification in client.notifications {
                let event = notification.params
                switch (notification.method, global.output) {
                case ("watch.event", .json):
                    print(JSONWriter.string(event))
                case ("watch.event", .table):
                    print(
                        "\(Table.cell(event["revision"]))  \(Table.cell(event["type"]))  \(Table.cell(event["family"]))  "
                            + "\(Table.cell(event["id"]))  \(Table.cell(event["object"]?["name"] ?? event["object"]?["extension"]))")
                case ("watch.closed", _):
                    printError("the server ended the watch: \(Table.cell(event["reason"]))")
                default:
                    continue
                }
                fflush(nil)  // flush stdout: lines appear as events arrive, also through a pipe
            }
            // The server says why it closed, when it did (a revoked or expired key): report that.
            let reason = await client.closingError
            await client.close()
            if let reason { throw reason }
            throw CLIError.unreachable("the connection closed")
        }
    }
}
