import Foundation
import ParleyModel
import ParleyProtocol

/// A tenant's routing as nodes and edges: WhatsApp numbers route to their group, groups fall back
/// to their fallback group, and both may follow business hours.
///
/// Built from a `config.export` document, where references are natural keys (a group's name, a
/// number's phone number, business hours' name). Everything is sorted, and node ids are given in
/// that order (`n1`, `g1`, `h1`), so the same configuration always draws the same text.
struct RoutingGraph: Equatable {
    enum Kind: Equatable { case number, group, businessHours }

    struct Node: Equatable {
        var id: String
        var kind: Kind
        /// The lines of the label, as text (escaping is the renderer's).
        var lines: [String]
        var enabled: Bool
    }

    enum EdgeKind: Equatable { case routes, fallback, hours }

    struct Edge: Equatable {
        var from: String
        var to: String
        var kind: EdgeKind
    }

    var nodes: [Node] = []
    var edges: [Edge] = []

    /// The graph of an exported configuration document.
    init(document: JSONValue) {
        let hours = Self.items(document, "business_hours", key: "name")
        let groups = Self.items(document, "groups", key: "name")
        let numbers = Self.items(document, "whatsapp_numbers", key: "phone_number")
        // Ids in sorted order; nodes drawn numbers first, then groups, then business hours.
        let hoursIds = Self.ids(hours, key: "name", prefix: "h"), groupIds = Self.ids(groups, key: "name", prefix: "g")
        for (index, item) in numbers.enumerated() {
            let enabled = item["enabled"]?.boolValue ?? true
            nodes.append(Node(id: "n\(index + 1)", kind: .number, lines: Self.lines(item["name"], item["phone_number"]), enabled: enabled))
        }
        for (index, item) in groups.enumerated() {
            nodes.append(Node(id: "g\(index + 1)", kind: .group, lines: Self.lines(item["name"]), enabled: item["enabled"]?.boolValue ?? true))
        }
        for (index, item) in hours.enumerated() {
            nodes.append(Node(id: "h\(index + 1)", kind: .businessHours, lines: Self.lines(item["name"], item["timezone"]), enabled: true))
        }
        for (index, item) in numbers.enumerated() {
            if let group = groupIds[Self.key(item["routing_group"])] { edges.append(Edge(from: "n\(index + 1)", to: group, kind: .routes)) }
        }
        for (index, item) in groups.enumerated() {
            if let fallback = groupIds[Self.key(item["fallback_group"])] { edges.append(Edge(from: "g\(index + 1)", to: fallback, kind: .fallback)) }
        }
        let annotated = groups.enumerated().map { ("g\($0.offset + 1)", $0.element) } + numbers.enumerated().map { ("n\($0.offset + 1)", $0.element) }
        for (id, item) in annotated {
            if let target = hoursIds[Self.key(item["business_hours"])] { edges.append(Edge(from: id, to: target, kind: .hours)) }
        }
    }

    /// Node ids by natural key: `prefix` and the 1-based position.
    private static func ids(_ items: [JSONValue], key: String, prefix: String) -> [String: String] {
        var ids: [String: String] = [:]
        for (index, item) in items.enumerated() where ids[Self.key(item[key])] == nil { ids[Self.key(item[key])] = "\(prefix)\(index + 1)" }
        return ids
    }

    /// The nodes of one kind, in order.
    func nodes(_ kind: Kind) -> [Node] { nodes.filter { $0.kind == kind } }

    /// The items of a family, sorted by their natural key (then by their whole text, for ties).
    private static func items(_ document: JSONValue, _ family: String, key: String) -> [JSONValue] {
        (document[family]?.arrayValue ?? []).sorted {
            let (left, right) = (Self.key($0[key]), Self.key($1[key]))
            return left != right ? left < right : JSONWriter.string($0) < JSONWriter.string($1)
        }
    }

    /// How documents match a name: trimmed and ignoring case, as the server does.
    private static func key(_ value: JSONValue?) -> String {
        (value?.stringValue ?? "").trimmingCharacters(in: .whitespaces).lowercased()
    }

    private static func lines(_ values: JSONValue?...) -> [String] {
        values.compactMap { $0?.stringValue }.filter { !$0.isEmpty }
    }
}
