import Testing

@testable import ParleyModel

@Suite struct BlockedFileTypeTests {
    private func read(_ params: [String: JSONValue]) -> (rule: BlockedFileType?, reader: ParamReader) {
        var reader = ParamReader(params)
        let rule = BlockedFileType.read(from: &reader)
        reader.reportUnknownMembers()
        return (rule, reader)
    }

    @Test func extensionIsNormalisedAndAppliesToEverythingByDefault() throws {
        let rule = try #require(read(["extension": " .EXE "]).rule)
        #expect(rule.fileExtension == "exe")
        #expect(
            rule.fields == [
                "extension": "exe", "mime_type": .null, "reason": .null,
                "applies_to": ["OPERATOR_UPLOAD", "CLIENT_UPLOAD", "EMAIL_ATTACHMENT"],
            ])
        #expect(rule.uniqueKeys.map(\.value) == ["exe"])
        #expect(rule.uniqueKeys.allSatisfy { $0.scope == .tenant })
    }

    @Test func appliesToIsStoredInCanonicalOrder() throws {
        let rule = try #require(
            read([
                "extension": "ps1", "mime_type": "Application/X-PowerShell", "reason": " scripts ",
                "applies_to": ["EMAIL_ATTACHMENT", "OPERATOR_UPLOAD"],
            ]).rule)
        #expect(rule.fields["applies_to"] == ["OPERATOR_UPLOAD", "EMAIL_ATTACHMENT"])
        #expect(rule.mimeType == "application/x-powershell")
        #expect(rule.reason == "scripts")
        #expect(read(rule.fields).rule == rule)
    }

    @Test func everyProblemIsReportedAtItsPath() {
        let (rule, reader) = read([
            "extension": "..exe", "mime_type": "exe", "reason": .string(String(repeating: "r", count: 201)),
            "applies_to": ["CLIENT_UPLOAD", "CLIENT_UPLOAD", "SMS"], "scope": "all",
        ])
        #expect(rule == nil)
        #expect(reader.issues.map(\.path) == ["extension", "mime_type", "reason", "applies_to[1]", "applies_to[2]", "scope"])
    }

    @Test func extensionRules() {
        #expect(BlockedFileType.normalisedExtension("tar") == "tar")
        #expect(BlockedFileType.normalisedExtension(String(repeating: "a", count: 16)) != nil)
        for bad in ["", ".", "tar.gz", "ex e", "settingcontent-ms", "é", String(repeating: "a", count: 17)] {
            #expect(BlockedFileType.normalisedExtension(bad) == nil, "\(bad)")
        }
        #expect(read([:]).reader.issues.map(\.path) == ["extension"])
    }

    @Test func appliesToMustNotBeEmpty() {
        #expect(read(["extension": "exe", "applies_to": []]).reader.issues.map(\.path) == ["applies_to"])
        #expect(read(["extension": "exe", "applies_to": "CLIENT_UPLOAD"]).reader.issues.map(\.path) == ["applies_to"])
    }

    @Test func defaultsAreValidDistinctAndCoverTheIssueList() {
        let defaults = BlockedFileType.defaults
        for rule in defaults {
            var reader = ParamReader(rule.fields)
            #expect(BlockedFileType.read(from: &reader) == rule, "\(rule.fileExtension)")
            #expect(rule.reason != nil)
        }
        let extensions = defaults.map(\.fileExtension)
        #expect(Set(extensions).count == extensions.count)
        #expect(extensions == extensions.sorted())
        let required = "exe bat cmd com scr pif js jse vbs vbe wsf wsh ps1 msi msp jar hta cpl lnk reg dll".split(separator: " ")
        #expect(required.allSatisfy { extensions.contains(String($0)) })
    }
}
