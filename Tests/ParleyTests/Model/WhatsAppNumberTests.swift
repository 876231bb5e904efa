import Testing

@testable import ParleyModel

@Suite struct WhatsAppNumberTests {
    private static let groupId = "grp_01JD8X3Q4N7Z2K5M8P0R3S6T9V"
    private static let minimal: [String: JSONValue] = [
        "name": "Main line", "phone_number": "+420 (601) 123-456", "waba_id": "1234567890", "routing_group_id": .string(groupId),
    ]

    private func read(_ params: [String: JSONValue]) -> (number: WhatsAppNumber?, reader: ParamReader) {
        var reader = ParamReader(params)
        let number = WhatsAppNumber.read(from: &reader)
        reader.reportUnknownMembers()
        return (number, reader)
    }

    private func with(_ changes: [String: JSONValue]) -> [String: JSONValue] {
        Self.minimal.merging(changes) { _, new in new }
    }

    @Test func minimalNumberIsNormalisedAndTakesDefaults() throws {
        let number = try #require(read(Self.minimal).number)
        #expect(number.phoneNumber == "+420601123456")
        #expect(number.wabaId == "1234567890")
        #expect(number.fields["provider"] == "CLOUD_API")
        #expect(number.fields["status"] == "PENDING")
        #expect(number.fields["quality_rating"] == "NA")
        #expect(number.fields["messaging_limit_tier"] == .null)
        #expect(number.fields["phone_number_id"] == .null)
        #expect(number.fields["verified_name"] == .null)
        #expect(number.fields["profile"] == [:])
        #expect(number.fields["enabled"] == true)
        #expect(number.references == [ResourceReference(field: "routing_group_id", kind: .group, id: Self.groupId)])
    }

    @Test func phoneNumbersAreUniqueAcrossTenantsWithoutNamingTheHolder() throws {
        let number = try #require(read(with(["phone_number_id": "998877"])).number)
        let keys = Dictionary(uniqueKeysWithValues: number.uniqueKeys.map { ($0.name, $0) })
        #expect(keys["name"]?.scope == .tenant)
        #expect(keys["name"]?.value == "main line")
        #expect(keys["phone_number"]?.scope == .global)
        #expect(keys["phone_number"]?.value == "+420601123456")
        #expect(keys["phone_number"]?.message == "this phone number is already registered")
        #expect(keys["phone_number_id"]?.scope == .global)
        #expect(keys["phone_number_id"]?.value == "998877")
        #expect(try #require(read(Self.minimal).number).uniqueKeys.count == 2)
    }

