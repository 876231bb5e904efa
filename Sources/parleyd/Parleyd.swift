import ArgumentParser
import ParleyServer

/// `parleyd`: the Parley server and its database tools.
@main
struct Parleyd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parleyd",
        abstract: "Parley configuration server: length-prefixed JSON-RPC 2.0 over TCP (TLS optional), stored in SQLite or PostgreSQL.",
        version: Server.version,
        subcommands: [Serve.self, Init.self, Backup.self, Restore.self],
        defaultSubcommand: Serve.self
    )
}
