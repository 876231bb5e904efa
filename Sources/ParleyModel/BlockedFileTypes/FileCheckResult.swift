/// The answer of `files.check`: whether a file may pass, and which blocked types it matched.
public struct FileCheckResult: Sendable, Hashable {
    /// What a rule matched on.
    public enum MatchedOn: String, Sendable, Hashable {
        case fileExtension = "extension"
        case mimeType = "mime_type"
    }

    /// One blocked type the file matched.
    public struct Match: Sendable, Hashable {
        /// The position of the rule in the `rules` given to ``FileNameCheck/check(fileName:mimeType:direction:rules:)``.
        public var ruleIndex: Int
        public var rule: BlockedFileType
        /// `extension` when one of the name's extensions matched (preferred), else `mime_type`.
        public var matchedOn: MatchedOn
        /// A sentence for people: `extension .exe is blocked: Windows program: runs when opened`.
        public var reason: String

        public init(ruleIndex: Int, rule: BlockedFileType, matchedOn: MatchedOn, reason: String) {
            self.ruleIndex = ruleIndex
            self.rule = rule
            self.matchedOn = matchedOn
            self.reason = reason
        }
    }

    /// The matched rules, in the order they were given.
    public var matched: [Match]

    public init(matched: [Match]) {
        self.matched = matched
    }

    /// Whether the file may pass: no rule matched.
    public var allowed: Bool { matched.isEmpty }

    /// One sentence per matched rule.
    public var reasons: [String] { matched.map(\.reason) }

    /// `{"allowed", "matched": [{"extension", "mime_type", "reason", "applies_to", "matched_on"}], "reasons"}`.
    public var json: JSONValue { json(ids: nil) }

    /// The wire form; when `ids` is given (the ids of the rules checked, in the same order), each
    /// match also carries its `id`.
    public func json(ids: [String]?) -> JSONValue {
        let matches: [JSONValue] = matched.map { match in
            var members = match.rule.fields
            members["matched_on"] = .string(match.matchedOn.rawValue)
            if let ids, ids.indices.contains(match.ruleIndex) {
                members["id"] = .string(ids[match.ruleIndex])
            }
            return .object(members)
        }
        return [
            "allowed": .bool(allowed),
            "matched": .array(matches),
            "reasons": .array(reasons.map(JSONValue.string)),
        ]
    }
}
