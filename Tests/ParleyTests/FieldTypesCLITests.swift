import Foundation
import ParleyModel
import ParleyProtocol
import Testing

/// `--set` and `--file` values converted by the field's type in the server's OpenRPC document
/// (issue 16): digits for a text field stay text, integer fields parse, lists and objects are JSON,
/// and what cannot be converted says how to write it.
@Suite(.serialized) struct FieldTypesCLITests {
    @Test func valuesFollowTheFieldsSchema() async throws {
        let cli = try await CLIServer.start("parley-types")
        defer { cli.removeFolder() }
        cli.environment["PARLEY_TENANT"] = try #require(
            try cli.json(try await cli.parley("tenants", "create", "--slug", "types", "--name", "Types", "--output", "json"))["id"]?.stringValue)

        // Integers, booleans and JSON lists where the schema says so; digits as text for a text field.
        let group = try cli.json(
            try await cli.parley(
                "groups", "create", "--set", "name=2024", "--set", "queue_size=10", "--set", "enabled=false",
                "--set", #"member_user_ids=["u1","u2"]"#, "--output", "json"))
        #expect(group["name"] == "2024")
        #expect(group["queue_size"] == 10 && group["enabled"] == false && group["member_user_ids"] == ["u1", "u2"])
        let groupId = try #require(group["id"]?.stringValue)

        // The bug of issue 16: waba_id=104996122399162 was sent as an integer and refused.
        let number = try cli.json(
            try await cli.parley(
                "whatsapp-numbers", "create", "--set", "name=Sales line", "--set", "phone_number=+420601333001",
                "--set", "waba_id=104996122399162", "--set", "routing_group_id=\(groupId)", "--set", "phone_number_id=0123456789", "--output", "json"))
        #expect(number["waba_id"] == "104996122399162")
        #expect(number["phone_number_id"] == "0123456789", "the text as typed, leading zero kept")
        let numberId = try #require(number["id"]?.stringValue)
        let updated = try cli.json(
            try await cli.parley(
                "whatsapp-numbers", "update", numberId, "--set", "waba_id=104996122399999", "--set", "phone_number_id=null", "--output", "json"))
        #expect(updated["waba_id"] == "104996122399999" && updated["phone_number_id"] == .null)

        // The same in YAML: unquoted digits, an unquoted +phone number, a number for a nullable text.
        let yaml = try cli.file(
            "number.yaml",
            """
            name: Support line
            phone_number: +420601333002
            waba_id: 104996122399162
            verified_name: 2024
            phone_number_id: ~
            routing_group_id: \(groupId)
            profile:
              email: info@example.cz
              websites: [https://example.cz]
            """)
        let fromYAML = try cli.json(try await cli.parley("whatsapp-numbers", "create", "--file", yaml, "--output", "json"))
        #expect(fromYAML["waba_id"] == "104996122399162" && fromYAML["phone_number"] == "+420601333002")
        #expect(fromYAML["verified_name"] == "2024" && fromYAML["phone_number_id"] == .null)
        #expect(fromYAML["profile"]?["websites"] == ["https://example.cz"])
        // JSON files: a number where text is wanted becomes its text too.
        let jsonFile = try cli.file("group.json", #"{"name": 42, "max_acw_seconds": 30}"#)
        let fromJSON = try cli.json(try await cli.parley("groups", "create", "--file", jsonFile, "--output", "json"))
        #expect(fromJSON["name"] == "42" && fromJSON["max_acw_seconds"] == 30)

        // What cannot be converted is refused before the call, saying how to write it.
        let notInteger = try await cli.parley("groups", "create", "--set", "name=X", "--set", "queue_size=ten")
        #expect(notInteger.status == 64)
        #expect(
            notInteger.stderr.contains(#"queue_size takes an integer, not "ten""#) && notInteger.stderr.contains("--set queue_size=10"), "\(notInteger.stderr)")
        let notList = try await cli.parley("groups", "create", "--set", "name=X", "--set", "member_user_ids=u1")
        #expect(notList.status == 64)
        #expect(notList.stderr.contains(#"--set 'member_user_ids=["a","b"]'"#) && notList.stderr.contains("single quotes"), "\(notList.stderr)")
        let quoted = try await cli.parley("groups", "create", "--file", try cli.file("quoted.yaml", "name: X\nqueue_size: \"10\"\n"))
        #expect(quoted.status == 64)
        #expect(quoted.stderr.contains("queue_size takes an integer") && quoted.stderr.contains("remove the quotes"), "\(quoted.stderr)")
        let notBoolean = try await cli.parley("groups", "update", groupId, "--set", "enabled=yes")
        #expect(notBoolean.status == 64 && notBoolean.stderr.contains("enabled takes true or false"), "\(notBoolean.stderr)")
        #expect(try await cli.stop() == 0)
    }
}
