import ArgumentParser
import Foundation
import ParleyModel
import ParleyProtocol

/// `parley apply -f FILE`: make a tenant's configuration what a document says, showing the plan.
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply a configuration document (from parley export) to a tenant, in one transaction, and print the plan.",
        discussion: "Use --dry-run to review the plan first. Without --prune, objects missing from the document are left alone.")

    @OptionGroup var tenant: TenantOption
    @Option(name: [.customShort("f"), .long], help: "The document (JSON or YAML; '-' reads standard input).") var file: String
    @Flag(help: "Show the plan without changing anything.") var dryRun = false
    @Flag(help: "Delete objects of the document's families that the document does not hold.") var prune = false
    @Option(help: "Fail with a conflict unless the store is at this revision.") var expectedRevision: Int64?
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await runReporting {
            guard case .object(let document) = try FieldInput.load(file) else { throw CLIError.usage("\(file) must hold a document object") }
            try await global.run { client in
                var params: [String: JSONValue] = [
                    "tenant_id": .string(try await tenant.resolved(client: client)), "document": .object(document),
                ]
                if dryRun { params["dry_run"] = true }
                if prune { params["prune"] = true }
                if let expectedRevision { params["expected_revision"] = .int(expectedRevision) }
                return try await client.call("config.apply", params)
            } print: { plan in
                PlanPrinter(colour: PlanPrinter.wantsColour).render(plan, dryRun: dryRun)
            }
        }
    }
}

/// Prints a plan like `terraform plan`: `+` create, `~` update with the changed fields, `-` delete.
struct PlanPrinter {
    var colour: Bool

    /// Colour on a terminal only, and never with NO_COLOR set.
    static var wantsColour: Bool { isatty(1) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil }

    func render(_ plan: JSONValue, dryRun: Bool) -> String {
        var lines: [String] = []
        let creates = plan["create"]?.arrayValue ?? [], updates = plan["update"]?.arrayValue ?? []
        let deletes = plan["delete"]?.arrayValue ?? []
        for item in creates { lines.append(paint("+ \(label(item))", 32)) }
        for item in updates {
            lines.append(paint("~ \(label(item))", 33))
            let changes = item["changes"]?.objectValue ?? [:]
            for field in changes.keys.sorted() {
                let pair = changes[field]?.arrayValue ?? []
                lines.append("    \(field): \(text(pair.first)) -> \(text(pair.last))")
            }
        }
        for item in deletes { lines.append(paint("- \(label(item))", 31)) }
        let counts = "\(creates.count) to create, \(updates.count) to update, \(deletes.count) to delete"
        let revision = text(plan["revision"])
        if creates.isEmpty, updates.isEmpty, deletes.isEmpty {
            lines.append("No changes: the tenant already matches the document (revision \(revision)).")
        } else {
            lines.append(dryRun ? "Plan: \(counts). (dry run: nothing was changed)" : "Applied: \(counts), at revision \(revision).")
        }
        return lines.joined(separator: "\n")
    }

    private func label(_ item: JSONValue) -> String {
        let family = item["family"]?.stringValue ?? "?"
        guard let key = item["key"], !key.isNull else { return family }
        return "\(family) \(ConfigDocument.describe(key))"
    }

    private func text(_ value: JSONValue?) -> String {
        guard let value else { return "null" }
        return value.stringValue ?? JSONWriter.string(value)
    }

    private func paint(_ line: String, _ code: Int) -> String { colour ? "\u{1B}[\(code)m\(line)\u{1B}[0m" : line }
}
