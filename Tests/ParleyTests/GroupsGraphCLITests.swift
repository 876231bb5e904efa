import Foundation
import ParleyModel
import ParleyProtocol
import Testing

/// `parley groups graph` against a real `parleyd`: the exact DOT and Mermaid text of a small tenant.
@Suite(.serialized) struct GroupsGraphCLITests {
    /// A tenant with a fallback chain, business hours, a disabled number, and a disabled group that
    /// no number reaches, whose name needs escaping (quotes, a backslash); "Kancelář" is Unicode.
    @Test func graphOfASmallTenant() async throws {
        let cli = try await CLIServer.start("parley-graph")
        defer { cli.removeFolder() }
        func id(_ output: BuiltBinaries.Output) throws -> String {
            #expect(output.status == 0, "\(output.stderr)")
            return try #require(try JSONParser.parse(output.stdout)["id"]?.stringValue)
        }

        cli.environment["PARLEY_TENANT"] = try id(try await cli.parley("tenants", "create", "--slug", "graph", "--name", "Graph", "--output", "json"))
        let empty = try await cli.parley("groups", "graph", "--format", "mermaid")
        #expect(empty.status == 0 && empty.stdout == "flowchart LR\n", "\(empty.stdout)\(empty.stderr)")

        let hours = try id(
            try await cli.parley(
                "business-hours", "create", "--set", "name=Kancelář", "--set", "timezone=Europe/Prague",
                "--set", #"week={"mon":[{"open":"09:00","close":"17:00"}]}"#, "--output", "json"))
        let sales = try id(try await cli.parley("groups", "create", "--set", "name=Sales", "--set", "business_hours_id=\(hours)", "--output", "json"))
        let support = try id(try await cli.parley("groups", "create", "--set", "name=Podpora", "--set", "fallback_group_id=\(sales)", "--output", "json"))
        _ = try id(
            try await cli.parley(
                "groups", "create", "--set", #"name=Night "B\2""#, "--set", "enabled=false", "--set", "fallback_group_id=\(support)", "--output", "json"))
        _ = try id(
            try await cli.parley(
                "whatsapp-numbers", "create", "--set", "name=Old line", "--set", "phone_number=+420601111002", "--set", "waba_id=104996122399162",
                "--set", "routing_group_id=\(sales)", "--set", "enabled=false", "--output", "json"))
        _ = try id(
            try await cli.parley(
                "whatsapp-numbers", "create", "--set", "name=Main line", "--set", "phone_number=+420601111001", "--set", "waba_id=104996122399162",
                "--set", "routing_group_id=\(support)", "--set", "business_hours_id=\(hours)", "--output", "json"))

        let dot = try await cli.parley("groups", "graph")
        #expect(dot.status == 0, "\(dot.stderr)")
        #expect(
            dot.stdout == #"""
                digraph routing {
                  rankdir=LR;
                  node [fontname="Helvetica", fontsize=11];
                  edge [fontname="Helvetica", fontsize=9];
                  n1 [label="Main line\n+420601111001", shape=box];
                  n2 [label="Old line\n+420601111002\n(disabled)", shape=box, style="dashed", color=gray50, fontcolor=gray50];
                  g1 [label="Night \"B\\2\"\n(disabled)", shape=box, style="rounded,dashed", color=gray50, fontcolor=gray50];
                  g2 [label="Podpora", shape=box, style="rounded"];
                  g3 [label="Sales", shape=box, style="rounded"];
                  h1 [label="Kancelář\nEurope/Prague", shape=note];
                  n1 -> g2 [label="routes to"];
                  n2 -> g3 [label="routes to"];
                  g1 -> g2 [label="fallback", style=dashed];
                  g2 -> g3 [label="fallback", style=dashed];
                  g3 -> h1 [label="hours", style=dotted, arrowhead=none];
                  n1 -> h1 [label="hours", style=dotted, arrowhead=none];
                }

                """#, "\(dot.stdout)")

        let mermaid = try await cli.parley("groups", "graph", "--format", "mermaid", "--tenant", "graph")
        #expect(mermaid.status == 0, "\(mermaid.stderr)")
        #expect(
            mermaid.stdout == #"""
                flowchart LR
                  n1["Main line<br>+420601111001"]
                  n2["Old line<br>+420601111002<br>(disabled)"]
                  g1("Night #quot;B\2#quot;<br>(disabled)")
                  g2("Podpora")
                  g3("Sales")
                  h1[/"Kancelář<br>Europe/Prague"/]
                  n1 -->|routes to| g2
                  n2 -->|routes to| g3
                  g1 -.->|fallback| g2
                  g2 -.->|fallback| g3
                  g3 -.-|hours| h1
                  n1 -.-|hours| h1
                  classDef disabled stroke-dasharray: 5 5, color:#808080, stroke:#808080
                  class n2,g1 disabled

                """#, "\(mermaid.stdout)")
        #expect(try await cli.parley("groups", "graph", "--format", "svg").status == 64)
        #expect(try await cli.stop() == 0)
    }
}
