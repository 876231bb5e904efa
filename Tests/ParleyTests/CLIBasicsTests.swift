import Foundation
import ParleyModel
import Testing

/// The first things a new user types (issue 16): versions, `parley` alone, shell completion, help
/// texts, through the built binaries.
@Suite struct CLIBasicsTests {
    /// The list help names exactly the filters the server accepts (it named `enabled` for groups,
    /// which the server refuses, and left out `routing_mode`).
    @Test func listHelpNamesTheServersFilters() async throws {
        for kind in ResourceKind.all {
            let command = kind.family.replacingOccurrences(of: "_", with: "-")
            let help = try await BuiltBinaries.run("parley", [command, "list", "--help"])
            let text = help.stdout.replacingOccurrences(of: "\n", with: " ")
            for filter in kind.listFilters { #expect(text.contains(filter.param), "\(command): \(filter.param)") }
            #expect(kind.listFilters.isEmpty == !text.contains("Filters:"), "\(command)")
        }
        let groups = try await BuiltBinaries.run("parley", ["groups", "list", "--help"])
        #expect(!groups.stdout.contains("enabled"))
    }

    @Test func bothBinariesPrintTheirVersion() async throws {
        let parley = try await BuiltBinaries.run("parley", ["--version"])
        #expect(parley.status == 0 && parley.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0", "\(parley)")
        let parleyd = try await BuiltBinaries.run("parleyd", ["--version"])
        #expect(parleyd.status == 0 && parleyd.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0", "\(parleyd)")
    }

    @Test func parleyAloneShowsTheHelpAndExits64() async throws {
        let bare = try await BuiltBinaries.run("parley", [])
        #expect(bare.status == 64)
        #expect(bare.stderr.contains("USAGE: parley") && bare.stderr.contains("tenants"), "\(bare.stderr)")
    }

    @Test func completionScriptsAreGeneratedForBashZshAndFish() async throws {
        for shell in ["bash", "zsh", "fish"] {
            let script = try await BuiltBinaries.run("parley", ["--generate-completion-script", shell])
            #expect(script.status == 0, "\(shell): \(script.stderr)")
            #expect(script.stdout.contains("tenants") && script.stdout.contains("whatsapp-numbers"), "\(shell)")
        }
    }

    @Test func helpTextsUseTheRightArticle() async throws {
        let groups = try await BuiltBinaries.run("parley", ["groups", "create", "--help"])
        #expect(groups.stdout.contains("Create an operator group"), "\(groups.stdout.prefix(200))")
        let numbers = try await BuiltBinaries.run("parley", ["whatsapp-numbers", "delete", "--help"])
        #expect(numbers.stdout.contains("Delete a WhatsApp number"), "\(numbers.stdout.prefix(200))")
    }
}
