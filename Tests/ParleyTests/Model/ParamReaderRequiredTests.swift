import ParleyModel
import Testing

/// `ParamReader.finish(_:)` (issue 17): the required values read, unwrapped once every problem is
/// known, or every problem thrown together as `finish()` throws them.
@Suite struct ParamReaderRequiredTests {
    @Test func handsBackTheRequiredValues() throws {
        var reader = ParamReader(["tenant_id": "ten_1", "limit": 5])
        let tenantId = reader.string("tenant_id", required: true)
        let limit = reader.integer("limit", required: true)
        let (readTenant, readLimit) = try reader.finish(tenantId, limit)
        #expect(readTenant == "ten_1" && readLimit == 5)
        var single = ParamReader(["id": "grp_1"])
        let id = single.string("id", required: true)
        #expect(try single.finish(id) == "grp_1")
    }

    @Test func throwsEveryProblemInReadingOrderThenTheUnknownMembers() {
        var reader = ParamReader(["id": 7, "zeta": true, "alpha": 1])
        let tenantId = reader.string("tenant_id", required: true)
        let id = reader.string("id", required: true)
        #expect(
            throws: ConfigError.invalid([
                ValidationIssue(path: "tenant_id", message: "is required"),
                ValidationIssue(path: "id", message: "must be a string, not integer"),
                ValidationIssue(path: "alpha", message: "is not a known parameter"),
                ValidationIssue(path: "zeta", message: "is not a known parameter"),
            ])
        ) { _ = try reader.finish(tenantId, id) }
    }

    @Test func aValueLeftNilWithoutAProblemIsRefusedNotTrapped() {
        var reader = ParamReader([:])
        let forgotten: String? = nil
        #expect(throws: ConfigError.invalid([ParamReader.missingValue])) { _ = try reader.finish(forgotten) }
    }
}
