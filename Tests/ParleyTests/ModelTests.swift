import ParleyModel
import Testing

@Suite struct ModelTests {
    @Test func timestampsFormatAndParseRFC3339() {
        #expect(Timestamp(millisecondsSinceEpoch: 0).rfc3339 == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp(millisecondsSinceEpoch: 1_795_559_967_123).rfc3339 == "2026-11-24T22:39:27.123Z")
        #expect(Timestamp(millisecondsSinceEpoch: -1).rfc3339 == "1969-12-31T23:59:59.999Z")
        #expect(Timestamp(millisecondsSinceEpoch: 253_402_300_799_999).rfc3339 == "9999-12-31T23:59:59.999Z")
        #expect(Timestamp(millisecondsSinceEpoch: 253_402_300_800_000).rfc3339 == "10000-01-01T00:00:00.000Z")
        #expect(Timestamp(millisecondsSinceEpoch: -62_167_219_200_000).rfc3339 == "0000-01-01T00:00:00.000Z")
        for milliseconds in stride(from: Int64(-2_000_000_000_000), to: 4_000_000_000_000, by: 7_777_777_777) {
            let stamp = Timestamp(millisecondsSinceEpoch: milliseconds)
            #expect(Timestamp(rfc3339: stamp.rfc3339)?.millisecondsSinceEpoch == milliseconds)
        }
        #expect(Timestamp(rfc3339: "2026-11-24T22:39:27.123Z")?.millisecondsSinceEpoch == 1_795_559_967_123)
        #expect(Timestamp(rfc3339: "2026-11-24T23:39:27.123+01:00")?.millisecondsSinceEpoch == 1_795_559_967_123)
        #expect(Timestamp(rfc3339: "2024-02-29T00:00:00Z") != nil)
        #expect(Timestamp(rfc3339: "2023-02-29T00:00:00Z") == nil)
        #expect(Timestamp(rfc3339: "2026-11-24 16:39:27Z") == nil)
        #expect(Timestamp(rfc3339: "yesterday") == nil)
    }

    @Test func idsMadeInOneMillisecondSortInTheOrderTheyWereMade() {
        // Creates take well under a millisecond: lists and cursors order by id, so "sorting ids
        // sorts by creation time" must hold within one (it held only across milliseconds).
        let now = Timestamp.now()
        let ids = (0..<2_000).map { _ in Identifier.make(prefix: "tag", at: now) }
        #expect(ids.sorted() == ids)
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { Identifier.isWellFormed($0, prefix: "tag") })
        // An earlier time (a tenant's seeded objects at its creation time) still sorts after.
        let later = Identifier.make(prefix: "tag", at: Timestamp(millisecondsSinceEpoch: now.millisecondsSinceEpoch - 5_000))
        #expect(later > ids.last!)
    }

    @Test func identifiersAreOrderedByTimeAndWellFormed() {
        let first = Identifier.make(prefix: "tnt", at: Timestamp(millisecondsSinceEpoch: 1000))
        let second = Identifier.make(prefix: "tnt", at: Timestamp(millisecondsSinceEpoch: 1001))
        #expect(first < second)
        #expect(Identifier.isWellFormed(first, prefix: "tnt"))
        #expect(!Identifier.isWellFormed(first, prefix: "key"))
        #expect(!Identifier.isWellFormed("tnt_short", prefix: "tnt"))
    }

    @Test func textRules() {
        #expect(TextRules.isSlug("acme-support"))
        #expect(TextRules.isSlug("a1"))
        #expect(!TextRules.isSlug("a"))
        #expect(!TextRules.isSlug("-acme"))
        #expect(!TextRules.isSlug("Acme"))
        #expect(!TextRules.isSlug(String(repeating: "a", count: 64)))
        #expect(TextRules.isWhatsAppLanguage("cs"))
        #expect(TextRules.isWhatsAppLanguage("en_US"))
        #expect(TextRules.isWhatsAppLanguage("fil"))
        #expect(!TextRules.isWhatsAppLanguage("en-US"))
        #expect(!TextRules.isWhatsAppLanguage("EN"))
        #expect(!TextRules.isWhatsAppLanguage("en_us"))
        #expect(TextRules.length("čeština😀") == 8)
        #expect(TextRules.trimmed("  Acme \n") == "Acme")
        #expect(TextRules.hasControlCharacter("a\u{7}b"))
        #expect(!TextRules.hasControlCharacter("a\nb", allowingNewlines: true))
        #expect(TimeZones.isIANAName("Europe/Prague"))
        #expect(!TimeZones.isIANAName("Mars/Olympus"))
    }

    /// Integers written as 7.0 or 7e0 (JSON does not tell them apart, some libraries send them):
    /// the message names the real problem (issue 16: it said "not number").
    @Test func integersWrittenWithAFractionAreReportedAsSuch() throws {
        var reader = ParamReader(try #require(try JSONParser.parse(#"{"a": 7.0, "b": 1e2, "c": 1.5, "d": 1e300, "e": "7"}"#).objectValue))
        for name in ["a", "b", "c", "d", "e"] { _ = reader.integer(name) }
        let messages = Dictionary(uniqueKeysWithValues: reader.issues.map { ($0.path, $0.message) })
        #expect(messages["a"] == "must be an integer written without a fraction or an exponent (7, not 7.0)")
        #expect(messages["b"] == "must be an integer written without a fraction or an exponent (100, not 100.0)")
        #expect(messages["c"] == "must be an integer, not a fractional number")
        #expect(messages["d"] == "must be an integer in the 64-bit range")
        #expect(messages["e"] == "must be an integer, not string")
    }

    @Test func paramReaderReportsEveryProblemAndUnknownMembers() {
        var reader = ParamReader(["slug": 5, "name": "", "extra": true, "timezone": "Nowhere"])
        _ = TenantInput.read(from: &reader)
        #expect(throws: ConfigError.self) { try reader.finish() }
        #expect(Set(reader.issues.map(\.path)) == ["slug", "name", "timezone", "extra"])
        var strict = ParamReader(["extra": true])
        #expect(throws: ConfigError.invalid([ValidationIssue(path: "extra", message: "is not a known parameter")])) {
            try strict.finish()
        }
    }
}
