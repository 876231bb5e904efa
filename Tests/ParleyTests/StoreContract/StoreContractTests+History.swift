import Foundation
import ParleyModel
import ParleyStore
import Testing

/// The contract, continued: the change log and its positions, API keys, `config.apply` and
/// export, template states, tenant deletion.
extension StoreContractTests {
    @Test(arguments: StoreUnderTest.available)
    func theChangeLogRecordsEveryChangeInRevisionOrder(_ kind: StoreUnderTest) async throws {
        try await kind.with { store in
            let tenant = try await C.tenant(store)
            let group = try await C.group(store, tenant, "Logged")
            let updated = try await store.updateResource(
                OperatorGroup.self, tenantId: tenant.id, id: group.id, expectedRevision: nil, changes: ["name": "Logged twice"], dryRun: false, audit: C.audit)
            _ = try await store.deleteResource(.group, tenantId: tenant.id, id: group.id, expectedRevision: nil, cascade: false, dryRun: false, audit: C.audit)
            let all = try await store.changes(after: 0, matching: ChangeFilter(tenantId: tenant.id, families: nil), limit: 1000)
            #expect(all.map(\.sequence) == all.map(\.sequence).sorted() && Set(all.map(\.sequence)).count == all.count)
            #expect(all.map(\.revision) == all.map(\.revision).sorted())
            #expect(all.first?.family == "tenants" && all.first?.type == "created")
            let groups = try await store.changes(after: 0, matching: ChangeFilter(tenantId: tenant.id, families: ["groups"]), limit: 1000)
            #expect(groups.map(\.type) == ["created", "updated", "deleted"])
            #expect(groups[1].object?["name"] == "Logged twice" && groups[1].revision == updated.resource.revision)
            #expect(groups[2].object == nil)
            #expect(groups.allSatisfy { $0.id == group.id && $0.tenantId == tenant.id })
            // A watch resuming after the update sees only the delete.
            guard case .at(let position, let current) = try await store.changePosition(atRevision: updated.resource.revision) else {
                Issue.record("the history is still there")
                return
            }
            #expect(current == updated.resource.revision + 1)
            let after = try await store.changes(after: position, matching: ChangeFilter(tenantId: nil, families: nil), limit: 10)
            #expect(after.map(\.type) == ["deleted"])
            #expect(try await store.changes(after: 0, matching: ChangeFilter(tenantId: "tnt_other", families: nil), limit: 10).isEmpty)
            // Compacted history is gone, and says from where it can resume.
            let removed = try await store.compactChanges(keepRevisions: 0, olderThan: Timestamp.now().adding(milliseconds: 60_000))
            #expect(removed == all.count)
            #expect(try await store.changePosition(atRevision: 1) == .gone(compactRevision: current))
        }
    }

