import ParleyModel
import Testing

@testable import ParleyServer

/// The typed params of the methods (issue 17): the write options in the order every method
/// reads them, and an update's controls kept for the handler instead of thrown.
@Suite struct MethodParamsTests {
    @Test func writeOptionsReadExpectedRevisionCascadeThenDryRun() {
        var reader = ParamReader(["dry_run": "yes", "cascade": 1, "expected_revision": -1])
        _ = WriteOptions(reading: &reader, taking: [.expectedRevision, .cascade])
        #expect(reader.issues.map(\.path) == ["expected_revision", "cascade", "dry_run"])
        var plain = ParamReader(["dry_run": true, "expected_revision": 3])
        let options = WriteOptions(reading: &plain)
        #expect(options.dryRun && options.expectedRevision == nil && !plain.isKnown("expected_revision"))
    }

    @Test func aCascadingDeleteTakesCascadeAndAPlainOneDoesNot() throws {
        let params: [String: JSONValue] = ["tenant_id": "ten_1", "id": "wan_1", "cascade": true]
        var cascading = ParamReader(params)
        #expect(try CascadingDeleteParams(reading: &cascading).options.cascade)
        var plain = ParamReader(params)
        #expect(throws: ConfigError.invalid([ValidationIssue(path: "cascade", message: "is not a known parameter")])) {
            _ = try DeleteResourceParams(reading: &plain)
        }
    }

    @Test func anUpdateKeepsItsControlProblemsAndItsChanges() {
        var reader = ParamReader(["tenant_id": "ten_1", "id": "grp_1", "dry_run": 1, "name": "Care"])
        let params = UpdateResourceParams<OperatorGroup>(reading: &reader)
        guard case .invalid(let issues, let address) = params.controls else {
            Issue.record("the controls should be invalid")
            return
        }
        #expect(issues == [ValidationIssue(path: "dry_run", message: "must be a boolean, not integer")])
        #expect(address?.id == "grp_1" && params.changes == ["name": "Care"])
    }

    @Test func unknownMembersAreReportedOnceInOrderAndThenCountAsKnown() {
        var reader = ParamReader(["name": "Sales", "zulu": 1, "alpha": 2])
        _ = reader.string("name")
        _ = reader.string("name")
        _ = reader.string("missing")
        #expect(reader.isKnown("name") && reader.isKnown("missing") && !reader.isKnown("alpha"))
        reader.reportUnknownMembers()
        reader.reportUnknownMembers()
        #expect(reader.issues.map(\.path) == ["alpha", "zulu"])
        #expect(reader.isKnown("alpha") && reader.isKnown("zulu") && !reader.isKnown("other"))
        var clean = ParamReader(["name": "Sales"])
        _ = clean.string("name")
        #expect(throws: Never.self) { try clean.finish() }
    }
}
