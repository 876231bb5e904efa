import ParleyClient
import ParleyModel

extension Client {
    /// Calls a `*.list` method: one page when `limit` is given, else every page.
    func collectPages(_ method: String, _ params: [String: JSONValue], limit: Int?, cursor: String?) async throws -> JSONValue {
        var items: [JSONValue] = []
        var next = cursor
        repeat {
            var pageParams = params
            pageParams["limit"] = .int(Int64(limit ?? 1000))
            if let next { pageParams["cursor"] = .string(next) }
            let page = try await call(method, pageParams)
            items += page["items"]?.arrayValue ?? []
            next = page["next_cursor"]?.stringValue
            if limit != nil { return ["items": .array(items), "next_cursor": .optional(next)] }
        } while next != nil
        return ["items": .array(items), "next_cursor": nil]
    }
}
