import Foundation
import ParleyModel
import ParleyProtocol
import Testing

/// protocol/vectors/render/hero_cards.json: every golden render is exactly what the model produces.
@Suite struct HeroCardVectorTests {
    static let vectorFile = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("protocol/vectors/render/hero_cards.json")

    static func cases() throws -> [JSONValue] {
        let data = try Data(contentsOf: vectorFile)
        return try JSONParser.parse(Array(data))["cases"]?.arrayValue ?? []
    }

    /// Creates the card of a case; WHATSAPP cards optionally get a dummy template id.
    static func card(_ entry: JSONValue, templateId: String? = nil) -> HeroCard? {
        var params = entry["create"]?.objectValue ?? [:]
        if let templateId { params["template_id"] = .string(templateId) }
        var reader = ParamReader(params)
        let card = HeroCard.read(from: &reader)
        reader.reportUnknownMembers()
        return reader.issues.isEmpty ? card : nil
    }

    @Test func theFileCoversEveryComponent() throws {
        let cases = try Self.cases()
        #expect(cases.count >= 8)
        let names = cases.compactMap { $0["name"]?.stringValue }
        #expect(Set(names).count == cases.count, "case names are unique")
        let whatsappTypes = Set(cases.compactMap { $0["result"]?["whatsapp"]?["type"]?.stringValue })
        #expect(whatsappTypes == ["interactive", "image", "text"])
        let buttonTypes = Set(
            cases.flatMap { entry in
                (entry["result"]?["attachment"]?["content"]?["buttons"]?.arrayValue ?? []).compactMap { $0["type"]?.stringValue }
            })
        #expect(buttonTypes == Set(HeroCardButtonType.wireValues))
        #expect(cases.contains { $0["error"] != nil })
        #expect(cases.contains { $0["result"]?["fell_back"] == true })
    }

    @Test func everyCaseRendersExactlyAsRecorded() throws {
        for entry in try Self.cases() {
            let name = entry["name"]?.stringValue ?? "?"
            guard let card = Self.card(entry) else {
                Issue.record("case \(name): the create params are invalid")
                continue
            }
            let language = entry["render"]?["language"]?.stringValue
            if let expected = entry["result"] {
                #expect(try HeroCardRenderer.render(card, language: language) == expected, "case \(name)")
            } else {
                let paths = entry["error"]?["paths"]?.arrayValue?.compactMap(\.stringValue) ?? []
                #expect(entry["error"]?["code"] == -32602, "case \(name)")
                do {
                    _ = try HeroCardRenderer.render(card, language: language)
                    Issue.record("case \(name): the render was expected to fail")
                } catch {
                    guard case .invalid(let issues) = error else {
                        Issue.record("case \(name): \(error)")
                        continue
                    }
                    #expect(issues.map(\.path) == paths, "case \(name)")
                }
            }
        }
    }

    @Test func aTemplateIdDoesNotChangeTheRender() throws {
        for entry in try Self.cases() where entry["create"]?["channel"] == "WHATSAPP" {
            let language = entry["render"]?["language"]?.stringValue
            guard let plain = Self.card(entry), let linked = Self.card(entry, templateId: "tpl_00000000000000000000000000") else {
                Issue.record("case \(entry["name"]?.stringValue ?? "?"): the create params are invalid")
                continue
            }
            #expect(linked.references == [ResourceReference(field: "template_id", kind: .template, id: "tpl_00000000000000000000000000")])
            #expect((try? HeroCardRenderer.render(linked, language: language)) == (try? HeroCardRenderer.render(plain, language: language)))
        }
    }
}
