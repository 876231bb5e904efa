import ParleyAuth
import ParleyModel
import ParleyProtocol
import ParleyTesting
import Testing

/// Wire behaviour over a real TCP connection to a real server on a real SQLite file.
@Suite struct ProtocolServerTests {
    private func errorCode(_ response: JSONValue) -> Int64? { response["error"]?["code"]?.intValue }

    @Test func helloSucceedsWithTheAdminKeyAndReportsTheKeyAndLimits() async throws {
        try await TestServer.with { server in
            let connection = try await RawConnection.connect(port: server.port)
            let response = try await connection.call(
                "hello", ["api_key": .string(server.adminKey), "protocol_version": 1, "client": "tests/1"], id: "h")
            #expect(response["id"] == "h")
            let result = try #require(response["result"])
            #expect(result["protocol_version"] == 1)
            #expect(result["key"]?["role"] == "ADMIN")
            #expect(result["key"]?["tenant_id"] == .null)
            #expect(result["limits"]?["max_frame_bytes"] == .int(1 << 20))
            #expect(result["server_version"]?.stringValue != nil)
            let list = try await connection.call("tenants.list")
            #expect(list["result"]?["items"] == [])
            await connection.close()
        }
    }

    @Test func everyBadKeyGetsTheSameError() async throws {
        try await TestServer.with { server in
            let connection = try await RawConnection.connect(port: server.port)
            let keyID = String(server.adminKey.dropFirst(5).prefix(16))
            let candidates = [
                "not a key",
                "prly_" + keyID + "_" + String(repeating: "A", count: 43),
                "prly_AAAAAAAAAAAAAAAA_" + String(repeating: "A", count: 43),
            ]
            var errors: [JSONValue] = []
            for (index, key) in candidates.enumerated() {
                let response = try await connection.call("hello", ["api_key": .string(key), "protocol_version": 1], id: .int(Int64(index)))
                errors.append(try #require(response["error"]))
            }
            #expect(errors.allSatisfy { $0 == errors[0] })
            #expect(errors[0]["code"] == -32001)
            #expect(errors[0]["data"]?["kind"] == "unauthenticated")
            let after = try await connection.call("tenants.list")
            #expect(errorCode(after) == -32001, "a failed hello must not authenticate")
            await connection.close()
        }
    }

    @Test func helloChecksItsParams() async throws {
        try await TestServer.with { server in
            let connection = try await RawConnection.connect(port: server.port)
            let response = try await connection.call("hello", ["protocol_version": 2, "surprise": true])
            #expect(errorCode(response) == -32602)
            let paths = Set(response["error"]?["data"]?["errors"]?.arrayValue?.compactMap { $0["path"]?.stringValue } ?? [])
            #expect(paths == ["api_key", "protocol_version", "surprise"])
            await connection.close()
        }
    }

    @Test func beforeHelloOnlyHelloPingAndServerInfoWork() async throws {
        try await TestServer.with { server in
            let connection = try await RawConnection.connect(port: server.port)
            #expect(try await connection.call("ping")["result"] == [:])
            let info = try await connection.call("server.info")
            #expect(info["result"]?["name"] == "parleyd")
            #expect(info["result"]?["protocol_version"] == 1)
            #expect(info["result"]?["limits"]?["max_frame_bytes_before_hello"] == .int(64 << 10))
            for method in ["tenants.list", "tenants.get", "tenants.create", "rpc.discover"] {
                #expect(errorCode(try await connection.call(method)) == -32001, "\(method) before hello")
            }
            await connection.close()
        }
    }

    @Test func aParseErrorLeavesTheConnectionUsable() async throws {
        try await TestServer.with { server in
            let connection = try await RawConnection.connect(port: server.port)
            try await connection.sendFrame("{\"jsonrpc\": \"2.0\", ")
            let error = try await connection.readFrame()
            #expect(error["id"] == .null)
            #expect(errorCode(error) == -32700)
            try await connection.send(RawConnection.frame([0x22, 0xFF, 0x22]))
            #expect(errorCode(try await connection.readFrame()) == -32700)
            #expect(try await connection.call("ping", id: 9)["result"] == [:])
            await connection.close()
        }
    }

    @Test func unknownMethodsAndInvalidRequests() async throws {
        try await TestServer.with { server in
            let connection = try await RawConnection.authenticated(port: server.port, apiKey: server.adminKey)
            let unknown = try await connection.call("tenants.explode", id: 4)
            #expect(unknown["id"] == 4)
            #expect(errorCode(unknown) == -32601)
            #expect(unknown["error"]?["data"]?["kind"] == "method_not_found")
            try await connection.sendFrame(#"{"jsonrpc":"2.0","id":1.5,"method":"ping"}"#)
            let fractional = try await connection.readFrame()
            #expect(fractional["id"] == .null)
            #expect(errorCode(fractional) == -32600)
            try await connection.sendFrame(#"{"jsonrpc":"2.0","id":null,"method":"ping"}"#)
            #expect(errorCode(try await connection.readFrame()) == -32600)
            try await connection.sendFrame(#"{"jsonrpc":"2.0","id":3,"method":"ping","params":[1]}"#)
            let positional = try await connection.readFrame()
            #expect(positional["id"] == 3)
            #expect(errorCode(positional) == -32602)
            await connection.close()
        }
    }

    @Test func notificationsGetNoReplyEvenOnError() async throws {
        try await TestServer.with { server in
            let connection = try await RawConnection.authenticated(port: server.port, apiKey: server.adminKey)
            try await connection.sendFrame(#"{"jsonrpc":"2.0","method":"ping"}"#)
            try await connection.sendFrame(#"{"jsonrpc":"2.0","method":"no.such.method"}"#)
            try await connection.sendFrame(#"{"jsonrpc":"2.0","method":"tenants.get","params":{"id":"tnt_missing"}}"#)
            let reply = try await connection.call("ping", id: "after")
            #expect(reply["id"] == "after", "the first frame back must answer the request, not a notification")
            await connection.close()
        }
    }

    @Test func batchesAreAnsweredPerEntry() async throws {
        try await TestServer.with { server in
            let connection = try await RawConnection.authenticated(port: server.port, apiKey: server.adminKey)
            try await connection.sendFrame(
                """
                [{"jsonrpc":"2.0","id":1,"method":"ping"},
                 {"jsonrpc":"2.0","method":"ping"},
                 {"jsonrpc":"2.0","id":2,"method":"nope"},
                 {"foo":"boo"},
                 {"jsonrpc":"2.0","id":3,"method":"tenants.create","params":{"slug":"b1","name":"Batch"}}]
                """)
            let responses = try #require(try await connection.readFrame().arrayValue)
            #expect(responses.count == 4)
            #expect(responses.first { $0["id"] == 1 }?["result"] == [:])
            #expect(responses.first { $0["id"] == 2 }?["error"]?["code"] == -32601)
            #expect(responses.first { $0["id"] == .null }?["error"]?["code"] == -32600)
            #expect(responses.first { $0["id"] == 3 }?["result"]?["slug"] == "b1")
            try await connection.sendFrame(#"[{"jsonrpc":"2.0","method":"ping"},{"jsonrpc":"2.0","method":"ping"}]"#)
            try await connection.sendFrame("[]")
            let empty = try await connection.readFrame()
            #expect(empty.objectValue != nil, "a batch of notifications gets no reply; the empty batch gets one error object")
            #expect(errorCode(empty) == -32600)
            let entry = #"{"jsonrpc":"2.0","id":1,"method":"ping"}"#
            try await connection.sendFrame("[" + Array(repeating: entry, count: 65).joined(separator: ",") + "]")
            #expect(errorCode(try await connection.readFrame()) == -32600)
            await connection.close()
        }
    }

    @Test func oversizedFramesAreRefusedAndTheConnectionClosed() async throws {
        try await TestServer.with { server in
            let early = try await RawConnection.connect(port: server.port)
            try await early.send([0x00, 0x01, 0x00, 0x01])
            let refusal = try await early.readFrame()
            #expect(refusal["id"] == .null)
            #expect(errorCode(refusal) == -32011)
            #expect(await early.waitForClose())

            let huge = try await RawConnection.authenticated(port: server.port, apiKey: server.adminKey)
            try await huge.send([0xFF, 0xFF, 0xFF, 0xFF])
            #expect(errorCode(try await huge.readFrame()) == -32011)
            #expect(await huge.waitForClose())

            let empty = try await RawConnection.connect(port: server.port)
            try await empty.send([0, 0, 0, 0])
            #expect(errorCode(try await empty.readFrame()) == -32011)
            #expect(await empty.waitForClose())
        }
    }

    @Test func afterHelloTheLargerLimitApplies() async throws {
        try await TestServer.with { server in
            let connection = try await RawConnection.authenticated(port: server.port, apiKey: server.adminKey)
            let name = String(repeating: "n", count: 100_000)
            let response = try await connection.call("tenants.create", ["slug": "big", "name": .string(name)])
            #expect(errorCode(response) == -32602, "a 100 KB frame is read after hello (and then refused by validation)")
            await connection.close()
        }
    }

    @Test func hundredPipelinedRequestsAreMatchedByIDEvenOutOfOrder() async throws {
        try await TestServer.with { server in
            let connection = try await RawConnection.authenticated(port: server.port, apiKey: server.adminKey)
            var created: [String: String] = [:]
            for index in 0..<5 {
                let response = try await connection.call("tenants.create", ["slug": .string("t\(index)x"), "name": .string("T\(index)")])
                created[try #require(response["result"]?["id"]?.stringValue)] = "t\(index)x"
            }
            let ids = Array(created.keys)
            var expected: [JSONValue: String] = [:]
            var bytes: [UInt8] = []
            // A slow hello first (argon2: the key is dropped from the verified-key cache), then 99 fast reads: the reads overtake it.
            server.verifier.cache.invalidate(keyId: try #require(APIKeyToken(parsing: server.adminKey)).keyID)
            bytes += RawConnection.frame(
                JSONWriter.bytes([
                    "jsonrpc": "2.0", "id": "slow", "method": "hello",
                    "params": ["api_key": .string(server.adminKey), "protocol_version": 1],
                ]))
            for index in 0..<99 {
                let id = ids[index % ids.count]
                expected[.int(Int64(index))] = created[id]
                bytes += RawConnection.frame(
                    JSONWriter.bytes([
                        "jsonrpc": "2.0", "id": .int(Int64(index)), "method": "tenants.get", "params": ["id": .string(id)],
                    ]))
            }
            try await connection.send(bytes)
            var order: [JSONValue] = []
            for _ in 0..<100 {
                let response = try await connection.readFrame()
                let id = try #require(response["id"])
                order.append(id)
                if id == "slow" {
                    #expect(response["result"]?["key"]?["role"] == "ADMIN")
                } else {
                    #expect(response["result"]?["slug"]?.stringValue == expected[id])
                }
            }
            #expect(Set(order).count == 100)
            #expect(order.first != "slow", "the slow hello should be overtaken by the reads")
            await connection.close()
        }
    }

    @Test func aDuplicateIDInFlightIsRefused() async throws {
        try await TestServer.with { server in
            let connection = try await RawConnection.authenticated(port: server.port, apiKey: server.adminKey)
            // A hello that stays in flight (argon2: the key is dropped from the verified-key cache;
            // a remembered key would be answered at once and free the id again).
            server.verifier.cache.invalidate(keyId: try #require(APIKeyToken(parsing: server.adminKey)).keyID)
            let hello = RawConnection.frame(
                JSONWriter.bytes([
                    "jsonrpc": "2.0", "id": 1, "method": "hello",
                    "params": ["api_key": .string(server.adminKey), "protocol_version": 1],
                ]))
            try await connection.send(hello + RawConnection.frame(Array(#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#.utf8)))
            let first = try await connection.readFrame()
            let second = try await connection.readFrame()
            #expect(errorCode(first) == -32600)
            #expect(second["result"]?["key"] != nil)
            await connection.close()
        }
    }
}
