import Foundation
import PackagePlugin

/// Embeds protocol/openrpc.json, the only copy of the OpenRPC document, into the target it is
/// applied to (ParleyServer) at build time: `EmbedOpenRPC` writes `OpenRPCDocument.text` into the
/// plugin's work directory. The JSON is the command's input, so editing it rebuilds the server.
@main
struct OpenRPCEmbedding: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let document = context.package.directoryURL.appending(path: "protocol").appending(path: "openrpc.json")
        let source = context.pluginWorkDirectoryURL.appending(path: "OpenRPCDocument+Text.swift")
        return [
            .buildCommand(
                displayName: "Embedding protocol/openrpc.json in \(target.name)",
                executable: try context.tool(named: "EmbedOpenRPC").url,
                arguments: [document.path(percentEncoded: false), source.path(percentEncoded: false)],
                inputFiles: [document],
                outputFiles: [source])
        ]
    }
}