    @Test(arguments: StoreUnderTest.available)
    func keysAreCreatedRevokedAndRotatedOnce(_ kind: StoreUnderTest) async throws {
        try await kind.with { store in
            let tenant = try await C.tenant(store)
            await #expect(throws: ConfigError.self) { _ = try await store.createAPIKey(C.key(tenantId: "tnt_missing"), dryRun: false, audit: C.audit) }
            let admin = try await store.createAPIKey(C.key(tenantId: nil, role: .admin), dryRun: false, audit: C.audit)
            let key = try await store.createAPIKey(C.key(tenantId: tenant.id), dryRun: false, audit: C.audit)
            #expect(key.revision == 3)
            #expect(try await store.apiKey(id: key.id) == key)
            #expect(try await store.usableAdminKeyCount(at: .now()) == 1)
            #expect(try await store.apiKeys(tenantId: tenant.id, after: nil, limit: 10).map(\.id) == [key.id])
            #expect(try await store.apiKeys(tenantId: nil, after: nil, limit: 10).map(\.id) == [admin.id, key.id].sorted())
            let replacement = C.key(tenantId: tenant.id)
            let (old, new) = try await store.rotateAPIKey(id: key.id, replacement: replacement, graceSeconds: 60, dryRun: false, audit: C.audit)
            #expect(old.replacedBy == new.id && new.id == replacement.id && old.revision == new.revision)
            #expect(try #require(old.expiresAt) <= Timestamp.now().adding(milliseconds: 60_000))
            #expect(
                await C.conflict {
                    _ = try await store.rotateAPIKey(id: key.id, replacement: C.key(tenantId: tenant.id), graceSeconds: 60, dryRun: false, audit: C.audit)
                } == "already_rotated")
            let revoked = try await store.revokeAPIKey(id: new.id, expectedRevision: nil, dryRun: false, audit: C.audit)
            #expect(revoked.revokedAt != nil)
            let again = try await store.revokeAPIKey(id: new.id, expectedRevision: nil, dryRun: false, audit: C.audit)
            #expect(again.revision == revoked.revision, "revoking a revoked key changes nothing")
            let revision = try await store.currentRevision()
            try await store.recordKeyUse(id: admin.id, at: Timestamp(millisecondsSinceEpoch: 1_800_000_000_000))
            #expect(try await store.apiKey(id: admin.id)?.lastUsedAt == Timestamp(millisecondsSinceEpoch: 1_800_000_000_000))
            #expect(try await store.currentRevision() == revision, "bookkeeping makes no revision")
            _ = try await store.deleteTenant(id: tenant.id, expectedRevision: nil, cascade: true, dryRun: false, audit: C.audit)
            #expect(try await store.apiKey(id: old.id) == nil, "a tenant's keys go with it")
        }
    }

    @Test(arguments: StoreUnderTest.available)
    func applyMakesTheTenantWhatTheDocumentSays(_ kind: StoreUnderTest) async throws {
        try await kind.with { store in
            let tenant = try await C.tenant(store)
            _ = try await C.group(store, tenant, "Kept")
            _ = try await C.group(store, tenant, "Pruned")
            guard case .object(var document) = try await store.exportConfiguration(tenantId: tenant.id) else {
                Issue.record("export is an object")
                return
            }
            document["groups"] = [["name": "Kept"], ["name": "Added", "fallback_group": "Kept"]]
            let revision = try await store.currentRevision()
            #expect(
                await C.conflict {
                    _ = try await store.applyConfiguration(
                        tenantId: tenant.id, document: document, prune: true, expectedRevision: revision - 1, dryRun: false, audit: C.audit)
                } == "revision_mismatch")
            let dry = try await store.applyConfiguration(
                tenantId: tenant.id, document: document, prune: true, expectedRevision: revision, dryRun: true, audit: C.audit)
            #expect(try await store.currentRevision() == revision)
            let plan = try await store.applyConfiguration(
                tenantId: tenant.id, document: document, prune: true, expectedRevision: revision, dryRun: false, audit: C.audit)
            #expect(plan["revision"] == .int(revision + 1), "one revision for the whole document")
            #expect(plan["create"] == dry["create"] && plan["delete"] == dry["delete"])
            let names = try await store.resources(.group, tenantId: tenant.id, query: ResourceQuery(limit: 10)).compactMap { $0.fields["name"]?.stringValue }
            #expect(Set(names) == ["Kept", "Added"])
            let again = try await store.applyConfiguration(
                tenantId: tenant.id, document: document, prune: true, expectedRevision: nil, dryRun: false, audit: C.audit)
            #expect(again["revision"] == .int(revision + 1), "applying the same document again changes nothing")
        }
    }

    /// Meta's editing rules (issue 15): not while PENDING; an APPROVED template once in 24 hours,
    /// never to another category; every edit back to PENDING; set_status records Meta's review.
    @Test(arguments: StoreUnderTest.available)
    func templatesAreEditedAsMetaAllows(_ kind: StoreUnderTest) async throws {
        try await kind.with { store in
            let tenant = try await C.tenant(store)
            let number = try await C.number(store, tenant, group: try await C.group(store, tenant, "Routing"), phone: "+420777000222")
            let template = try await C.template(store, tenant, number: number, name: "receipt")
            let edit = { (changes: [String: JSONValue]) in
                try await store.updateResource(
                    WhatsAppTemplate.self, tenantId: tenant.id, id: template.id, expectedRevision: nil, changes: changes, dryRun: false,
                    audit: C.audit
                ).resource
            }
            let review = { (review: TemplateReview) in
                try await store.setTemplateStatus(
                    tenantId: tenant.id, id: template.id, review: review, expectedRevision: nil, dryRun: false, audit: C.audit)
            }
            #expect(await C.conflict { _ = try await edit(["components": ["body": ["text": "Too early."]]]) } == "not_editable")

            let approved = try await review(TemplateReview(status: .approved, metaTemplateId: "594425479261596", qualityScore: .green))
            #expect(approved.state["status"] == "APPROVED" && approved.state["meta_template_id"] == "594425479261596")
            #expect(approved.state["quality_score"] == "GREEN" && approved.state["approved_at"] != .null)
            #expect(await C.conflict { _ = try await edit(["category": "UTILITY"]) } == "immutable")
            let edited = try await edit(["components": ["body": ["text": "Changed once."]]])
            #expect(edited.state["status"] == "PENDING" && edited.state["edits_while_approved"]?.arrayValue?.count == 1)
            #expect(edited.state["approved_at"] == approved.state["approved_at"], "the first approval is kept")
            _ = try await review(TemplateReview(status: .approved))
            #expect(await C.conflict { _ = try await edit(["components": ["body": ["text": "Changed twice."]]]) } == "edit_limit")

            // Rejected: edited without limit; Meta's reason recorded; a category Meta moved it to kept.
            let rejected = try await review(TemplateReview(status: .rejected, rejectedReason: .incorrectCategory, category: .utility))
            #expect(rejected.state["rejected_reason"] == "INCORRECT_CATEGORY")
            #expect(rejected.fields["category"] == "UTILITY" && rejected.state["previous_category"] == "MARKETING")
            for text in ["Fixed.", "Fixed again."] {
                _ = try await review(TemplateReview(status: .rejected, rejectedReason: .invalidFormat))
                #expect(try await edit(["components": ["body": ["text": .string(text)]]]).state["status"] == "PENDING")
            }
            // Recording the same review again changes nothing.
            let paused = try await review(TemplateReview(status: .paused))
            #expect(try await review(TemplateReview(status: .paused)).revision == paused.revision)
        }
    }

    @Test(arguments: StoreUnderTest.available)
    func aTenantWithConfigurationIsDeletedOnlyWithCascade(_ kind: StoreUnderTest) async throws {
        try await kind.with { store in
            let tenant = try await C.tenant(store)
            let empty = try await C.tenant(store, "empty")
            // The default block list does not count.
            _ = try await store.deleteTenant(id: empty.id, expectedRevision: nil, cascade: false, dryRun: false, audit: C.audit)
            _ = try await C.group(store, tenant, "Left over")
            #expect(
                await C.conflict { _ = try await store.deleteTenant(id: tenant.id, expectedRevision: nil, cascade: false, dryRun: false, audit: C.audit) }
                    == "in_use")
            let revision = try await store.deleteTenant(id: tenant.id, expectedRevision: nil, cascade: true, dryRun: false, audit: C.audit)
            let current = try await store.currentRevision()
            #expect(revision == current)
            #expect(try await store.tenant(id: tenant.id) == nil)
            await #expect(throws: ConfigError.self) { _ = try await store.resources(.group, tenantId: tenant.id, query: ResourceQuery(limit: 10)) }
        }
    }
}
