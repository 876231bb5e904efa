import ParleyProtocol
import Testing

@testable import ParleyModel

/// The validation rules of the `templates` family, one problem path at a time.
@Suite struct TemplateValidationTests {
    /// Reads a template from `json` (a params object without whatsapp_number_id, which is added).
    static func read(_ json: String) throws -> (template: WhatsAppTemplate?, reader: ParamReader) {
        var params = try #require(try JSONParser.parse(json).objectValue)
        if params["whatsapp_number_id"] == nil { params["whatsapp_number_id"] = "wan_00000000000000000000000000" }
        var reader = ParamReader(params)
        let template = WhatsAppTemplate.read(from: &reader)
        reader.reportUnknownMembers()
        return (template, reader)
    }

    static func paths(_ json: String) throws -> [String] {
        try read(json).reader.issues.map(\.path)
    }

    /// A MARKETING template whose components are `components`.
    static func marketing(_ components: String, format: String = "POSITIONAL") -> String {
        #"{"name": "t", "language": "cs", "category": "MARKETING", "parameter_format": "\#(format)", "components": \#(components)}"#
    }

    @Test func minimalTemplateTakesDefaults() throws {
        let (template, reader) = try Self.read(#"{"name": " hello ", "language": "en_US", "category": "UTILITY", "components": {"body": {"text": "Hi"}}}"#)
        let content = try #require(template)
        #expect(reader.issues.isEmpty)
        #expect(content.name == "hello")
        #expect(content.parameterFormat == .positional)
        #expect(content.fields["parameter_format"] == "POSITIONAL")
        #expect(content.fields["components"] == ["body": ["text": "Hi", "examples": [:]], "buttons": []])
        #expect(content.references == [ResourceReference(field: "whatsapp_number_id", kind: .whatsappNumber, id: "wan_00000000000000000000000000")])
        #expect(content.uniqueKeys.isEmpty)
    }

    /// Meta's time-to-live ranges per category (issue 15).
    @Test func timeToLiveByCategory() throws {
        func ttl(_ category: String, _ seconds: Int64) throws -> [String] {
            let button = category == "AUTHENTICATION" ? #", "buttons": [{"type": "OTP"}]"# : ""
            let body = category == "AUTHENTICATION" ? #"{}"# : #"{"text": "Hi"}"#
            return try Self.paths(
                #"{"name": "t", "language": "cs", "category": "\#(category)", "message_send_ttl_seconds": \#(seconds), "components": {"body": \#(body)\#(button)}}"#
            )
        }
        #expect(try ttl("AUTHENTICATION", 30).isEmpty && ttl("AUTHENTICATION", 900).isEmpty && ttl("AUTHENTICATION", -1).isEmpty)
        #expect(try ttl("AUTHENTICATION", 901) == ["message_send_ttl_seconds"])
        #expect(try ttl("UTILITY", 43_200).isEmpty && ttl("UTILITY", 29) == ["message_send_ttl_seconds"])
        #expect(try ttl("MARKETING", 43_200).isEmpty && ttl("MARKETING", 2_592_000).isEmpty)
        #expect(try ttl("MARKETING", -1) == ["message_send_ttl_seconds"], "no 30-day shorthand for MARKETING")
        let stored = try #require(
            try Self.read(#"{"name": "t", "language": "cs", "category": "UTILITY", "message_send_ttl_seconds": 600, "components": {"body": {"text": "Hi"}}}"#)
                .template)
        #expect(stored.fields["message_send_ttl_seconds"] == 600 && stored.messageSendTTLSeconds == 600)
    }

    @Test func topLevelFields() throws {
        let paths = try Self.paths(
            #"""
            {"whatsapp_number_id": "grp_00000000000000000000000000", "name": "Hello", "language": "en-US",
             "category": "PROMO", "parameter_format": "MIXED", "components": {"body": {"text": "Hi"}}}
            """#)
        #expect(paths == ["whatsapp_number_id", "name", "language", "category", "parameter_format"])
        #expect(try Self.paths(#"{"whatsapp_number_id": null}"#) == ["whatsapp_number_id", "name", "language", "category", "components"])
        let longName = String(repeating: "a", count: 513)
        #expect(try Self.paths(#"{"name": "\#(longName)", "language": "cs", "category": "UTILITY", "components": {"body": {"text": "x"}}}"#) == ["name"])
    }

    @Test func malformedBracesAreReported() throws {
        let issues = try Self.read(Self.marketing(#"{"body": {"text": "A {{ 1 }} B {{}} C {{1", "examples": {}}}"#)).reader.issues
        #expect(issues.count == 3)
        #expect(issues.allSatisfy { $0.path == "components.body.text" })
        #expect(try Self.paths(Self.marketing(#"{"body": {"text": "A 1}} B"}}"#)) == ["components.body.text"])
    }

    @Test func positionalVariablesStartAtOneWithoutGaps() throws {
        let issues = try Self.read(Self.marketing(#"{"body": {"text": "A {{1}} B {{3}} C {{1}}", "examples": {"1": "x", "3": "y"}}}"#)).reader.issues
        #expect(issues.map(\.path) == ["components.body.text"])
        #expect(issues.first?.message.contains("{{2}}") == true)
        #expect(try Self.paths(Self.marketing(#"{"body": {"text": "A {{2}} B", "examples": {"2": "x"}}}"#)) == ["components.body.text"])
    }

    @Test func formatsDoNotMix() throws {
        #expect(try Self.paths(Self.marketing(#"{"body": {"text": "Hi {{name}} x", "examples": {"name": "Jan"}}}"#)) == ["components.body.text"])
        let named = Self.marketing(#"{"body": {"text": "Hi {{1}} and {{first_name}} x", "examples": {"1": "a", "first_name": "b"}}}"#, format: "NAMED")
        let issues = try Self.read(named).reader.issues
        #expect(issues.map(\.path) == ["components.body.text"])
        #expect(issues.first?.message.contains("{{1}}") == true)
    }

    @Test func everyVariableNeedsAnExampleAndNoOtherExampleIsAllowed() throws {
        let json = Self.marketing(
            #"{"header": {"format": "TEXT", "text": "Order {{1}}"}, "body": {"text": "Hi {{1}}, {{2}} x", "examples": {"1": "Jan", "3": "extra", "2": ""}}}"#)
        #expect(try Self.paths(json) == ["components.header.examples.1", "components.body.examples.2", "components.body.examples.3"])
    }

    /// The problem paths of a MARKETING template with `header` and a plain body.
    static func headerPaths(_ header: String) throws -> [String] {
        try paths(marketing(#"{"header": \#(header), "body": {"text": "x"}}"#))
    }

    @Test func headerRules() throws {
        let longText = String(repeating: "h", count: 61)
        #expect(try Self.headerPaths(#"{"format": "TEXT", "text": "{{1}} {{2}}", "examples": {"1": "a", "2": "b"}}"#) == ["components.header.text"])
        #expect(try Self.headerPaths(#"{"format": "TEXT", "text": "\#(longText)"}"#) == ["components.header.text"])
        #expect(try Self.headerPaths(#"{"format": "IMAGE"}"#) == ["components.header.example_url"])
        #expect(try Self.headerPaths(#"{"format": "VIDEO", "example_url": "http://a.example/v.mp4"}"#) == ["components.header.example_url"])
        #expect(try Self.headerPaths(#"{"format": "GIF", "example_url": "https://a.example/g.gif"}"#) == ["components.header.format"])
        #expect(try Self.headerPaths(#"{"format": "LOCATION", "text": "x"}"#) == ["components.header.text"])
        #expect(try Self.headerPaths(#"{"format": "DOCUMENT", "example_url": "https://a.example/d.pdf"}"#).isEmpty)
        let auth = #"""
            {"name": "a", "language": "cs", "category": "AUTHENTICATION",
             "components": {"header": {"format": "LOCATION"}, "body": {}, "buttons": [{"type": "OTP"}]}}
            """#
        #expect(try Self.paths(auth) == ["components.header"], "no header at all in an AUTHENTICATION template")
    }

    @Test func bodyAndFooterRules() throws {
        #expect(try Self.paths(Self.marketing(#"{"body": {"text": "  "}}"#)) == ["components.body.text"])
        #expect(try Self.paths(Self.marketing(#"{"body": {"text": "\#(String(repeating: "b", count: 1025))"}}"#)) == ["components.body.text"])
        #expect(try Self.paths(Self.marketing(#"{"body": {"text": "line one\nline two"}}"#)).isEmpty)
        #expect(try Self.paths(Self.marketing(#"{"footer": {"text": "x"}}"#)) == ["components.body"])
        #expect(try Self.paths(Self.marketing(#"{"body": {"text": "x"}, "footer": {"text": "Reply {{1}}"}}"#)) == ["components.footer.text"])
        let longFooter = String(repeating: "f", count: 61)
        #expect(try Self.paths(Self.marketing(#"{"body": {"text": "x"}, "footer": {"text": "\#(longFooter)"}}"#)) == ["components.footer.text"])
        #expect(try Self.paths(Self.marketing(#"{"body": {"text": "x", "extra": 1}, "Header": {}}"#)) == ["components.body.extra", "components.Header"])
    }

    @Test func placementWarnings() throws {
        let (template, reader) = try Self.read(Self.marketing(#"{"body": {"text": "{{1}} {{2}} and {{3}}", "examples": {"1": "a", "2": "b", "3": "c"}}}"#))
        #expect(template != nil)
        #expect(reader.issues.isEmpty)
        #expect(reader.warnings.count == 3)
        #expect(reader.warnings.allSatisfy { $0.path == "components.body.text" })
        let quiet = try Self.read(Self.marketing(#"{"body": {"text": "Hi {{1}}, bye {{2}}.", "examples": {"1": "a", "2": "b"}}}"#)).reader
        #expect(quiet.warnings.isEmpty)
    }
}
