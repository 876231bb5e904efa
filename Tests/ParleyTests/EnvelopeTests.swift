import ParleyModel
import ParleyProtocol
import Testing

/// JSON-RPC 2.0 envelope rules, checked without sockets.
@Suite struct EnvelopeTests {
    private func classify(_ text: String) throws -> IncomingMessage {
        IncomingMessage.classify(try JSONParser.parse(text), maximumBatch: 64)
    }

    private func invalidRequestID(_ message: IncomingMessage) -> RequestID?? {
        if case .single(.invalid(let id, let error)) = message, error.code == .invalidRequest { return .some(id) }
        return nil
    }

    @Test func acceptsRequestsAndNotifications() throws {
        #expect(try classify(#"{"jsonrpc":"2.0","id":7,"method":"ping"}"#) == .single(.request(RPCRequest(id: .int(7), method: "ping"))))
        #expect(
            try classify(#"{"jsonrpc":"2.0","id":"a","method":"m","params":{"x":1}}"#)
                == .single(.request(RPCRequest(id: .string("a"), method: "m", params: ["x": 1]))))
        #expect(try classify(#"{"jsonrpc":"2.0","method":"ping"}"#) == .single(.request(RPCRequest(id: nil, method: "ping"))))
    }

    @Test(arguments: [
        #"{"jsonrpc":"2.0","id":null,"method":"ping"}"#, #"{"jsonrpc":"2.0","id":1.5,"method":"ping"}"#,
        #"{"jsonrpc":"2.0","id":true,"method":"ping"}"#, #"{"jsonrpc":"2.0","id":{},"method":"ping"}"#,
    ])
    func refusesNullFractionalAndOtherIDsWithNullID(_ text: String) throws {
        #expect(invalidRequestID(try classify(text)) == .some(nil))
    }

    @Test func refusesBadEnvelopesButKeepsAReadableID() throws {
        #expect(invalidRequestID(try classify(#"{"id":3,"method":"ping"}"#)) == .some(.int(3)))
        #expect(invalidRequestID(try classify(#"{"jsonrpc":"1.0","id":3,"method":"ping"}"#)) == .some(.int(3)))
        #expect(invalidRequestID(try classify(#"{"jsonrpc":"2.0","id":3,"method":5}"#)) == .some(.int(3)))
        #expect(invalidRequestID(try classify(#"{"jsonrpc":"2.0","id":3,"method":"ping","extra":1}"#)) == .some(.int(3)))
        #expect(invalidRequestID(try classify(#"{"jsonrpc":"2.0","id":3,"method":"ping","params":"x"}"#)) == .some(.int(3)))
    }

    @Test func positionalParamsAreInvalidParams() throws {
        guard case .single(.invalid(let id, let error)) = try classify(#"{"jsonrpc":"2.0","id":3,"method":"ping","params":[1]}"#) else {
            Issue.record("expected an invalid entry")
            return
        }
        #expect(id == .int(3))
        #expect(error.code == .invalidParams)
    }

    @Test func batchesAreBounded() throws {
        guard case .rejected(let empty) = try classify("[]") else { Issue.record("empty batch accepted"); return }
        #expect(empty.code == .invalidRequest)
        let entry = #"{"jsonrpc":"2.0","method":"ping"}"#
        let big = "[" + Array(repeating: entry, count: 65).joined(separator: ",") + "]"
        guard case .rejected(let tooMany) = try classify(big) else { Issue.record("65 entries accepted"); return }
        #expect(tooMany.code == .invalidRequest)
        let full = "[" + Array(repeating: entry, count: 64).joined(separator: ",") + "]"
        guard case .batch(let entries) = try classify(full) else { Issue.record("64 entries refused"); return }
        #expect(entries.count == 64)
    }

    @Test func scalarsAtTheTopLevelAreRejected() throws {
        guard case .rejected(let error) = try classify("42") else { Issue.record("scalar accepted"); return }
        #expect(error.code == .invalidRequest)
    }

    @Test func errorObjectsCarryTheirKind() {
        let error = RPCError(.conflict, "stale", data: ["current_revision": 4])
        #expect(error.json == ["code": -32009, "message": "stale", "data": ["kind": "conflict", "current_revision": 4]])
        #expect(RPCError(json: error.json) == error)
    }

    @Test func responsesAreTheBytesOfTheirEnvelopeObjects() {
        let result: JSONValue = ["name": "Sales", "queue_size": 7]
        for id in [RequestID.int(7), .string("a\"b")] {
            #expect(
                JSONWriter.bytes(RPCResponse.success(id: id, result: result))
                    == JSONWriter.bytes(["jsonrpc": "2.0", "id": id.json, "result": result]))
            #expect(
                JSONWriter.bytes(RPCResponse.success(id: id, result: .raw(RawJSON(result))))
                    == JSONWriter.bytes(["jsonrpc": "2.0", "id": id.json, "result": result]))
        }
        let error = RPCError(.invalidRequest, "no")
        for id in [RequestID.int(1), nil] {
            #expect(
                JSONWriter.bytes(RPCResponse.failure(id: id, error: error))
                    == JSONWriter.bytes(["jsonrpc": "2.0", "id": id?.json ?? .null, "error": error.json]))
        }
        guard case .success(let id, let read)? = RPCResponse.read(RPCResponse.success(id: .int(3), result: result)) else {
            Issue.record("a written response does not read back")
            return
        }
        #expect(id == .int(3) && read == result)
    }

    @Test func theFirstUnknownMemberInOrderIsNamed() throws {
        let message = try classify(#"{"zeta":1,"jsonrpc":"2.0","id":3,"method":"ping","beta":2}"#)
        guard case .single(.invalid(_, let error)) = message else {
            Issue.record("not refused: \(message)")
            return
        }
        #expect(error.message == #"unknown member "beta" in request"#)
    }
}
