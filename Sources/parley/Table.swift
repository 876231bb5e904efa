import ParleyModel
import ParleyProtocol

/// Renders JSON results as aligned text tables for people.
enum Table {
    /// Rows of `items` under `columns` (header, member name).
    static func list(_ items: [JSONValue], columns: [(String, String)]) -> String {
        let rows = items.map { item in columns.map { cell(item[$0.1]) } }
        return render(header: columns.map(\.0), rows: rows)
    }

    /// One object as FIELD / VALUE lines.
    static func object(_ value: JSONValue) -> String {
        guard let members = value.objectValue else { return cell(value) }
        let shown = members.keys.sorted().filter { $0 != "warnings" }
        return render(header: ["FIELD", "VALUE"], rows: shown.map { [$0, cell(members[$0])] })
    }

    /// A value as one table cell: strings bare, null (or absent) as "-", an empty list as "[]" (so
    /// that "none" and "not set" look different), structures as compact JSON.
    static func cell(_ value: JSONValue?) -> String {
        switch value {
        case nil, .null?: "-"
        case .string(let text)?: text
        case .array(let elements)? where elements.isEmpty: "[]"
        case .array(let elements)? where elements.allSatisfy({ $0.stringValue != nil }):
            elements.compactMap(\.stringValue).joined(separator: ",")
        case let other?: JSONWriter.string(other)
        }
    }

    private static func render(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { column, text in
                column == row.count - 1 ? text : text.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}

extension Table {
    /// The object a create or update returned; a dry run says so under it, since its id, revision
    /// and timestamps look like a stored object's.
    static func written(_ value: JSONValue, dryRun: Bool) -> String {
        object(value) + (dryRun ? "\n(dry run: nothing was stored; the id, revision and timestamps show what a real call would produce)" : "")
    }
}
