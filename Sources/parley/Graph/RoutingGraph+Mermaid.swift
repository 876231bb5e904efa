extension RoutingGraph {
    /// The graph as a Mermaid `flowchart LR`, for Markdown that renders Mermaid (GitHub does).
    ///
    /// Numbers are rectangles, groups rounded ones, business hours parallelograms; a fallback is a
    /// dotted arrow, business hours a dotted line; disabled numbers and groups are in class
    /// `disabled` (grey, dashed) and say "(disabled)".
    var mermaid: String {
        var lines = ["flowchart LR"]
        for node in nodes {
            let label = Self.mermaidQuoted(label(of: node))
            switch node.kind {
            case .number: lines.append("  \(node.id)[\(label)]")
            case .group: lines.append("  \(node.id)(\(label))")
            case .businessHours: lines.append("  \(node.id)[/\(label)/]")
            }
        }
        for edge in edges {
            switch edge.kind {
            case .routes: lines.append("  \(edge.from) -->|routes to| \(edge.to)")
            case .fallback: lines.append("  \(edge.from) -.->|fallback| \(edge.to)")
            case .hours: lines.append("  \(edge.from) -.-|hours| \(edge.to)")
            }
        }
        let disabled = nodes.filter { !$0.enabled }.map(\.id)
        if !disabled.isEmpty {
            lines.append("  classDef disabled stroke-dasharray: 5 5, color:#808080, stroke:#808080")
            lines.append("  class \(disabled.joined(separator: ",")) disabled")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Label lines as a Mermaid quoted label: `"` and the characters Mermaid or its HTML labels
    /// read specially as entity codes (`#quot;`, `#35;`, ...), lines joined with `<br>`.
    static func mermaidQuoted(_ lines: [String]) -> String {
        let escaped = lines.map { line in
            var text = ""
            for character in line {
                switch character {
                case "#": text += "#35;"
                case "\"": text += "#quot;"
                case "&": text += "#amp;"
                case "<": text += "#lt;"
                case ">": text += "#gt;"
                case "\n", "\r\n", "\r": text += "<br>"
                default: text.append(character)
                }
            }
            return text
        }
        return "\"" + escaped.joined(separator: "<br>") + "\""
    }
}
