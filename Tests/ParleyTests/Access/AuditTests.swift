import Foundation
import GRDB
import ParleyModel
import ParleyTesting
import Testing

/// The audit record is written in the same transaction as the change it describes.
@Suite struct AuditTests {
    @Test func aChangeCannotCommitWithoutItsAuditRecord() async throws {
        try await TestServer.with { server in
            let fx = try await ConfigurationFixture.open(server)
            let tenant = try await fx.tenant("acme")
            let before = try await server.store.currentRevision()
            // Make every audit insert fail, from a second connection to the same file.
            let queue = try DatabaseQueue(path: server.databasePath)
            try await queue.write { db in
                try db.execute(sql: "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit refused'); END")
            }
            let refused = try await fx.client.call("groups.create", ["tenant_id": .string(tenant), "name": "Sales"])
            #expect(refused["error"]?["code"] == -32603)
            #expect(try await server.store.currentRevision() == before, "no revision without its audit record")
            #expect(try await fx.result("groups.list", ["tenant_id": .string(tenant)])["items"] == [], "and no change")
            try await queue.write { db in try db.execute(sql: "DROP TRIGGER refuse_audit") }
            try queue.close()

            _ = try await fx.result("groups.create", ["tenant_id": .string(tenant), "name": "Sales"])
            let records = try await fx.result("audit.list", ["tenant_id": .string(tenant), "method": "groups.create"])["items"]?.arrayValue ?? []
            #expect(records.count == 1)
            #expect(records.first?["outcome"] == "APPLIED")
            #expect(records.first?["revision"]?.intValue == before + 1)
            #expect(records.first?["changes"]?["name"] == ["before": nil, "after": "Sales"])
            await fx.client.close()
        }
    }

    @Test func refusalsDryRunsAndNoOpsAreRecordedToo() async throws {
        try await TestServer.with { server in
            let fx = try await ConfigurationFixture.open(server)
            let tenant = try await fx.tenant("acme")
            let other = try await fx.tenant("other")
            let group = try await fx.group(tenant, "Sales")
            _ = try await fx.result("groups.create", ["tenant_id": .string(tenant), "name": "Dry", "dry_run": true])
            _ = try await fx.result("groups.update", ["tenant_id": .string(tenant), "id": .string(group), "name": "Sales"])
            _ = try await fx.error("groups.create", ["tenant_id": .string(tenant), "name": ""])
            let reader = try await RawConnection.authenticated(
                port: server.port, apiKey: try await server.issueKey(role: .tenantReader, tenantId: tenant))
            _ = try await reader.call("groups.delete", ["tenant_id": .string(tenant), "id": .string(group)])
            _ = try await reader.call("groups.delete", ["tenant_id": .string(other), "id": .string(group)])
            _ = try await reader.call("groups.list", ["tenant_id": .string(tenant)])
            let items = try await fx.result("audit.list", ["tenant_id": .string(tenant)])["items"]?.arrayValue ?? []
            let outcomes = items.map { "\($0["method"]?.stringValue ?? "") \($0["outcome"]?.stringValue ?? "") \($0["error_code"]?.intValue ?? 0)" }
            #expect(outcomes.contains("groups.create DRY_RUN 0"))
            #expect(outcomes.contains("groups.update UNCHANGED 0"))
            #expect(outcomes.contains("groups.create FAILED -32602"))
            #expect(outcomes.contains("groups.delete DENIED -32003"))
            #expect(!outcomes.contains { $0.hasPrefix("groups.list") }, "reads are not audited")
            // An attempt on another tenant is filed in the caller's own tenant: the other tenant never sees it.
            #expect(items.contains { $0["method"] == "groups.delete" && $0["outcome"] == "DENIED" && $0["error_code"] == -32004 })
            let elsewhere = try await fx.result("audit.list", ["tenant_id": .string(other)])["items"]?.arrayValue ?? []
            #expect(!elsewhere.contains { $0["method"] == "groups.delete" })
            #expect(items.allSatisfy { $0["key_id"] != nil && $0["at"]?.stringValue != nil })
            await reader.close()
            await fx.client.close()
        }
    }
}
