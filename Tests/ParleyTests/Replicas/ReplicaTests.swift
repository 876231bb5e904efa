import Foundation
import ParleyModel
import ParleyTesting
import Testing

/// Several replicas on one PostgreSQL database behave as one server (issue 13 §3): watches see
/// every replica's changes in order, reads never go back behind an acknowledged write, and a key
/// revoked on one replica stops working on all of them within a second. Over real TCP.
@Suite(.enabled(if: TestPostgres.shared != nil, "needs PARLEY_TEST_POSTGRES (./dev test starts a cluster)"))
struct ReplicaTests {
    /// Two replicas on a fresh database, with an ADMIN key valid on both.
    private func withReplicas(_ body: (TestReplica, TestReplica, String) async throws -> Void) async throws {
        let url = try await TestPostgres.shared!.makeDatabase()
        let a = try await TestReplica.start(url: url)
        let b = try await TestReplica.start(url: url)
        let key = try await a.issueAdminKey()
        do {
            try await body(a, b, key)
        } catch {
            try? await a.stop()
            try? await b.stop()
            throw error
        }
        try await a.stop()
        try await b.stop()
    }

    private func result(_ connection: RawConnection, _ method: String, _ params: [String: JSONValue]) async throws -> JSONValue {
        let response = try await connection.call(method, params)
        return try #require(response["result"], "\(method): \(response)")
    }

    @Test func aWatchOnOneReplicaSeesEveryReplicasChangesInOrderAndResumesOnAnother() async throws {
        try await withReplicas { a, b, key in
            let onA = try await RawConnection.authenticated(port: a.port, apiKey: key)
            let onB = try await RawConnection.authenticated(port: b.port, apiKey: key)
            let tenant = try await result(onA, "tenants.create", ["slug": "watched", "name": "Watched"])["id"]!
            let watcher = try await RawConnection.authenticated(port: b.port, apiKey: key)
            let subscribed = try await result(watcher, "watch.subscribe", ["tenant_id": tenant, "families": ["groups"]])
            let start = try #require(subscribed["revision"]?.intValue)
            // Writes through both replicas, concurrently.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (connection, name) in [(onA, "a"), (onB, "b")] {
                    group.addTask {
                        for index in 0..<20 {
                            _ = try await connection.call(
                                "groups.create", ["tenant_id": tenant, "name": .string("\(name)-\(index)")], id: .int(Int64(index + 10)))
                        }
                    }
                }
                try await group.waitForAll()
            }
            var revisions: [Int64] = []
            for _ in 0..<40 {
                let frame = try await watcher.readFrame(timeout: .seconds(10))
                #expect(frame["method"] == "watch.event")
                revisions.append(try #require(frame["params"]?["revision"]?.intValue))
            }
            #expect(revisions == revisions.sorted() && Set(revisions).count == 40, "in revision order, no duplicate")
            #expect(revisions.first! > start)
            let current = try await b.store.currentRevision()
            #expect(revisions.last! == current, "no gap: the last event is the store's revision")
            // Resuming on the other replica from the middle replays exactly the rest.
            let late = try await RawConnection.authenticated(port: a.port, apiKey: key)
            _ = try await result(late, "watch.subscribe", ["tenant_id": tenant, "families": ["groups"], "from_revision": .int(revisions[19])])
            var replay: [Int64] = []
            for _ in 0..<20 { replay.append(try #require(try await late.readFrame(timeout: .seconds(10))["params"]?["revision"]?.intValue)) }
            #expect(replay == Array(revisions[20...]))
        }
    }

    @Test func aReadOnOneReplicaNeverReturnsDataOlderThanAWriteAcknowledgedOnAnother() async throws {
        try await withReplicas { a, b, key in
            let onA = try await RawConnection.authenticated(port: a.port, apiKey: key)
            let onB = try await RawConnection.authenticated(port: b.port, apiKey: key)
            let tenant = try await result(onA, "tenants.create", ["slug": "reads", "name": "Reads"])["id"]!
            let group = try await result(onA, "groups.create", ["tenant_id": tenant, "name": "Counted", "queue_size": 1])["id"]!
            // Warm B's cache, then alternate: write on A, read on B at once.
            _ = try await result(onB, "groups.get", ["tenant_id": tenant, "id": group])
            for size in 2...301 {
                _ = try await result(onA, "groups.update", ["tenant_id": tenant, "id": group, "queue_size": .int(Int64(size))])
                let read = try await result(onB, "groups.get", ["tenant_id": tenant, "id": group])
                #expect(read["queue_size"] == .int(Int64(size)), "B served an older queue_size after A acknowledged \(size)")
                // A list reads its rows from PostgreSQL, and reuses B's kept copy only at the row's
                // revision: never the copy B's listener has not replaced yet.
                _ = try await result(onA, "groups.update", ["tenant_id": tenant, "id": group, "queue_size": .int(Int64(size + 600))])
                let listed = try await result(onB, "groups.list", ["tenant_id": tenant])["items"]?[0]
                #expect(listed?["queue_size"] == .int(Int64(size + 600)), "B listed an older queue_size after A acknowledged \(size + 600)")
            }
            // And the other way round, with the tenant itself.
            for index in 0..<20 {
                _ = try await result(onB, "tenants.update", ["id": tenant, "name": .string("Reads \(index)")])
                #expect(try await result(onA, "tenants.get", ["id": tenant])["name"] == .string("Reads \(index)"))
            }
        }
    }

    @Test func aKeyRevokedOnOneReplicaIsClosedOnEveryReplicaWithinASecond() async throws {
        try await withReplicas { a, b, key in
            let admin = try await RawConnection.authenticated(port: a.port, apiKey: key)
            let created = try await result(admin, "api_keys.create", ["name": "doomed", "role": "ADMIN"])
            let doomed = try #require(created["api_key"]?.stringValue)
            let doomedID = try #require(created["key"]?["id"])
            let onB = try await RawConnection.authenticated(port: b.port, apiKey: doomed)
            #expect(try await onB.call("tenants.list", [:])["result"] != nil)
            let revokedAt = ContinuousClock.now
            _ = try await result(admin, "api_keys.revoke", ["id": doomedID])
            #expect(await onB.waitForClose(timeout: .seconds(1)), "B closed the revoked key's connection within 1 s")
            #expect(ContinuousClock.now - revokedAt < .seconds(1))
            let again = try await RawConnection.connect(port: b.port)
            let hello = try await again.call("hello", ["api_key": .string(doomed), "protocol_version": 1])
            #expect(hello["error"]?["code"] == -32001, "B no longer accepts the key (its verified-key cache dropped it)")
        }
    }
}
