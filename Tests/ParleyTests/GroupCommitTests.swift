import Foundation
import ParleyModel
import ParleyProtocol
import ParleySQLite
import ParleyStore
import ParleyTesting
import Testing

/// Concurrent writes share commits, each keeps its own revision, and failures stay alone.
@Suite struct GroupCommitTests {
    @Test func concurrentWritesShareCommitsButNotRevisions() async throws {
        try await TestServer.with { server in
            let fx = try await ConfigurationFixture.open(server)
            let tenant = try await fx.tenant("busy", seed: false)
            let before = server.store.commitStatistics
            let clients = try await (0..<8).asyncMap { _ in try await RawConnection.authenticated(port: server.port, apiKey: server.adminKey) }
            let revisions = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for (index, client) in clients.enumerated() {
                    group.addTask {
                        var bytes: [UInt8] = []
                        for item in 0..<16 {
                            bytes += RawConnection.frame(
                                ParleyProtocolBytes.request(
                                    id: item, method: "groups.create",
                                    params: [
                                        "tenant_id": .string(tenant), "name": .string("g-\(index)-\(item)"),
                                    ]))
                        }
                        // One invalid write in each pipeline: it fails alone.
                        bytes += RawConnection.frame(
                            ParleyProtocolBytes.request(
                                id: 99, method: "groups.create",
                                params: [
                                    "tenant_id": .string(tenant), "name": "",
                                ]))
                        try await client.send(bytes)
                        var revisions: [Int64] = []
                        for _ in 0..<17 {
                            let response = try await client.readFrame()
                            if let revision = response["result"]?["revision"]?.intValue { revisions.append(revision) }
                            if response["id"] == 99 { #expect(response["error"]?["code"] == -32602) }
                        }
                        return revisions
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(revisions.count == 128)
            #expect(Set(revisions).count == 128, "every write has its own revision")
            let after = server.store.commitStatistics
            #expect(after.writes - before.writes == 136, "128 creates, and the audit records of the 8 refused calls (which never reached the rules)")
            #expect(after.commits - before.commits < after.writes - before.writes, "some writes shared a commit")
            #expect(after.largestBatch > 1)
            #expect(try await fx.result("groups.list", ["tenant_id": .string(tenant), "limit": 1000])["items"]?.arrayValue?.count == 128)
            for client in clients { await client.close() }
            await fx.client.close()
        }
    }

    /// Writes that clash inside one batch: the first wins, each other one is rolled back alone
    /// (its savepoint), and every attempt leaves its own audit record in the shared commit.
    @Test func clashingWritesInOneBatchFailAlone() async throws {
        try await TestServer.with { server in
            let fx = try await ConfigurationFixture.open(server)
            let tenant = try await fx.tenant("clash", seed: false)
            let client = try await RawConnection.authenticated(port: server.port, apiKey: server.adminKey)
            var bytes: [UInt8] = []
            for item in 0..<24 {
                // Items 0, 3, 6, ... all want the same name; the rest are distinct.
                let name = item % 3 == 0 ? "Sales" : "g-\(item)"
                bytes += RawConnection.frame(
                    ParleyProtocolBytes.request(
                        id: item, method: "groups.create",
                        params: [
                            "tenant_id": .string(tenant), "name": .string(name),
                        ]))
            }
            try await client.send(bytes)
            var created = 0
            var clashes = 0
            for _ in 0..<24 {
                let response = try await client.readFrame()
                if response["result"] != nil { created += 1 }
                if response["error"]?["data"]?["reason"] == "already_exists" { clashes += 1 }
            }
            #expect(created == 17 && clashes == 7)
            let names =
                try await fx.result("groups.list", ["tenant_id": .string(tenant), "limit": 100])["items"]?.arrayValue?
                .compactMap { $0["name"]?.stringValue } ?? []
            #expect(names.count == 17 && names.filter { $0 == "Sales" }.count == 1)
            let audit = try await fx.result("audit.list", ["tenant_id": .string(tenant), "method": "groups.create", "limit": 100])
            let outcomes = audit["items"]?.arrayValue?.compactMap { $0["outcome"]?.stringValue } ?? []
            #expect(outcomes.filter { $0 == "APPLIED" }.count == 17 && outcomes.filter { $0 == "FAILED" }.count == 7)
            await client.close()
            await fx.client.close()
        }
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}

/// Encodes a request the way the wire expects (for raw pipelining in tests).
enum ParleyProtocolBytes {
    static func request(id: Int, method: String, params: [String: JSONValue]) -> [UInt8] {
        JSONWriter.bytes(["jsonrpc": "2.0", "id": .int(Int64(id)), "method": .string(method), "params": .object(params)])
    }
}
