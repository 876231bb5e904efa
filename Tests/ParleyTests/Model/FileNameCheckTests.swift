import Testing

@testable import ParleyModel

@Suite struct FileNameCheckTests {
    @Test func everySuffixCounts() throws {
        #expect(try FileNameCheck.extensions(of: "invoice.pdf.exe") == ["pdf", "exe"])
        #expect(try FileNameCheck.extensions(of: "a.exe.pdf") == ["exe", "pdf"])
        #expect(try FileNameCheck.extensions(of: ".bashrc") == ["bashrc"])
        #expect(try FileNameCheck.extensions(of: "README") == [])
        #expect(try FileNameCheck.extensions(of: "Setup.EXE. . ") == ["exe"])
        #expect(try FileNameCheck.extensions(of: "a..Exe") == ["exe"])
        #expect(try FileNameCheck.extensions(of: "x.exe .pdf") == ["exe", "pdf"])
    }

    @Test func refusedNames() {
        for name in ["", "...", " . ", "   ", "a/b.pdf", "a\\b.pdf", "a\u{0}.pdf"] {
            #expect(throws: ConfigError.self, "\(name.debugDescription)") { try FileNameCheck.extensions(of: name) }
            do {
                _ = try FileNameCheck.extensions(of: name)
            } catch {
                guard case .invalid(let issues) = error else { Issue.record("not invalid"); continue }
                #expect(issues.map(\.path) == ["file_name"])
            }
        }
    }

    @Test func matchesByExtensionMimeTypeAndDirection() {
        let rules = [
            BlockedFileType(fileExtension: "exe", mimeType: "application/x-msdownload", reason: "programs"),
            BlockedFileType(fileExtension: "pdf", appliesTo: [.clientUpload]),
        ]
        let exe = FileNameCheck.check(fileName: "Invoice.PDF.exe", rules: rules)
        #expect(!exe.allowed)
        #expect(exe.matched.map(\.ruleIndex) == [0, 1])
        #expect(exe.reasons == ["extension .exe is blocked: programs", "extension .pdf is blocked"])

        let spoofed = FileNameCheck.check(
            fileName: "report.txt", mimeType: "Application/X-MSDownload; charset=binary", rules: rules)
        #expect(spoofed.matched.map(\.matchedOn) == [.mimeType])
        #expect(spoofed.reasons == ["MIME type application/x-msdownload is blocked: programs"])

        #expect(FileNameCheck.check(fileName: "report.pdf", direction: .operatorUpload, rules: rules).allowed)
        #expect(!FileNameCheck.check(fileName: "report.pdf", direction: .clientUpload, rules: rules).allowed)
        #expect(FileNameCheck.check(fileName: "photo.jpg", mimeType: "image/jpeg", rules: rules).allowed)
    }

    @Test func resultJSON() {
        let rules = [BlockedFileType(fileExtension: "exe", reason: "programs", appliesTo: [.clientUpload])]
        let result = FileNameCheck.check(fileName: "a.exe", rules: rules)
        #expect(
            result.json(ids: ["bft_1"]) == [
                "allowed": false,
                "matched": [
                    [
                        "id": "bft_1", "extension": "exe", "mime_type": .null, "reason": "programs",
                        "applies_to": ["CLIENT_UPLOAD"], "matched_on": "extension",
                    ]
                ],
                "reasons": ["extension .exe is blocked: programs"],
            ])
        #expect(FileNameCheck.check(fileName: "a.txt", rules: rules).json == ["allowed": true, "matched": [], "reasons": []])
    }

    @Test func directionMayBeGivenByItsWireValue() {
        let rules = [BlockedFileType(fileExtension: "pdf", appliesTo: [.clientUpload])]
        #expect(FileNameCheck.check(fileName: "a.pdf", mimeType: nil, direction: "OPERATOR_UPLOAD", rules: rules).allowed)
        #expect(!FileNameCheck.check(fileName: "a.pdf", mimeType: nil, direction: "CLIENT_UPLOAD", rules: rules).allowed)
        #expect(!FileNameCheck.check(fileName: "a.pdf", mimeType: nil, direction: Optional<String>.none, rules: rules).allowed)
        #expect(BlockedFileType.directions == ["OPERATOR_UPLOAD", "CLIENT_UPLOAD", "EMAIL_ATTACHMENT"])
    }

    @Test func aRefusedNameCanStillMatchByMimeType() {
        let rules = [BlockedFileType(fileExtension: "exe", mimeType: "application/x-msdownload")]
        #expect(FileNameCheck.check(fileName: "a/b.exe", rules: rules).allowed)
        #expect(FileNameCheck.check(fileName: "a/b.exe", mimeType: "application/x-msdownload", rules: rules).matched.map(\.matchedOn) == [.mimeType])
    }

    @Test func seededDefaultsBlockDoubleExtensions() {
        let result = FileNameCheck.check(fileName: "faktura.pdf.js", rules: BlockedFileType.defaults)
        #expect(result.matched.map(\.rule.fileExtension) == ["js"])
        #expect(FileNameCheck.check(fileName: "faktura.pdf", rules: BlockedFileType.defaults).allowed)
    }
}

/// Issue 11 (8): NTFS alternate data streams name the file before the colon.
@Suite struct AlternateDataStreamTests {
    @Test func theNameBeforeAColonIsCheckedToo() throws {
        #expect(try FileNameCheck.extensions(of: "invoice.exe::$DATA") == ["exe::$data", "exe"])
        #expect(try FileNameCheck.extensions(of: "invoice.exe:$DATA") == ["exe:$data", "exe"])
        #expect(try FileNameCheck.extensions(of: "invoice.pdf:evil.exe") == ["pdf:evil", "exe", "pdf"])
        let rules = [BlockedFileType(fileExtension: "exe")]
        for name in ["invoice.exe::$DATA", "invoice.exe:$DATA", "INVOICE.EXE:Zone.Identifier", "report.pdf:payload.exe"] {
            #expect(FileNameCheck.check(fileName: name, rules: rules).matched.count == 1, "\(name)")
        }
        #expect(FileNameCheck.check(fileName: "notes.txt:meta", rules: rules).matched.isEmpty)
    }
}