    @Test func fullNumberReadsBackEqual() throws {
        let number = try #require(
            read(
                with([
                    "provider": "DIALOG360", "phone_number_id": "5678", "verified_name": "Acme", "status": "CONNECTED",
                    "quality_rating": "GREEN", "messaging_limit_tier": "TIER_UNLIMITED", "enabled": false,
                    "profile": [
                        "about": "Hello", "address": "Praha", "description": "One\nTwo", "email": "info@acme.cz",
                        "websites": ["https://acme.cz", "https://acme.com/cs"],
                    ],
                ])
            ).number)
        #expect(read(number.fields).number == number)
        #expect(number.profile.websites == ["https://acme.cz", "https://acme.com/cs"])
    }

    @Test func profileFieldsHoldOnlyTheMembersSet() throws {
        let number = try #require(read(with(["profile": ["about": "Hi", "email": ""]])).number)
        #expect(number.fields["profile"] == ["about": "Hi"])
    }

    @Test func everyProblemIsReportedAtItsPath() {
        let (number, reader) = read([
            "name": "", "phone_number": "0601 123 456", "provider": "TWILIO", "waba_id": "12a", "phone_number_id": "",
            "routing_group_id": "grp_1", "verified_name": .string(String(repeating: "v", count: 257)), "status": "LIVE",
            "quality_rating": "BLUE", "messaging_limit_tier": "TIER_5", "name_status": "OK", "code_verification_status": "MAYBE",
            "throughput_level": "FAST", "account_mode": "TEST", "enabled": 1,
            "profile": [
                "about": .string(String(repeating: "a", count: 140)), "address": "a\u{0}b",
                "description": .string(String(repeating: "d", count: 513)), "email": "nope",
                "websites": ["ftp://acme.cz"], "vertical": "INDUSTRY", "profile_picture_url": "http://pps.example/p.jpg",
                "logo": "x",
            ],
        ])
        #expect(number == nil)
        #expect(
            reader.issues.map(\.path) == [
                "name", "phone_number", "provider", "waba_id", "phone_number_id", "routing_group_id", "verified_name",
                "status", "quality_rating", "messaging_limit_tier", "name_status", "code_verification_status", "throughput_level",
                "account_mode", "profile.about", "profile.address", "profile.description", "profile.email", "profile.websites[0]",
                "profile.vertical", "profile.profile_picture_url", "profile.logo", "enabled",
            ])
    }

    /// Meta's current phone-number and business-profile fields (issue 15), in Meta's shapes: the
    /// values of the phone-number and business-profile examples in Meta's documentation.
    @Test func metasCurrentNumberAndProfileFields() throws {
        let number = try #require(
            read(
                with([
                    "messaging_limit_tier": "TIER_2K", "name_status": "AVAILABLE_WITHOUT_REVIEW", "code_verification_status": "VERIFIED",
                    "throughput_level": "STANDARD", "account_mode": "LIVE",
                    "profile": [
                        "about": "Succulent specialists!", "address": "1 Hacker Way, Menlo Park, CA 94025",
                        "description": .string(String(repeating: "d", count: 512)), "email": "lucky@luckyshrub.com",
                        "websites": ["https://www.luckyshrub.com/", "http://www.luckyshrub.com/amea/"], "vertical": "RETAIL",
                        "profile_picture_url": "https://pps.whatsapp.net/v/t61.24/p.jpg",
                    ],
                ])
            ).number)
        #expect(number.messagingLimitTier == .tier2K && number.nameStatus == .availableWithoutReview)
        #expect(number.codeVerificationStatus == .verified && number.throughputLevel == .standard && number.accountMode == .live)
        #expect(number.profile.vertical == .retail && number.profile.websites.count == 2)
        #expect(read(number.fields).number == number, "the stored fields read back the same")
        #expect(
            MessagingLimitTier.allCases.map(\.rawValue) == [
                "TIER_50", "TIER_250", "TIER_1K", "TIER_2K", "TIER_10K", "TIER_100K", "TIER_UNLIMITED", "TIER_NOT_SET",
            ])
        // Meta's earlier vertical list is still read (profiles synced before).
        #expect(read(with(["profile": ["vertical": "NOT_A_BIZ"]])).number?.profile.vertical == .notABusiness)
        // Unsynced numbers say so with null, and an object stored before these fields existed reads the same.
        let plain = try #require(read(with([:])).number)
        #expect(plain.fields["name_status"] == .null && plain.fields["account_mode"] == .null)
        var old = plain.fields
        for name in ["name_status", "code_verification_status", "throughput_level", "account_mode"] { old.removeValue(forKey: name) }
        let stored = StoredResource(kind: .whatsappNumber, id: "wan_x", tenantId: "tnt_x", fields: old, revision: 1, createdAt: .now(), updatedAt: .now())
        #expect(stored.fields == plain.fields)
    }

    @Test func statusListForFilters() {
        #expect(WhatsAppNumber.statuses == ["CONNECTED", "DISCONNECTED", "UNVERIFIED", "PENDING", "FLAGGED", "RESTRICTED"])
    }

    @Test func requiredFieldsAreReported() {
        #expect(read([:]).reader.issues.map(\.path) == ["name", "phone_number", "waba_id", "routing_group_id"])
    }

    @Test func profileLimits() {
        let longEmail = String(repeating: "a", count: 121) + "@acme.cz"
        let longSite = "https://acme.cz/" + String(repeating: "p", count: 241)
        let (_, reader) = read(with(["profile": ["email": .string(longEmail), "websites": ["https://a.cz", "https://a.cz"]]]))
        #expect(reader.issues.map(\.path) == ["profile.email", "profile.websites[1]"])
        #expect(read(with(["profile": ["websites": ["https://a.cz", "https://b.cz", "https://c.cz"]]])).reader.issues.map(\.path) == ["profile.websites"])
        #expect(read(with(["profile": ["websites": .array([.string(longSite)])]])).reader.issues.map(\.path) == ["profile.websites[0]"])
        #expect(read(with(["profile": ["about": .string(String(repeating: "a", count: 139))]])).number != nil)
        #expect(read(with(["profile": "x"])).reader.issues.map(\.path) == ["profile"])
    }
}
