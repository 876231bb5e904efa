import Foundation
import ParleyModel
import ParleyStore
import Testing

/// The store contract: every store (SQLite always, PostgreSQL when there is one) must behave the
/// same through the seam (issue 13). Writes are the shared rules; what differs is storage, and
/// these tests pin down what storage must guarantee: revisions, dry runs, audit records in the
/// same transaction, unique keys, references and cascades, the change log, paging.
@Suite struct StoreContractTests {
    typealias C = Contract

    @Test(arguments: StoreUnderTest.available)
    func everyCommittedWriteTakesOneRevisionAndDryRunsAndNoOpsNone(_ kind: StoreUnderTest) async throws {
        try await kind.with { store in
            #expect(try await store.currentRevision() == 0)
            let dry = try await store.createTenant(TenantInput(slug: "acme", name: "Acme"), seedBlockedFileTypes: true, dryRun: true, audit: C.audit)
            #expect(dry.revision == 1)
            #expect(try await store.currentRevision() == 0)
            #expect(try await store.tenant(id: dry.id) == nil)
            let tenant = try await C.tenant(store)
            #expect(tenant.revision == 1)
            #expect(try await store.tenant(id: tenant.id) == tenant)
            let renamed = try await store.updateTenant(id: tenant.id, expectedRevision: 1, patch: TenantPatch(name: "ACME"), dryRun: false, audit: C.audit)
            #expect(renamed.revision == 2)
            let same = try await store.updateTenant(id: tenant.id, expectedRevision: nil, patch: TenantPatch(name: "ACME"), dryRun: false, audit: C.audit)
            #expect(same.revision == 2, "a no-op update creates no revision")
            do {
                _ = try await store.updateTenant(id: tenant.id, expectedRevision: 1, patch: TenantPatch(name: "x"), dryRun: false, audit: C.audit)
                Issue.record("a stale expected_revision must conflict")
            } catch ConfigError.conflict(let reason, _, let current, _) {
                #expect(reason == "revision_mismatch")
                #expect(current == 2)
            }
            #expect(try await store.currentRevision() == 2)
            let outcomes = try await store.auditRecords(AuditQuery(limit: 10)).map(\.outcome)
            #expect(outcomes == [.failed, .unchanged, .applied, .applied, .dryRun], "newest first, one per attempt")
            let records = try await store.auditRecords(AuditQuery(limit: 10))
            #expect(records[0].errorCode == -32009, "the failed attempt carries the caller's error code")
            #expect(records[2].revision == 2 && records[3].revision == 1 && records[4].revision == nil)
        }
    }

    @Test(arguments: StoreUnderTest.available)
    func uniqueKeysAreHeldUntilTheirObjectGoes(_ kind: StoreUnderTest) async throws {
        try await kind.with { store in
            let tenant = try await C.tenant(store)
            #expect(await C.conflict { _ = try await C.tenant(store) } == "already_exists")
            let sales = try await C.group(store, tenant, "Sales")
            #expect(await C.conflict { _ = try await C.group(store, tenant, "SALES") } == "already_exists")
            let other = try await C.tenant(store, "other")
            _ = try await C.group(store, other, "Sales")  // another tenant's names are its own
            _ = try await store.deleteResource(.group, tenantId: tenant.id, id: sales.id, expectedRevision: nil, cascade: false, dryRun: false, audit: C.audit)
            _ = try await C.group(store, tenant, "Sales")
            let group = try #require(try await store.resources(.group, tenantId: tenant.id, query: ResourceQuery(limit: 10)).first)
            let renamed = try await store.updateResource(
                OperatorGroup.self, tenantId: tenant.id, id: group.id, expectedRevision: group.revision, changes: ["name": "Support"], dryRun: false,
                audit: C.audit)
            #expect(renamed.resource.fields["name"] == "Support")
            _ = try await C.group(store, tenant, "Sales")  // the old name was released by the rename
        }
    }

