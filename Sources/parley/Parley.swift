import ArgumentParser
import ParleyClient

/// `parley`: the command-line client for a Parley server.
@main
struct Parley: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parley",
        abstract: "Command-line client for a Parley configuration server.",
        discussion: """
            Connection settings come from --server / PARLEY_SERVER (default 127.0.0.1:7411) and \
            --api-key / PARLEY_API_KEY. Output is a table for people (--output table, the default) \
            or JSON for scripts (--output json).

            Exit status: 0 on success, 2 invalid params, 3 unauthenticated, 4 forbidden, 5 not found, \
            6 conflict, 7 rate limited or busy, 8 cannot reach the server, 1 any other error; \
            usage errors exit with 64.
            """,
        version: Client.version,
        subcommands: [
            Ping.self, TenantsCommand.self, ResourceCommand<GroupsFamily>.self, ResourceCommand<WhatsAppNumbersFamily>.self,
            ResourceCommand<TemplatesFamily>.self, ResourceCommand<HeroCardsFamily>.self, ResourceCommand<TagsFamily>.self,
            ResourceCommand<BlockedFileTypesFamily>.self, ResourceCommand<FilePoliciesFamily>.self, ResourceCommand<BusinessHoursFamily>.self,
            FilesCommand.self, ExportCommand.self, ApplyCommand.self, WatchCommand.self, KeysCommand.self, AuditCommand.self, Call.self,
        ]
    )

    /// `parley` alone is a usage error: the help, then exit status 64.
    func run() async throws {
        printError(Parley.helpMessage())
        throw ExitCode(64)
    }

    /// Lets the global options stand before the command too (`parley --server H:P tenants list`):
    /// they are moved behind it, where every command declares them.
    static func main() async {
        await main(GlobalOptions.movingLeadingOptions(in: Array(CommandLine.arguments.dropFirst())))
    }
}
