/// How a tenant judges files on one channel (family `file_policies`): whether its file-type list
/// blocks the types on it or lets only them pass, and the largest file it takes. At most one
/// policy per channel; `ALL` is the policy of every channel without one of its own.
public struct FilePolicy: ResourceContent, Hashable {
    public static let kind = ResourceKind.filePolicy

    /// The channel the policy is for; unique in the tenant, and it never changes.
    public var channel: FilePolicyChannel
    /// `BLOCK`: the types on the list are refused; `ALLOW`: only the types on the list pass.
    public var mode: FilePolicyMode
    /// The largest file, in bytes.
    public var maxFileBytes: Int64

    /// The policy of a tenant that has none: the list blocks, and files up to 25 MiB pass (mluvii's limit).
    public static let standard = FilePolicy(channel: .all, mode: .block, maxFileBytes: defaultMaxFileBytes)
    /// mluvii's largest file, 25 MiB.
    public static let defaultMaxFileBytes: Int64 = 25 * 1024 * 1024
    /// The largest limit a policy may set (1 TiB): beyond it a limit means nothing.
    public static let maximumMaxFileBytes: Int64 = 1 << 40

    public init(channel: FilePolicyChannel, mode: FilePolicyMode = .block, maxFileBytes: Int64 = defaultMaxFileBytes) {
        self.channel = channel
        self.mode = mode
        self.maxFileBytes = maxFileBytes
    }

    public var fields: [String: JSONValue] {
        ["channel": .string(channel.rawValue), "mode": .string(mode.rawValue), "max_file_bytes": .int(maxFileBytes)]
    }

    /// The channel, lower-case.
    public var nameKey: String { channel.rawValue.lowercased() }

    public var uniqueKeys: [UniqueKey] {
        [UniqueKey(name: "channel", value: channel.rawValue, field: "channel", message: "a file policy for channel \(channel.rawValue) already exists")]
    }

    public static var immutableFields: Set<String> { ["channel"] }

    public static func read(from reader: inout ParamReader) -> FilePolicy? {
        let before = reader.issues.count
        let channel = reader.enumeration("channel", FilePolicyChannel.wireValues, required: true).flatMap(FilePolicyChannel.init(rawValue:))
        let mode = reader.enumeration("mode", FilePolicyMode.wireValues, default: FilePolicyMode.block.rawValue).flatMap(FilePolicyMode.init(rawValue:))
        let bytes = reader.integer("max_file_bytes", in: 1...maximumMaxFileBytes) ?? defaultMaxFileBytes
        guard let channel, let mode, reader.issues.count == before else { return nil }
        return FilePolicy(channel: channel, mode: mode, maxFileBytes: bytes)
    }

    /// The policy that governs `channel`: its own, else the `ALL` policy, else ``standard``.
    public static func governing(_ channel: FilePolicyChannel?, among policies: [(id: String, policy: FilePolicy)]) -> (id: String?, policy: FilePolicy) {
        if let channel, let own = policies.first(where: { $0.policy.channel == channel }) { return (own.id, own.policy) }
        if let all = policies.first(where: { $0.policy.channel == .all }) { return (all.id, all.policy) }
        return (nil, standard)
    }
}

/// The channels a file travels on, as mluvii has them; `ALL` names the default policy.
public enum FilePolicyChannel: String, Sendable, Hashable, CaseIterable {
    case all = "ALL"
    case webChat = "WEB_CHAT"
    case whatsapp = "WHATSAPP"
    case email = "EMAIL"

    public static let wireValues = allCases.map(\.rawValue)
    /// The values `files.check` takes as its `channel` (a file travels on one channel, never "all").
    public static let checkValues = allCases.filter { $0 != .all }.map(\.rawValue)
}

/// What a tenant's file-type list means under a policy.
public enum FilePolicyMode: String, Sendable, Hashable, CaseIterable {
    /// The types on the list are refused; every other type passes (the list is a block list).
    case block = "BLOCK"
    /// Only the types on the list pass (the list is an allow list).
    case allow = "ALLOW"

    public static let wireValues = allCases.map(\.rawValue)
}
