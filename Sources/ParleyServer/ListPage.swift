import Foundation
import ParleyModel
import ParleyProtocol

/// Cursor pagination shared by every `*.list` method: `limit` (1-1000, default 100) and an
/// opaque `cursor` from the previous page's `next_cursor`.
struct ListPage {
    static let defaultLimit = 100
    static let maximumLimit = 1000

    var limit: Int
    /// The id after which the page starts; nil for the first page.
    var afterID: String?

    /// Reads `limit` and `cursor`, reporting problems into `reader`.
    init(reading reader: inout ParamReader, idPrefix: String) {
        self.init(reading: &reader) { Identifier.isWellFormed($0, prefix: idPrefix) }
    }

    /// Reads `limit` and `cursor`; `accepts` tells whether a decoded id has the shape of this list's ids.
    init(reading reader: inout ParamReader, accepts: (String) -> Bool) {
        limit = Int(reader.integer("limit", in: 1...Int64(Self.maximumLimit)) ?? Int64(Self.defaultLimit))
        if let cursor = reader.string("cursor") {
            afterID = Self.decode(cursor).flatMap { accepts($0) ? $0 : nil }
            if afterID == nil { reader.report("cursor", "is not a cursor returned by this list") }
        }
    }

    /// `{"items": [...], "next_cursor": string|null}` from up to `limit + 1` fetched rows.
    func result<Item>(_ fetched: [Item], id: (Item) -> String, json: (Item) -> JSONValue) -> JSONValue {
        let items = Array(fetched.prefix(limit))
        let next: JSONValue = fetched.count > limit ? .string(Self.encode(afterID: id(items[items.count - 1]))) : .null
        return ["items": .array(items.map(json)), "next_cursor": next]
    }

    static func encode(afterID: String) -> String {
        Data(("after:" + afterID).utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ cursor: String) -> String? {
        guard cursor.utf8.count <= 128 else { return nil }
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.utf8.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8),
            text.hasPrefix("after:")
        else { return nil }
        return String(text.dropFirst("after:".count))
    }
}
