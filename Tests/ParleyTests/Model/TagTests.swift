import Testing

@testable import ParleyModel

/// `ParleyModel.Tag` is spelled out: Swift Testing has a `Tag` type too.
@Suite struct TagTests {
    private func read(_ params: [String: JSONValue]) -> (tag: ParleyModel.Tag?, reader: ParamReader) {
        var reader = ParamReader(params)
        let tag = ParleyModel.Tag.read(from: &reader)
        reader.reportUnknownMembers()
        return (tag, reader)
    }

    @Test func labelDefaultsToTheNameAndFieldsReadBack() throws {
        let tag = try #require(read(["name": " VIP "]).tag)
        #expect(tag.name == "VIP")
        #expect(tag.fields == ["name": "VIP", "label": "VIP", "background_color": .null, "text_color": .null, "description": .null])
        #expect(read(tag.fields).tag == tag)
    }

    @Test func nameIsUniqueIgnoringCaseAndImmutable() throws {
        let tag = try #require(read(["name": "Čeština-2"]).tag)
        #expect(tag.uniqueKeys.map(\.value) == ["čeština-2"])
        #expect(tag.nameKey == "čeština-2")
        #expect(ParleyModel.Tag.immutableFields == ["name"])
    }

    @Test func nameRules() {
        for good in ["ab", "vip_2", "a-b", "2nd", "čeština", "हिंदी", "日本", String(repeating: "x", count: 50)] {
            #expect(read(["name": .string(good)]).tag != nil, "\(good)")
        }
        for bad in ["a", "_ab", "-ab", "a b", "a.b", "a!", "😀😀", String(repeating: "x", count: 51)] {
            #expect(read(["name": .string(bad)]).reader.issues.map(\.path).first == "name", "\(bad)")
        }
    }

    @Test func coloursAreUpperCasedAndLowContrastIsAWarning() throws {
        let (tag, reader) = read(["name": "ab", "background_color": "#ffffff", "text_color": "#777777"])
        #expect(tag?.backgroundColor == "#FFFFFF")
        #expect(tag?.textColor == "#777777")
        #expect(reader.warnings.map(\.path) == ["text_color"])
        #expect(read(["name": "ab", "background_color": "#FFFFFF", "text_color": "#767676"]).reader.warnings.isEmpty)
        #expect(read(["name": "ab", "background_color": "#FFFFFF"]).reader.warnings.isEmpty)
    }

    @Test func contrastRatioFollowsWCAG() throws {
        #expect(try #require(ColorContrast.ratio("#000000", "#FFFFFF")) == 21)
        #expect(try #require(ColorContrast.ratio("#123456", "#123456")) == 1)
        #expect(abs(try #require(ColorContrast.ratio("#767676", "#ffffff")) - 4.54) < 0.01)
        #expect(ColorContrast.formatted(4.4999) == "4.49:1")
    }

    @Test func everyProblemIsReportedAtItsPath() {
        let (tag, reader) = read([
            "name": "_x", "label": "  ", "background_color": "red", "text_color": "#12345",
            "description": .string(String(repeating: "d", count: 501)), "color": "#000000",
        ])
        #expect(tag == nil)
        #expect(reader.issues.map(\.path) == ["name", "label", "background_color", "text_color", "description", "color"])
    }

    @Test func descriptionMayHoldNewlinesButLabelMayNot() {
        #expect(read(["name": "ab", "description": "one\ntwo"]).tag?.description == "one\ntwo")
        #expect(read(["name": "ab", "label": "one\ntwo"]).reader.issues.map(\.path) == ["label"])
    }
}
