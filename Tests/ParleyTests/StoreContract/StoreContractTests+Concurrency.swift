import Foundation
import ParleyModel
import ParleyStore
import Testing

/// The contract under concurrent writes: a store may share one transaction among writes (group
/// commit) and take shortcuts inside it (PostgreSQL's optimistic savepoints, which run a batch
/// again when one of its writes has to roll back), but every write is still exactly one attempt.
extension StoreContractTests {
    @Test(arguments: StoreUnderTest.available)
    func concurrentWritesThatFailDryRunOrChangeNothingCommitExactlyTheOthers(_ kind: StoreUnderTest) async throws {
        try await kind.with { store in
            let tenant = try await C.tenant(store)
            let existing = try await C.group(store, tenant, "Existing")
            let rounds = 12
            var groups: (renamed: [StoredResource], doomed: [StoredResource]) = ([], [])
            for round in 0..<rounds {
                groups.renamed.append(try await C.group(store, tenant, "Renamed \(round)"))
                groups.doomed.append(try await C.group(store, tenant, "Doomed \(round)"))
            }
            let base = try await store.currentRevision()
            let method = "contract.concurrent"
            let audit = { @Sendable in AuditContext(keyId: nil, method: method, tenantId: tenant.id, targetType: nil, targetId: nil) }
            let group = { @Sendable (name: String) in try C.content(OperatorGroup.self, ["name": .string(name)]) }

            // Per round: a new group, a second group named "Twin" (one of them wins), a dry run, a
            // no-op update, a create in a missing tenant, a rename and a delete: sent at once, so
            // that they share batches. Renames and deletes report their revisions.
            let (renamed, doomed) = groups
            let (outcomes, reported) = try await withThrowingTaskGroup(of: (outcome: String, logged: (String, Int64)?).self) { tasks in
                for round in 0..<rounds {
                    tasks.addTask {
                        let (updated, _) = try await store.updateResource(
                            OperatorGroup.self, tenantId: tenant.id, id: renamed[round].id, expectedRevision: nil,
                            changes: ["name": .string("Renamed again \(round)")], dryRun: false, audit: audit())
                        return ("renamed", ("updated \(updated.id)", updated.revision))
                    }
                    tasks.addTask {
                        let deletion = try await store.deleteResource(
                            .group, tenantId: tenant.id, id: doomed[round].id, expectedRevision: nil, cascade: false, dryRun: false, audit: audit())
                        return ("deleted", ("deleted \(doomed[round].id)", deletion.revision))
                    }
                    tasks.addTask {
                        _ = try await store.createResource(try group("New \(round)"), tenantId: tenant.id, state: nil, dryRun: false, audit: audit())
                        return ("created", nil)
                    }
                    tasks.addTask {
                        let refused = await C.conflict {
                            _ = try await store.createResource(try group("Twin"), tenantId: tenant.id, state: nil, dryRun: false, audit: audit())
                        }
                        return (refused ?? "created", nil)
                    }
                    tasks.addTask {
                        _ = try await store.createResource(try group("Dry \(round)"), tenantId: tenant.id, state: nil, dryRun: true, audit: audit())
                        return ("dry run", nil)
                    }
                    tasks.addTask {
                        _ = try await store.updateResource(
                            OperatorGroup.self, tenantId: tenant.id, id: existing.id, expectedRevision: nil, changes: ["name": "Existing"],
                            dryRun: false, audit: audit())
                        return ("unchanged", nil)
                    }
                    tasks.addTask {
                        do {
                            _ = try await store.createResource(try group("Lost"), tenantId: "tnt_missing", state: nil, dryRun: false, audit: audit())
                            return ("created", nil)
                        } catch ConfigError.notFound {
                            return ("not found", nil)
                        }
                    }
                }
                var outcomes: [String: Int] = [:]
                var reported: [String: Int64] = [:]
                for try await (outcome, logged) in tasks {
                    outcomes[outcome, default: 0] += 1
                    if let (change, revision) = logged { reported[change] = revision }
                }
                return (outcomes, reported)
            }
            #expect(
                outcomes == [
                    "created": rounds + 1, "already_exists": rounds - 1, "dry run": rounds, "unchanged": rounds, "not found": rounds,
                    "renamed": rounds, "deleted": rounds,
                ])

            // One revision per committed write, none for the others, and no gap; each change in
            // the log at the revision its write reported.
            let committed = Int64(3 * rounds + 1)
            #expect(try await store.currentRevision() == base + committed)
            let changes = try await store.changes(after: 0, matching: ChangeFilter(tenantId: tenant.id, families: ["groups"]), limit: 1000)
                .filter { $0.revision > base }
            #expect(changes.map(\.revision) == Array(base + 1...base + committed))
            #expect(changes.filter { $0.type == "created" }.count == rounds + 1)
            let logged = Dictionary(changes.filter { $0.type != "created" }.map { ("\($0.type) \($0.id)", $0.revision) }) { first, _ in first }
            #expect(logged == reported)
            let names = try await store.resources(.group, tenantId: tenant.id, query: ResourceQuery(limit: 100)).compactMap { $0.fields["name"]?.stringValue }
            #expect(Set(names) == Set(["Existing", "Twin"] + (0..<rounds).flatMap { ["New \($0)", "Renamed again \($0)"] }))

            // Exactly one audit record per attempt, whatever the store had to run again.
            let records = try await store.auditRecords(AuditQuery(method: method, limit: 1000))
            #expect(records.count == rounds * 7)
            #expect(Set(records.map(\.id)).count == records.count)
            let byOutcome = Dictionary(grouping: records, by: \.outcome).mapValues(\.count)
            #expect(byOutcome == [.applied: 3 * rounds + 1, .failed: rounds - 1 + rounds, .dryRun: rounds, .unchanged: rounds])
            #expect(Set(records.compactMap(\.revision)) == Set(base + 1...base + committed))
        }
    }
}