    @Test(arguments: StoreUnderTest.available)
    func referencesBlockDeletesAndCascadesTakeTheDependents(_ kind: StoreUnderTest) async throws {
        try await kind.with { store in
            let tenant = try await C.tenant(store)
            let group = try await C.group(store, tenant, "Routing")
            let number = try await C.number(store, tenant, group: group, phone: "+420777000111")
            let template = try await C.template(store, tenant, number: number, name: "welcome")
            #expect(
                await C.conflict {
                    _ = try await store.deleteResource(
                        .group, tenantId: tenant.id, id: group.id, expectedRevision: nil, cascade: false, dryRun: false, audit: C.audit)
                } == "in_use")
            #expect(
                await C.conflict {
                    _ = try await store.deleteResource(
                        .whatsappNumber, tenantId: tenant.id, id: number.id, expectedRevision: nil, cascade: false, dryRun: false, audit: C.audit)
                } == "in_use")
            let before = try await store.currentRevision()
            let dry = try await store.deleteResource(
                .whatsappNumber, tenantId: tenant.id, id: number.id, expectedRevision: nil, cascade: true, dryRun: true, audit: C.audit)
            #expect(dry.cascaded.map(\.id) == [template.id])
            #expect(try await store.currentRevision() == before)
            let deletion = try await store.deleteResource(
                .whatsappNumber, tenantId: tenant.id, id: number.id, expectedRevision: nil, cascade: true, dryRun: false, audit: C.audit)
            #expect(deletion.revision == before + 1 && deletion.cascaded.map(\.id) == [template.id])
            #expect(try await store.resource(.template, tenantId: tenant.id, id: template.id) == nil)
            _ = try await store.deleteResource(.group, tenantId: tenant.id, id: group.id, expectedRevision: nil, cascade: false, dryRun: false, audit: C.audit)
            await #expect(throws: ConfigError.self) { _ = try await store.resource(.group, tenantId: "tnt_missing", id: group.id) }
        }
    }

    @Test(arguments: StoreUnderTest.available)
    func fallbackChainsStayAcyclic(_ kind: StoreUnderTest) async throws {
        try await kind.with { store in
            let tenant = try await C.tenant(store)
            let first = try await C.group(store, tenant, "First")
            let second = try await C.group(store, tenant, "Second", fields: ["fallback_group_id": .string(first.id)])
            await #expect(throws: ConfigError.self) {
                _ = try await store.updateResource(
                    OperatorGroup.self, tenantId: tenant.id, id: first.id, expectedRevision: nil, changes: ["fallback_group_id": .string(second.id)],
                    dryRun: false, audit: C.audit)
            }
            #expect(try await store.resource(.group, tenantId: tenant.id, id: first.id)?.fields["fallback_group_id"] ?? .null == .null)
        }
    }

    @Test(arguments: StoreUnderTest.available)
    func listsPageInIdOrderWithPrefixes(_ kind: StoreUnderTest) async throws {
        try await kind.with { store in
            let tenant = try await C.tenant(store)
            var created: [String] = []
            for index in 0..<23 { created.append(try await C.group(store, tenant, index % 2 == 0 ? "Even \(index)" : "odd \(index)").id) }
            var seen: [String] = []
            var query = ResourceQuery(limit: 10)
            while true {
                let page = try await store.resources(.group, tenantId: tenant.id, query: query)
                seen += page.map(\.id)
                guard page.count == 10, let last = page.last else { break }
                query.afterID = last.id
            }
            #expect(seen == created.sorted() && seen.count == 23)
            var prefixed = ResourceQuery(limit: 100)
            prefixed.namePrefix = "even"
            #expect(try await store.resources(.group, tenantId: tenant.id, query: prefixed).count == 12)
            let tenants = try await store.tenants(after: nil, limit: 10)
            #expect(tenants.map(\.id) == [tenant.id])
        }
    }

    @Test(arguments: StoreUnderTest.available)
    func concurrentWritesTakeDistinctConsecutiveRevisions(_ kind: StoreUnderTest) async throws {
        try await kind.with { store in
            let tenant = try await C.tenant(store)
            let revisions = try await withThrowingTaskGroup(of: Int64.self) { group in
                for index in 0..<40 { group.addTask { try await C.group(store, tenant, "Parallel \(index)").revision } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(revisions.sorted() == Array(2...41))
            #expect(try await store.currentRevision() == 41)
        }
    }
}
