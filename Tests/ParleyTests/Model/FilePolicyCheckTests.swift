import ParleyModel
import Testing

/// `files.check` under a file policy (issue 15): the list as a block or allow list, the size
/// limit, and Meta's WhatsApp media types and limits, with the rule that decided.
@Suite struct FilePolicyCheckTests {
    private let exe = BlockedFileType(fileExtension: "exe", reason: "program")
    private let pdf = BlockedFileType(fileExtension: "pdf")
    private let jpg = BlockedFileType(fileExtension: "jpg")

    private func check(
        _ name: String, size: Int64? = nil, channel: FilePolicyChannel? = nil, animated: Bool = false, rules: [BlockedFileType]? = nil,
        policy: FilePolicy = .standard
    ) -> JSONValue {
        let rules = rules ?? [exe, pdf]
        return FilePolicyCheck(fileName: name, sizeBytes: size, channel: channel, animated: animated)
            .result(rules: rules, ids: rules.indices.map { "bft_\($0)" }, policy: (id: nil, policy: policy))
    }

    @Test func blockModeRefusesListedTypes() {
        let refused = check("invoice.pdf.exe", rules: [exe])
        #expect(refused["allowed"] == false && refused["decided_by"] == ["rule": "blocked_file_type", "id": "bft_0"])
        #expect(refused["reasons"] == ["extension .exe is blocked: program"])
        let passed = check("photo.png", rules: [exe])
        #expect(passed["allowed"] == true && passed["decided_by"] == ["rule": "not_blocked"])
        #expect(passed["policy"] == ["id": .null, "channel": "ALL", "mode": "BLOCK", "max_file_bytes": 26_214_400])
    }

    @Test func allowModeNeedsEveryExtensionOnTheList() {
        let allow = FilePolicy(channel: .all, mode: .allow)
        #expect(check("report.pdf", policy: allow)["decided_by"] == ["rule": "on_allow_list"])
        let hidden = check("report.pdf.zip", policy: allow)
        #expect(hidden["allowed"] == false && hidden["decided_by"] == ["rule": "not_on_allow_list", "extension": "zip"])
        #expect(check("README", policy: allow)["decided_by"] == ["rule": "not_on_allow_list", "extension": .null])
        #expect(check("a.exe.pdf", rules: [pdf], policy: allow)["decided_by"] == ["rule": "not_on_allow_list", "extension": "exe"])
    }

    @Test func sizeLimitOfThePolicy() {
        let small = FilePolicy(channel: .email, maxFileBytes: 1000)
        #expect(check("a.txt", size: 1000, policy: small)["allowed"] == true)
        let over = check("a.txt", size: 1001, policy: small)
        #expect(over["decided_by"] == ["rule": "max_file_bytes", "limit": 1000])
        #expect(check("a.txt", size: 25 * 1024 * 1024 + 1)["decided_by"] == ["rule": "max_file_bytes", "limit": 26_214_400], "mluvii's 25 MiB by default")
        #expect(check("a.txt")["allowed"] == true, "no size given: no size rule")
    }

    @Test func whatsAppMediaTypesAndLimits() {
        let mb: Int64 = 1024 * 1024
        for (name, limit, kind) in [
            ("photo.jpeg", 5 * mb, "image"), ("photo.JPG", 5 * mb, "image"), ("shot.png", 5 * mb, "image"), ("clip.mp4", 16 * mb, "video"),
            ("clip.3gp", 16 * mb, "video"), ("voice.ogg", 16 * mb, "audio"), ("song.mp3", 16 * mb, "audio"), ("a.m4a", 16 * mb, "audio"),
            ("report.pdf", 100 * mb, "document"), ("sheet.xlsx", 100 * mb, "document"), ("notes.txt", 100 * mb, "document"),
            ("sticker.webp", 100 * 1024, "sticker"),
        ] {
            let big: Int64 = 200 * mb  // over every WhatsApp limit, under none of the policy's: a generous policy
            let policy = FilePolicy(channel: .whatsapp, maxFileBytes: 1 << 40)
            #expect(check(name, size: limit, channel: .whatsapp, rules: [], policy: policy)["allowed"] == true, "\(name) at its limit")
            #expect(
                check(name, size: limit + 1, channel: .whatsapp, rules: [], policy: policy)["decided_by"]
                    == ["rule": "whatsapp_media_limit", "kind": .string(kind), "limit": .int(limit)], "\(name)")
            #expect(check(name, size: big, channel: .webChat, rules: [], policy: policy)["allowed"] == true, "no WhatsApp limit on web chat")
        }
        #expect(check("sticker.webp", size: 400 * 1024, channel: .whatsapp, animated: true, rules: [])["allowed"] == true)
        #expect(check("notes.zip", channel: .whatsapp, rules: [])["decided_by"] == ["rule": "whatsapp_media_type", "extension": "zip"])
        #expect(check("image.gif", channel: .whatsapp, rules: [])["allowed"] == false, "GIF is not one of Meta's media types")
        #expect(check("README", channel: .whatsapp, rules: [])["decided_by"] == ["rule": "whatsapp_media_type", "extension": .null])
    }

    @Test func theFirstRefusalDecidesAndEveryRefusalIsGiven() {
        let result = check("setup.exe", size: 30 * 1024 * 1024, channel: .whatsapp, rules: [exe])
        #expect(result["decided_by"]?["rule"] == "blocked_file_type")
        #expect(result["reasons"]?.arrayValue?.count == 3, "the block, the size and WhatsApp's type")
    }

    @Test func theChannelsOwnPolicyGovernsThenAll() {
        let whatsapp = FilePolicy(channel: .whatsapp, mode: .allow)
        let all = FilePolicy(channel: .all, maxFileBytes: 10)
        let policies = [(id: "fpl_w", policy: whatsapp), (id: "fpl_a", policy: all)]
        #expect(FilePolicy.governing(.whatsapp, among: policies).id == "fpl_w")
        #expect(FilePolicy.governing(.email, among: policies).id == "fpl_a")
        #expect(FilePolicy.governing(nil, among: policies).id == "fpl_a")
        #expect(FilePolicy.governing(.email, among: []).id == nil && FilePolicy.governing(.email, among: []).policy == .standard)
    }
}
