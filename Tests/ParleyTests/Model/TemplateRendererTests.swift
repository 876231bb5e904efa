import ParleyProtocol
import Testing

@testable import ParleyModel

/// Renderer behaviour that the golden vectors do not pin down.
@Suite struct TemplateRendererTests {
    static let template = WhatsAppTemplate(
        whatsappNumberId: "wan_00000000000000000000000000", name: "hello", language: "cs", category: .utility,
        components: TemplateComponents(body: TemplateText(text: "Hi {{1}}.", examples: ["1": "Jan"])))

    static func paths(_ parameters: JSONValue?) -> [String] {
        do {
            _ = try TemplateRenderer.render(template, status: "APPROVED", parameters: parameters)
            return []
        } catch {
            guard case .invalid(let issues) = error else { return ["unexpected"] }
            return issues.map(\.path)
        }
    }

    @Test func parametersMustBeAnObject() {
        #expect(Self.paths("x") == ["parameters"])
        #expect(Self.paths(nil) == ["parameters.body.1"])
        #expect(Self.paths(.null) == ["parameters.body.1"])
        #expect(Self.paths(["body": "Jan"]) == ["parameters.body"])
        #expect(Self.paths(["body": ["1": "Jan"]]).isEmpty)
    }

    @Test func sendableOnlyWhenApproved() throws {
        for status in TemplateStatus.allCases {
            let result = try TemplateRenderer.render(Self.template, status: status.rawValue, parameters: ["body": ["1": "Eva"]])
            #expect(result["sendable"] == .bool(status == .approved))
            #expect(result["text"] == "Hi Eva.")
        }
    }

    @Test func valueLimits() {
        #expect(Self.paths(["body": ["1": .string(String(repeating: "v", count: 1024))]]).isEmpty)
        #expect(Self.paths(["body": ["1": .string(String(repeating: "v", count: 1025))]]) == ["parameters.body.1"])
        #expect(Self.paths(["body": ["1": "four    spaces"]]).isEmpty)
        #expect(Self.paths(["body": ["1": "tab\there"]]) == ["parameters.body.1"])
        #expect(Self.paths(["body": ["1": "   "]]) == ["parameters.body.1"])
    }

    @Test func urlSuffixMustKeepTheURLWithinLimits() throws {
        let url = "https://x.example/" + String(repeating: "p", count: 1970) + "{{1}}"
        let content = TemplateComponents(
            body: TemplateText(text: "x"), buttons: [.url(text: "Open", url: url, example: "a")])
        let template = WhatsAppTemplate(
            whatsappNumberId: Self.template.whatsappNumberId, name: "u", language: "cs", category: .marketing, components: content)
        #expect(throws: ConfigError.self) {
            try TemplateRenderer.render(template, status: "PENDING", parameters: ["buttons": ["0": ["1": .string(String(repeating: "s", count: 20))]]])
        }
        #expect(throws: ConfigError.self) {
            try TemplateRenderer.render(template, status: "PENDING", parameters: ["buttons": ["0": ["1": "has space"]]])
        }
        let result = try TemplateRenderer.render(template, status: "PENDING", parameters: ["buttons": ["0": ["1": "abc"]]])
        #expect(result["whatsapp"]?["components"] == [["type": "button", "sub_type": "url", "index": "0", "parameters": [["type": "text", "text": "abc"]]]])
    }

    @Test func coordinatesAreWrittenAsPlainDecimals() {
        #expect(TemplateRenderer.decimalText(50.0875) == "50.0875")
        #expect(TemplateRenderer.decimalText(14.0) == "14")
        #expect(TemplateRenderer.decimalText(-0.5) == "-0.5")
        #expect(TemplateRenderer.decimalText(0.00001) == "0.00001")
        #expect(TemplateRenderer.decimalText(-0.0) == "0")
    }

    @Test func scannerFindsVariablesAndProblems() {
        let scan = TemplateVariableScanner.scan("{{1}} a {{name}} {{ 2 }} {{3")
        #expect(scan.occurrences.map(\.variable) == [.positional(1), .named("name")])
        #expect(scan.problems.count == 2)
        #expect(scan.substituting { "<\($0.key)>" } == "<1> a <name> {{ 2 }} {{3")
        #expect(TemplateVariableScanner.scan("{{2}} {{1}} {{2}}").parameterOrder == [.positional(1), .positional(2)])
    }
}
