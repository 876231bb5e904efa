/// `files.check` under a tenant's file policy: the rules, in the order they decide.
///
/// 1. The file-type list: under `BLOCK`, a matching entry refuses the file; under `ALLOW`, every
///    extension of the name must be on the list (a name without one is refused), so that
///    `invoice.pdf.exe` does not pass on the strength of `pdf`.
/// 2. The policy's `max_file_bytes`, when the size is given.
/// 3. On the `WHATSAPP` channel, Meta's media: the file's type (its last extension) must be one
///    WhatsApp sends, and the size within that kind's limit (``WhatsAppMedia``).
///
/// The first rule that refuses is `decided_by`; every refusal has a sentence in `reasons`.
public struct FilePolicyCheck: Sendable {
    public var fileName: String
    public var mimeType: String?
    public var direction: FileCheckDirection?
    public var sizeBytes: Int64?
    public var channel: FilePolicyChannel?
    /// A WebP sticker that is animated (a larger limit on WhatsApp).
    public var animated: Bool

    public init(
        fileName: String, mimeType: String? = nil, direction: FileCheckDirection? = nil, sizeBytes: Int64? = nil,
        channel: FilePolicyChannel? = nil, animated: Bool = false
    ) {
        self.fileName = fileName
        self.mimeType = mimeType
        self.direction = direction
        self.sizeBytes = sizeBytes
        self.channel = channel
        self.animated = animated
    }

    /// The answer: `{allowed, decided_by, policy, matched, reasons}`; `ids` are the rules' ids and
    /// `policy` the governing policy (``FilePolicy/governing(_:among:)``).
    public func result(rules: [BlockedFileType], ids: [String], policy: (id: String?, policy: FilePolicy)) -> JSONValue {
        let listed = FileNameCheck.check(fileName: fileName, mimeType: mimeType, direction: direction, rules: rules)
        var refusals: [(decided: JSONValue, reason: String)] = []
        let extensions = (try? FileNameCheck.extensions(of: fileName)) ?? []
        switch policy.policy.mode {
        case .block:
            for match in listed.matched {
                refusals.append(
                    (["rule": "blocked_file_type", "id": .optional(ids.indices.contains(match.ruleIndex) ? ids[match.ruleIndex] : nil)], match.reason))
            }
        case .allow:
            let allowed = Set(listed.matched.filter { $0.matchedOn == .fileExtension }.map(\.rule.fileExtension))
            if extensions.isEmpty {
                refusals.append((["rule": "not_on_allow_list", "extension": .null], "the name has no extension, and only the listed types pass"))
            }
            for fileExtension in extensions where !allowed.contains(fileExtension) {
                refusals.append((["rule": "not_on_allow_list", "extension": .string(fileExtension)], "extension .\(fileExtension) is not on the allow list"))
            }
        }
        let limit = policy.policy.maxFileBytes
        if let sizeBytes, sizeBytes > limit {
            refusals.append((["rule": "max_file_bytes", "limit": .int(limit)], "the file is \(sizeBytes) bytes, over the limit of \(limit) bytes"))
        }
        if channel == .whatsapp { refusals += whatsAppRefusals(extensions) }
        let ruleWhenAllowed: JSONValue = policy.policy.mode == .block ? "not_blocked" : "on_allow_list"
        return [
            "allowed": .bool(refusals.isEmpty),
            "decided_by": refusals.first?.decided ?? ["rule": ruleWhenAllowed],
            "policy": [
                "id": .optional(policy.id), "channel": .string(policy.policy.channel.rawValue), "mode": .string(policy.policy.mode.rawValue),
                "max_file_bytes": .int(limit),
            ],
            "matched": listed.json(ids: ids)["matched"] ?? [],
            "reasons": .array(refusals.map { .string($0.reason) }),
        ]
    }

    /// Meta's media rules: the last extension is the type WhatsApp is asked to send.
    private func whatsAppRefusals(_ extensions: [String]) -> [(decided: JSONValue, reason: String)] {
        let sent = FileNameCheck.lastExtension(of: fileName)
        guard let sent, let kind = WhatsAppMedia.kind(ofExtension: sent, animated: animated) else {
            let what = sent.map { ".\($0) files" } ?? "files without an extension"
            return [
                (
                    ["rule": "whatsapp_media_type", "extension": .optional(sent)],
                    "WhatsApp does not send \(what) (Meta's media types: images, videos, audio, documents, stickers)"
                )
            ]
        }
        guard let sizeBytes, sizeBytes > kind.maxBytes else { return [] }
        return [
            (
                ["rule": "whatsapp_media_limit", "kind": .string(kind.name), "limit": .int(kind.maxBytes)],
                "WhatsApp sends \(kind.name) files of at most \(kind.maxBytes) bytes; this one is \(sizeBytes)"
            )
        ]
    }
}
