import ArgumentParser
import ParleyModel

/// `parley files check NAME`.
struct FilesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "files", abstract: "Check files against a tenant's file policy and file-type list.", subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Say whether a file may be sent; exits 0 either way (read 'allowed' or the JSON output).")
        @Argument(help: "The file name, e.g. invoice.pdf.exe.") var fileName: String
        @Option(help: "The file's MIME type, if known.") var mimeType: String?
        @Option(help: "OPERATOR_UPLOAD, CLIENT_UPLOAD or EMAIL_ATTACHMENT (default: any).") var direction: String?
        @Option(help: "The file's size in bytes (checked against the policy's and, on WHATSAPP, Meta's limits).") var sizeBytes: Int64?
        @Option(help: "WEB_CHAT, WHATSAPP or EMAIL: that channel's file policy governs (default: the ALL policy).") var channel: String?
        @Flag(help: "A WebP sticker that is animated (WhatsApp takes 500 KB instead of 100 KB).") var animated = false
        @OptionGroup var tenant: TenantOption
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await runReporting {
                var params: [String: JSONValue] = ["file_name": .string(fileName)]
                if let mimeType { params["mime_type"] = .string(mimeType) }
                if let direction { params["direction"] = .string(direction) }
                if let sizeBytes { params["size_bytes"] = .int(sizeBytes) }
                if let channel { params["channel"] = .string(channel) }
                if animated { params["animated"] = true }
                try await global.run { client in
                    try await client.call("files.check", try await tenant.adding(to: params, client: client))
                } print: { result in
                    let allowed = result["allowed"]?.boolValue == true
                    let reasons = (result["reasons"]?.arrayValue ?? []).compactMap(\.stringValue).map { "  " + $0 }
                    let rule = result["decided_by"]?["rule"]?.stringValue.map { " (\($0))" } ?? ""
                    return ([(allowed ? "allowed" : "blocked") + rule] + reasons).joined(separator: "\n")
                }
            }
        }
    }
}
