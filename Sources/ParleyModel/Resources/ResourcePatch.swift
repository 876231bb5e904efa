/// The merge rule of every `<family>.update`: the members given replace the stored ones
/// (nested objects and arrays are replaced whole), `null` resets a member to its default, and
/// the merged document is validated again as a whole.
public enum ResourcePatch {
    /// `fields` with `changes` applied.
    public static func merge(_ fields: [String: JSONValue], _ changes: [String: JSONValue]) -> [String: JSONValue] {
        var merged = fields
        for (name, value) in changes {
            if value.isNull { merged.removeValue(forKey: name) } else { merged[name] = value }
        }
        return merged
    }

    /// Validates `changes` on top of `current`: problems are reported against the names the caller used.
    public static func apply<Content: ResourceContent>(
        _ changes: [String: JSONValue], to current: [String: JSONValue], as type: Content.Type
    ) -> (content: Content?, reader: ParamReader) {
        var reader = ParamReader(merge(current, changes))
        let content = Content.read(from: &reader)
        // A reset (null) of a member that does not exist is a typo, not a no-op.
        for (name, value) in changes.sorted(by: { $0.key < $1.key }) where value.isNull && !reader.isKnown(name) {
            reader.report(name, "is not a known parameter")
        }
        return (content, reader)
    }
}
