extension RoutingGraph {
    /// The graph in Graphviz's DOT language, for `dot -Tsvg`.
    ///
    /// Numbers are boxes, groups rounded boxes, business hours notes; a fallback is a dashed edge,
    /// business hours a dotted one; disabled numbers and groups are grey, dashed and say
    /// "(disabled)".
    var dot: String {
        var lines = [
            "digraph routing {",
            "  rankdir=LR;",
            #"  node [fontname="Helvetica", fontsize=11];"#,
            #"  edge [fontname="Helvetica", fontsize=9];"#,
        ]
        for node in nodes {
            var attributes = ["label=" + Self.dotQuoted(label(of: node).joined(separator: "\n"))]
            let styles = (node.kind == .group ? ["rounded"] : []) + (node.enabled ? [] : ["dashed"])
            attributes.append(node.kind == .businessHours ? "shape=note" : "shape=box")
            if !styles.isEmpty { attributes.append("style=\"\(styles.joined(separator: ","))\"") }
            if !node.enabled { attributes += ["color=gray50", "fontcolor=gray50"] }
            lines.append("  \(node.id) [\(attributes.joined(separator: ", "))];")
        }
        for edge in edges {
            let attributes =
                switch edge.kind {
                case .routes: #"label="routes to""#
                case .fallback: #"label="fallback", style=dashed"#
                case .hours: #"label="hours", style=dotted, arrowhead=none"#
                }
            lines.append("  \(edge.from) -> \(edge.to) [\(attributes)];")
        }
        return (lines + ["}"]).joined(separator: "\n") + "\n"
    }

    /// The label lines of a node, "(disabled)" added to a disabled one.
    func label(of node: Node) -> [String] {
        node.enabled ? node.lines : node.lines + ["(disabled)"]
    }

    /// `text` as a DOT double-quoted string: backslashes and quotes escaped, a line break as `\n`
    /// (a centred line in a label); other characters, Unicode included, as they are (DOT is UTF-8).
    static func dotQuoted(_ text: String) -> String {
        var quoted = "\""
        for character in text {
            switch character {
            case "\\": quoted += "\\\\"
            case "\"": quoted += "\\\""
            case "\n", "\r\n": quoted += "\\n"
            case "\r": quoted += "\\n"
            default: quoted.append(character)
            }
        }
        return quoted + "\""
    }
}
