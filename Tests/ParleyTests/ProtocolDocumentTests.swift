import Foundation
import ParleyModel
import ParleyProtocol
import ParleyServer
import ParleyTesting
import Testing

/// The files in protocol/: the OpenRPC document matches the server, and every byte vector replays.
@Suite struct ProtocolDocumentTests {
    static let protocolDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("protocol")

    /// protocol/openrpc.json, the only copy of the document (the build embeds it in the server).
    static func documentFile() throws -> String {
        try String(contentsOf: protocolDirectory.appendingPathComponent("openrpc.json"), encoding: .utf8)
    }

    @Test func theEmbeddedDocumentIsExactlyProtocolOpenRPCJSON() throws {
        #expect(
            try Self.documentFile() == OpenRPCDocument.text,
            "the OpenRPCEmbedding build plugin embeds protocol/openrpc.json byte for byte; rebuild")
    }

    @Test func theDocumentDescribesExactlyTheServedMethods() throws {
        let described = Set(OpenRPCDocument.value["methods"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? [])
        #expect(described == Set(Server.methods.names))
    }

    @Test func rpcDiscoverReturnsExactlyProtocolOpenRPCJSON() async throws {
        let file = try JSONParser.parse(Array(try Self.documentFile().utf8), configuration: .init(maximumDepth: 256))
        try await TestServer.with { server in
            let connection = try await RawConnection.authenticated(port: server.port, apiKey: server.adminKey)
            #expect(try await connection.call("rpc.discover")["result"] == file)
            await connection.close()
        }
    }

    struct Vector: Sendable, CustomStringConvertible {
        var name: String
        var requiresHello: Bool
        var request: [UInt8]
        var response: [UInt8]?
        var closes: Bool
        var description: String { name }
    }

    static func vectors() throws -> [Vector] {
        let directory = protocolDirectory.appendingPathComponent("vectors")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }.sorted()
        return try files.flatMap { file -> [Vector] in
            let data = try Data(contentsOf: directory.appendingPathComponent(file))
            let cases = try JSONParser.parse(Array(data), configuration: .init(maximumDepth: 16)).arrayValue ?? []
            return cases.map { entry in
                Vector(
                    name: entry["name"]?.stringValue ?? "?", requiresHello: entry["requires_hello"]?.boolValue ?? false,
                    request: hexBytes(entry["request_hex"]?.stringValue ?? ""),
                    response: entry["response_hex"]?.stringValue.map(hexBytes), closes: entry["then"] == "closed")
            }
        }
    }

    static func hexBytes(_ hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var iterator = hex.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            bytes.append(UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)!)
        }
        return bytes
    }

    @Test func everyVectorReplaysByteExactly() async throws {
        let vectors = try Self.vectors()
        #expect(vectors.count >= 10)
        try await TestServer.with { server in
            for vector in vectors {
                let connection =
                    vector.requiresHello
                    ? try await RawConnection.authenticated(port: server.port, apiKey: server.adminKey)
                    : try await RawConnection.connect(port: server.port)
                try await connection.send(vector.request)
                if let expected = vector.response {
                    var received: [UInt8] = []
                    while received.count < expected.count {
                        received += RawConnection.frame(try await connection.readFramePayload())
                    }
                    #expect(received == expected, "vector \(vector.name)")
                }
                if vector.closes {
                    #expect(await connection.waitForClose(), "vector \(vector.name) must close the connection")
                } else {
                    let probe = try await connection.call("ping", id: "probe")
                    #expect(probe["id"] == "probe", "vector \(vector.name): nothing else may arrive before the next response")
                }
                await connection.close()
            }
        }
    }
}
