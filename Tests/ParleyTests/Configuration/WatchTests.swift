import ParleyModel
import ParleyTesting
import Testing

/// `watch.subscribe`: pushed events, resume from history, isolation, compaction, slow consumers.
@Suite struct WatchTests {
    /// The next `watch.event` notification on `connection` (skipping nothing else: it must be one).
    private func event(_ connection: RawConnection) async throws -> JSONValue {
        let frame = try await connection.readFrame()
        #expect(frame["method"] == "watch.event" && frame["id"] == nil, "expected a watch.event notification, got \(frame)")
        return try #require(frame["params"])
    }

    @Test func changesArrivePushedInRevisionOrderAndResumeFromHistory() async throws {
        try await TestServer.with { server in
            let fx = try await ConfigurationFixture.open(server)
            let tenant = try await fx.tenant("watched", seed: false)
            let watcher = try await RawConnection.authenticated(port: server.port, apiKey: server.adminKey)
            let subscribed = try await watcher.call("watch.subscribe", ["tenant_id": .string(tenant), "families": ["groups"]])
            let start = try #require(subscribed["result"]?["revision"]?.intValue)
            let subscription = try #require(subscribed["result"]?["subscription_id"])

            let group = try await fx.group(tenant, "Sales")
            _ = try await fx.result("groups.update", ["tenant_id": .string(tenant), "id": .string(group), "queue_size": 5])
            _ = try await fx.create("tags", tenant, ["name": "not-watched"])
            _ = try await fx.result("groups.delete", ["tenant_id": .string(tenant), "id": .string(group)])
            var seen: [JSONValue] = []
            for _ in 0..<3 { seen.append(try await event(watcher)) }
            #expect(seen.map { $0["type"] } == ["created", "updated", "deleted"])
            #expect(seen.allSatisfy { $0["subscription_id"] == subscription && $0["id"] == .string(group) && $0["family"] == "groups" })
            #expect(seen[0]["revision"]?.intValue == start + 1)
            #expect(seen[1]["object"]?["queue_size"] == 5)
            #expect(seen[2]["object"] == .null)
            let revisions = seen.compactMap { $0["revision"]?.intValue }
            #expect(revisions == revisions.sorted() && Set(revisions).count == 3)

            // A second watcher resumes from the first one's starting revision: the same three events.
            let late = try await RawConnection.authenticated(port: server.port, apiKey: server.adminKey)
            let resumed = try await late.call("watch.subscribe", ["tenant_id": .string(tenant), "families": ["groups"], "from_revision": .int(start)])
            #expect(resumed["result"] != nil)
            var replay: [JSONValue] = []
            for _ in 0..<3 { replay.append(try await event(late)) }
            #expect(replay.map { $0["revision"] } == seen.map { $0["revision"] })
            #expect(replay.map { $0["object"] } == seen.map { $0["object"] })

            #expect(try await watcher.call("watch.unsubscribe", ["subscription_id": subscription])["result"]?["unsubscribed"] == true)
            _ = try await fx.group(tenant, "After")
            #expect(try await watcher.call("ping")["result"] != nil, "no event after unsubscribing: the next frame is the ping's answer")
            await watcher.close()
            await late.close()
            await fx.client.close()
        }
    }

    /// Unsubscribing cancels the subscription wherever it is, reading the change log included;
    /// that must end the watch quietly, never the connection (a cancelled read once closed it
    /// as an internal error, now and then).
    @Test func unsubscribingWhileEventsFlowNeverClosesTheConnection() async throws {
        try await TestServer.with { server in
            let fx = try await ConfigurationFixture.open(server)
            let tenant = try await fx.tenant("churn", seed: false)
            let watcher = try await RawConnection.authenticated(port: server.port, apiKey: server.adminKey)
            let writer = Task {
                for index in 0..<300 { _ = try? await fx.client.call("groups.create", ["tenant_id": .string(tenant), "name": .string("g\(index)")]) }
            }
            /// Sends a request and reads frames up to its answer, skipping notifications.
            func answer(_ id: Int, _ method: String, _ params: [String: JSONValue]) async throws -> JSONValue {
                try await watcher.send(RawConnection.frame(ParleyProtocolBytes.request(id: id, method: method, params: params)))
                while true {
                    let frame = try await watcher.readFrame()
                    #expect(frame["method"] != "watch.closed", "\(frame)")
                    if frame["id"] == .int(Int64(id)) { return frame }
                }
            }
            for round in 0..<40 {
                let subscribed = try await answer(2 * round, "watch.subscribe", ["tenant_id": .string(tenant), "from_revision": 0])
                let subscription = try #require(subscribed["result"]?["subscription_id"])
                let unsubscribed = try await answer(2 * round + 1, "watch.unsubscribe", ["subscription_id": subscription])
                #expect(unsubscribed["result"]?["unsubscribed"] == true)
            }
            await writer.value
            #expect(try await answer(1000, "ping", [:])["result"] != nil, "the connection is still open")
            await watcher.close()
            await fx.client.close()
        }
    }

