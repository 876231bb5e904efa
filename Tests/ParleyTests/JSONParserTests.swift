import ParleyModel
import ParleyProtocol
import Testing

@Suite struct JSONParserTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONParser.parse(#" {"a": [1, -2, 3.5, 1e3, true, false, null, "x\n\u00e9\ud83d\ude00"]} "#)
        #expect(value == ["a": [1, -2, 3.5, 1000.0, true, false, nil, "x\né😀"]])
    }

    @Test func integersStayIntegersAndFractionsDoNot() throws {
        #expect(try JSONParser.parse("42") == .int(42))
        #expect(try JSONParser.parse("-0") == .int(0))
        #expect(try JSONParser.parse("1.0") == .double(1.0))
        #expect(try JSONParser.parse("9223372036854775807") == .int(Int64.max))
        #expect(try JSONParser.parse("9223372036854775808") == .double(9_223_372_036_854_775_808))
        #expect(try JSONParser.parse("-9223372036854775808") == .int(Int64.min))
        #expect(try JSONParser.parse("999999999999999999") == .int(999_999_999_999_999_999))
        #expect(try JSONParser.parse("-999999999999999999") == .int(-999_999_999_999_999_999))
        #expect(try JSONParser.parse("1000000000000000000") == .int(1_000_000_000_000_000_000))
        #expect(try JSONParser.parse("[0,-1,12,-0]") == [0, -1, 12, 0])
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "+1", "nul", "\"\u{01}\"", "\"\\x\"", "\"\\ud800\"",
        "{\"a\":1}x", "{a:1}", "[1 2]", "\"abc", "1e", "NaN", "{\"a\" 1}",
    ])
    func rejectsMalformedText(_ text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(text) }
    }

    @Test func rejectsDuplicateMembers() {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(#"{"id":1,"id":2}"#) }
    }

    @Test func rejectsInvalidUTF8() {
        let bytes: [UInt8] = [0x22, 0xC3, 0x28, 0x22]
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(bytes) }
        let overlong: [UInt8] = [0x22, 0xC0, 0xAF, 0x22]
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(overlong) }
    }

    @Test func stringsJoinTheirASCIIEscapedAndNonASCIIRuns() throws {
        #expect(try JSONParser.parse(#""plain""#) == "plain")
        #expect(try JSONParser.parse(#""""#) == "")
        #expect(try JSONParser.parse(#""a\"b\\c""#) == "a\"b\\c")
        #expect(try JSONParser.parse(#""\n""#) == "\n")
        #expect(try JSONParser.parse("\"ab\\tcé\\u0041d😀e\"") == "ab\tcéAd😀e")
        #expect(try JSONParser.parse("\"é\"") == "é")
    }

    @Test func invalidUTF8IsReportedWhereItIsInAnyRun() {
        // The invalid byte comes after an ASCII run, after an escape, and after a valid non-ASCII one.
        let cases: [([UInt8], Int)] = [
            (Array(#""abc"#.utf8) + [0xFF, 0x22], 4),
            (Array(#""a\nb"#.utf8) + [0xC3, 0x28, 0x22], 5),
            (Array("\"é".utf8) + [0x80, 0x22], 3),
        ]
        for (bytes, offset) in cases {
            let failure = #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(bytes) }
            #expect(failure?.description == "invalid UTF-8 at byte \(offset)")
        }
    }

    @Test func objectsOfManyMembersKeepThemAll() throws {
        let members = (0..<40).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        let object = try #require(try JSONParser.parse("{\(members)}").objectValue)
        #expect(object.count == 40)
        #expect(object["k39"] == .int(39))
        #expect(try JSONParser.parse("{}") == .object([:]))
    }

    @Test func limitsNestingDepth() throws {
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        _ = try JSONParser.parse(ok)
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(deep) }
    }

    @Test(arguments: [0, 7, -7, 10, 1_000_000, Int64.max, Int64.min, Int64.min + 1])
    func writerWritesIntegersAsTheirDecimalDigits(_ number: Int64) throws {
        #expect(JSONWriter.string(.int(number)) == String(number))
        #expect(try JSONParser.parse(JSONWriter.string(.int(number))) == .int(number))
    }

    @Test func writerIsCompactSortedAndRoundTrips() throws {
        let value: JSONValue = ["b": [1, "two", nil], "a": ["q\"\\\u{1}": true], "c": 2.5]
        let text = JSONWriter.string(value)
        #expect(text == #"{"a":{"q\"\\\u0001":true},"b":[1,"two",null],"c":2.5}"#)
        #expect(try JSONParser.parse(text) == value)
    }
}
