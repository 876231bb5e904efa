import Foundation
import ParleyModel
import Testing

/// Templates in Meta's shape (issue 15): Meta's documented payloads read into Parley's, and every
/// template of the render vectors round-trips Parley -> Meta -> Parley unchanged.
@Suite struct TemplateMetaFormatTests {
    static let numberId = "wan_00000000000000000000000000"

    static func metaCases() throws -> [JSONValue] {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { root.deleteLastPathComponent() }
        let document = try JSONParser.parse(Array(try Data(contentsOf: root.appendingPathComponent("protocol/vectors/meta/templates.json"))))
        return document["cases"]?.arrayValue ?? []
    }

    private static func template(_ params: [String: JSONValue]) throws -> WhatsAppTemplate {
        var params = params
        params["whatsapp_number_id"] = .string(numberId)
        var reader = ParamReader(params)
        let template = WhatsAppTemplate.read(from: &reader)
        #expect(reader.issues.isEmpty, "\(reader.issues)")
        return try #require(template)
    }

    @Test func metasDocumentedPayloadsAreRead() throws {
        for entry in try Self.metaCases() {
            let name = entry["name"]?.stringValue ?? "?"
            let imported = try TemplateMetaFormat.parleyParams(fromMeta: try #require(entry["meta"]?.objectValue))
            let template = try Self.template(imported.params)
            #expect(JSONValue.object(template.components.fields) == entry["parley"], "\(name)")
            #expect(imported.status == entry["status"]?.stringValue && imported.metaTemplateId == entry["meta_template_id"]?.stringValue, "\(name)")
            #expect(imported.ignored == (entry["ignored"]?.arrayValue ?? []).compactMap(\.stringValue), "\(name)")
            // And back: Meta's form of what Parley stored reads to the same template.
            let again = try Self.template(
                try TemplateMetaFormat.parleyParams(fromMeta: try #require(TemplateMetaFormat.metaPayload(template).objectValue)).params)
            #expect(again == template, "\(name) round trip")
        }
    }

    @Test func everyRenderVectorRoundTrips() throws {
        for entry in try TemplateRenderVectorTests.loadCases() {
            guard let create = entry["create"]?.objectValue else { continue }
            let template = try Self.template(create)
            let meta = TemplateMetaFormat.metaPayload(template)
            #expect(
                meta["components"]?.arrayValue?.allSatisfy {
                    ["HEADER", "BODY", "FOOTER", "BUTTONS", "LIMITED_TIME_OFFER", "CAROUSEL"].contains($0["type"]?.stringValue ?? "")
                } == true)
            let back = try Self.template(try TemplateMetaFormat.parleyParams(fromMeta: try #require(meta.objectValue)).params)
            #expect(back.fields == template.fields, "\(entry["name"] ?? .null)")
        }
    }

    @Test func metasShapesForParleysContent() throws {
        let template = try Self.template([
            "name": "order_ready", "language": "cs", "category": "UTILITY",
            "components": [
                "header": ["format": "TEXT", "text": "Objednávka {{1}}", "examples": ["1": "A-1"]],
                "body": ["text": "Dobrý den {{1}}, je hotovo.", "examples": ["1": "Jan"]],
                "buttons": [["type": "URL", "text": "Stav", "url": "https://x.example/o/{{1}}", "example": "A-1"]],
            ],
        ])
        #expect(
            TemplateMetaFormat.metaPayload(template)["components"] == [
                ["type": "HEADER", "format": "TEXT", "text": "Objednávka {{1}}", "example": ["header_text": ["A-1"]]],
                ["type": "BODY", "text": "Dobrý den {{1}}, je hotovo.", "example": ["body_text": [["Jan"]]]],
                ["type": "BUTTONS", "buttons": [["type": "URL", "text": "Stav", "url": "https://x.example/o/{{1}}", "example": ["https://x.example/o/A-1"]]]],
            ])
    }

    @Test func problemsOfShapeAreReportedAtMetasPaths() throws {
        func paths(_ meta: JSONValue) -> [String] {
            do {
                _ = try TemplateMetaFormat.parleyParams(fromMeta: meta.objectValue ?? [:])
                return []
            } catch {
                guard case .invalid(let issues) = error else { return ["?"] }
                return issues.map(\.path)
            }
        }
        #expect(paths(["name": "x"]) == ["template.components"])
        #expect(paths(["name": "x", "components": [["type": "CATALOG"], ["text": "no type"]]]) == ["template.components[0].type", "template.components[1]"])
        #expect(paths(["name": "x", "components": [["type": "BODY", "text": "a"], ["type": "BODY", "text": "b"]]]) == ["template.components[1].type"])
        #expect(
            paths([
                "name": "x", "category": "MARKETING",
                "components": [["type": "HEADER", "format": "IMAGE", "example": ["header_handle": ["4::aW1hZ2UvanBlZw=="]]]],
            ])
                == ["template.components[0].example.header_handle"])
    }
}
