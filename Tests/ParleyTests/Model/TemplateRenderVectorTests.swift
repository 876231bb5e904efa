import Foundation
import ParleyProtocol
import Testing

@testable import ParleyModel

/// Replays protocol/vectors/render/templates.json against the model: create, then render.
@Suite struct TemplateRenderVectorTests {
    static let numberId = "wan_00000000000000000000000000"

    static func loadCases() throws -> [JSONValue] {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { root.deleteLastPathComponent() }  // the file, Model, ParleyTests, Tests
        let file = root.appendingPathComponent("protocol/vectors/render/templates.json")
        let document = try JSONParser.parse(Array(try Data(contentsOf: file)))
        return document["cases"]?.arrayValue ?? []
    }

    @Test func fileHasEnoughCases() throws {
        let cases = try Self.loadCases()
        #expect(cases.count >= 8)
        let names = cases.compactMap { $0["name"]?.stringValue }
        #expect(Set(names).count == cases.count)
    }

    static func caseNames() throws -> [String] {
        try loadCases().compactMap { $0["name"]?.stringValue }
    }

    @Test(arguments: try caseNames())
    func vector(_ name: String) throws {
        let entry = try #require(try Self.loadCases().first { $0["name"]?.stringValue == name })
        var create = try #require(entry["create"]?.objectValue, "\(name): create")
        create["whatsapp_number_id"] = .string(Self.numberId)
        var reader = ParamReader(create)
        let template = WhatsAppTemplate.read(from: &reader)
        reader.reportUnknownMembers()
        #expect(reader.issues.isEmpty, "\(name): \(reader.issues)")
        let content = try #require(template, "\(name): create refused")
        let status = entry["status"]?.stringValue ?? TemplateStatus.initial.rawValue
        let parameters = entry["render"]?["parameters"]
        if let expected = entry["result"] {
            let result = try TemplateRenderer.render(content, status: status, parameters: parameters)
            #expect(result == expected, "\(name)")
        } else {
            let expectedPaths = (entry["error"]?["paths"]?.arrayValue ?? []).compactMap(\.stringValue)
            #expect(entry["error"]?["code"] == .int(-32602))
            do {
                _ = try TemplateRenderer.render(content, status: status, parameters: parameters)
                Issue.record("\(name): render succeeded, expected \(expectedPaths)")
            } catch {
                guard case .invalid(let issues) = error else {
                    Issue.record("\(name): unexpected \(error)")
                    return
                }
                #expect(Set(issues.map(\.path)).sorted() == expectedPaths.sorted(), "\(name): \(issues)")
            }
        }
    }

    @Test func storedFieldsReadBackEqual() throws {
        for entry in try Self.loadCases() {
            var create = try #require(entry["create"]?.objectValue)
            create["whatsapp_number_id"] = .string(Self.numberId)
            var reader = ParamReader(create)
            let template = try #require(WhatsAppTemplate.read(from: &reader))
            var again = ParamReader(template.fields)
            #expect(WhatsAppTemplate.read(from: &again) == template)
            #expect(again.issues.isEmpty)
        }
    }
}
