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
        let number = try #require(read(with([
            "provider": "DIALOG360", "phone_number_id": "5678", "verified_name": "Acme", "status": "CONNECTED",
            "quality_rating": "GREEN", "messaging_limit_tier": "TIER_UNLIMITED", "enabled": false,
            "profile": ["about": "Hello", "address": "Praha", "description": "One\nTwo", "email": "info@acme.cz",
                        "websites": ["https://acme.cz", "https://acme.com/cs"]],
        ])).number)
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
            "quality_rating": "BLUE", "messaging_limit_tier": "TIER_5", "enabled": 1,
            "profile": ["about": .string(String(repeating: "a", count: 140)), "address": "a\u{0}b",
                        "description": .string(String(repeating: "d", count: 257)), "email": "nope",
                        "websites": ["http://acme.cz"], "logo": "x"],
        ])
        #expect(number == nil)
        #expect(reader.issues.map(\.path) == [
            "name", "phone_number", "provider", "waba_id", "phone_number_id", "routing_group_id", "verified_name",
            "status", "quality_rating", "messaging_limit_tier", "profile.about", "profile.address",
            "profile.description", "profile.email", "profile.websites[0]", "profile.logo", "enabled",
        ])
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
