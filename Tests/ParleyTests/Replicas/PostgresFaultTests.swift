import Foundation
import ParleyModel
import ParleyPostgres
import ParleyTesting
import Testing

/// Faults of a PostgreSQL deployment (issue 13 §4), each on a cluster of its own (they restart it
/// or kill replicas), bounded in time.
@Suite(.serialized, .enabled(if: TestPostgres.canStartClusters, "needs PostgreSQL (./dev test installs it and sets PARLEY_TEST_POSTGRES)"))
struct PostgresFaultTests {
    @Test func aRestartOfPostgresUnderWritesFailsFastLosesNothingAndWatchesGoOnWithoutAGap() async throws {
        let cluster = try TestPostgres.start()
        defer { cluster.remove() }
        let url = try await cluster.makeDatabase()
        let a = try await TestReplica.start(url: url)
        let b = try await TestReplica.start(url: url)
        let key = try await a.issueAdminKey()
        let writer = try await RawConnection.authenticated(port: a.port, apiKey: key)
        let tenant = try #require(try await writer.call("tenants.create", ["slug": "restarted", "name": "Restarted"])["result"]?["id"])
        let watcher = try await RawConnection.authenticated(port: b.port, apiKey: key)
        _ = try await watcher.call("watch.subscribe", ["tenant_id": tenant, "families": ["groups"]])

        var acknowledged: [Int64] = []
        var refusals: [JSONValue] = []
        var slowest: Duration = .zero
        var acknowledgedSinceRestart = 0
        // PostgreSQL goes away after 1 s, for 2 s, while writes go on every 20 ms.
        let outage = Task.detached {
            try await Task.sleep(for: .seconds(1))
            try cluster.stop()
            try await Task.sleep(for: .seconds(2))
            try cluster.restart()
        }
        let began = ContinuousClock.now
        var index = 0
        while ContinuousClock.now - began < .seconds(40), acknowledgedSinceRestart < 10 {
            index += 1
            let sent = ContinuousClock.now
            let response = try await writer.call("groups.create", ["tenant_id": tenant, "name": .string("g-\(index)")], id: .int(Int64(index)))
            slowest = max(slowest, ContinuousClock.now - sent)
            if let revision = response["result"]?["revision"]?.intValue {
                acknowledged.append(revision)
                if !refusals.isEmpty { acknowledgedSinceRestart += 1 }
            } else {
                refusals.append(response["error"] ?? .null)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        try await outage.value
        let restarted = acknowledgedSinceRestart >= 10
        #expect(restarted, "the replicas reconnected by themselves")
        #expect(!refusals.isEmpty, "some writes met the outage")
        #expect(refusals.allSatisfy { $0["code"] == -32015 }, "refused as unavailable (retryable): \(refusals.prefix(3))")
        #expect(slowest < .seconds(7), "no call hangs past the request timeout (slowest \(slowest))")
        // Nothing acknowledged was lost, and the watch on B saw all of it, in order, without a gap.
        let stored = try await a.store.resources(.group, tenantId: try #require(tenant.stringValue), query: .init(limit: 10_000))
        let storedRevisions = Set(stored.map(\.revision))
        #expect(acknowledged.allSatisfy { storedRevisions.contains($0) })
        var seen: [Int64] = []
        while seen.count < stored.count {
            let frame = try await watcher.readFrame(timeout: .seconds(30))
            guard frame["method"] == "watch.event" else {
                Issue.record("the watch ended: \(frame)")
                break
            }
            seen.append(try #require(frame["params"]?["revision"]?.intValue))
        }
        #expect(seen == stored.map(\.revision).sorted(), "every stored write, in revision order, once")
        try await a.stop()
        try await b.stop()
    }

    @Test func killingAReplicaDuringWritesLosesNoAcknowledgedWrite() async throws {
        let cluster = try TestPostgres.start()
        defer { cluster.remove() }
        let url = try await cluster.makeDatabase()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-kill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let urlText = "postgres://\(url.user):\(url.password ?? "")@\(url.host):\(url.port)/\(url.database)"
        let key = try await BuiltBinaries.run("parleyd", ["init", "--db", urlText]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let doomed = try await BuiltBinaries.Daemon(database: urlText, directory: directory)
        let survivor = try await BuiltBinaries.Daemon(database: urlText, directory: directory)
        let admin = try await RawConnection.authenticated(port: survivor.port, apiKey: key)
        let tenant = try #require(try await admin.call("tenants.create", ["slug": "killed", "name": "Killed"])["result"]?["id"])
        let doomedPort = doomed.port
        let doomedPID = doomed.process.processIdentifier
        let acknowledged = try await withThrowingTaskGroup(of: [String].self) { group in
            for lane in 0..<4 {
                group.addTask {
                    let connection = try await RawConnection.authenticated(port: doomedPort, apiKey: key)
                    var ids: [String] = []
                    for index in 0..<500 {
                        guard
                            let response = try? await connection.call(
                                "groups.create", ["tenant_id": tenant, "name": .string("k-\(lane)-\(index)")], id: .int(Int64(index)))
                        else { break }  // the replica is gone
                        if let id = response["result"]?["id"]?.stringValue { ids.append(id) } else { break }
                    }
                    return ids
                }
            }
            group.addTask {
                try await Task.sleep(for: .milliseconds(700))
                kill(doomedPID, SIGKILL)
                return []
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(!acknowledged.isEmpty)
        var listed: Set<String> = []
        var cursor: JSONValue = .null
        repeat {
            var params: [String: JSONValue] = ["tenant_id": tenant, "limit": 1000]
            if cursor != .null { params["cursor"] = cursor }
            let page = try #require(try await admin.call("groups.list", params)["result"])
            for item in page["items"]?.arrayValue ?? [] { if let id = item["id"]?.stringValue { listed.insert(id) } }
            cursor = page["next_cursor"] ?? .null
        } while cursor != .null
        let lost = acknowledged.filter { !listed.contains($0) }
        #expect(lost.isEmpty, "acknowledged but not stored: \(lost.prefix(5))")
        _ = try await doomed.stop()
        #expect(try await survivor.stop() == 0)
    }
}