    @Test func tenantKeysWatchTheirOwnTenantOnly() async throws {
        try await TestServer.with { server in
            let fx = try await ConfigurationFixture.open(server)
            let a = try await fx.tenant("mine", seed: false), b = try await fx.tenant("theirs", seed: false)
            let reader = try await RawConnection.authenticated(port: server.port, apiKey: try await server.issueKey(role: .tenantReader, tenantId: a))
            #expect(try await reader.call("watch.subscribe", ["tenant_id": .string(b)])["error"]?["code"] == -32004)
            #expect(try await reader.call("watch.subscribe")["result"] != nil, "without tenant_id a tenant key watches its own tenant")
            _ = try await fx.group(b, "Hidden")
            let visible = try await fx.group(a, "Visible")
            let first = try await event(reader)
            #expect(first["id"] == .string(visible) && first["tenant_id"] == .string(a))
            await reader.close()
            await fx.client.close()
        }
    }

    @Test func compactedHistoryIsGone() async throws {
        try await TestServer.with { server in
            let fx = try await ConfigurationFixture.open(server)
            let tenant = try await fx.tenant("old", seed: false)
            _ = try await fx.group(tenant, "Sales")
            _ = try await server.store.compactChanges(keepRevisions: 0, olderThan: Timestamp.now().adding(milliseconds: 1000))
            let gone = try await fx.error("watch.subscribe", ["from_revision": 0])
            #expect(gone["code"] == -32012)
            let compact = try #require(gone["data"]?["compact_revision"]?.intValue)
            #expect(compact == (try await server.store.currentRevision()))
            #expect(try await fx.result("watch.subscribe", ["from_revision": .int(compact)])["subscription_id"] != nil)
            await fx.client.close()
        }
    }

    /// With a close timeout long enough for the test's reader, the last frame says why.
    @Test func aConsumerThatDoesNotReadIsDisconnected() async throws {
        try await TestServer.with(configure: {
            $0.watchOutboundCap = 64 << 10
            $0.closeTimeout = .seconds(60)
        }) { server in
            let fx = try await ConfigurationFixture.open(server)
            let watcher = try StalledSocket(port: server.port)
            watcher.send(["jsonrpc": "2.0", "id": 1, "method": "hello", "params": ["api_key": .string(server.adminKey), "protocol_version": 1]])
            #expect(watcher.readFrame()?["result"] != nil)
            watcher.send(["jsonrpc": "2.0", "id": 2, "method": "watch.subscribe"])
            #expect(watcher.readFrame()?["result"]?["subscription_id"] != nil)
            // Each seeded tenant is ~95 events; the watcher reads none of them.
            for index in 0..<200 {
                _ = try await fx.result("tenants.create", ["slug": .string("flood-\(index)"), "name": "Flood"])
            }
            let bytes = watcher.readToEnd()
            let frames = StalledSocket.frames(bytes)
            #expect(frames.last?["method"] == "watch.closed", "the last frame says why: \(String(describing: frames.last))")
            #expect(frames.last?["params"]?["reason"] == "slow_consumer")
            let events = frames.filter { $0["method"] == "watch.event" }
            #expect(!events.isEmpty && events.count < 200 * 96, "disconnected before everything was sent")
            #expect(try await fx.client.call("ping")["result"] != nil, "the server carries on")
            await fx.client.close()
        }
    }
}
