import Foundation
import NIOCore
import NIOEmbedded
import ParleyModel
import ParleyProtocol
import Testing

/// A deterministic, seeded mutation fuzzer over the JSON parser and the JSON-RPC classifier,
/// plus a regression corpus (Tests/ParleyTests/FuzzCorpus) replayed on every run. Every input
/// must be parsed or refused with an error: never a crash, never a hang.
@Suite struct FuzzTests {
    /// SplitMix64: the same inputs on every run and machine.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let seeds: [[UInt8]] = [
        #"{"jsonrpc":"2.0","id":1,"method":"ping"}"#, #"{"jsonrpc":"2.0","id":"a","method":"hello","params":{"api_key":"prly_x","protocol_version":1}}"#,
        #"[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","method":"ping"}]"#,
        #"{"jsonrpc":"2.0","id":7,"method":"groups.create","params":{"tenant_id":"tnt_x","name":"Sales","member_user_ids":["a","b"],"queue_size":5}}"#,
        #"{"s":"\u00e9\ud83d\ude00\n\t","n":-1.5e-3,"b":[true,false,null]}"#,
    ].map { Array($0.utf8) }

    static var corpusDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("FuzzCorpus")
    }

    /// Parses and classifies `bytes`; what matters is that it returns.
    static func exercise(_ bytes: [UInt8]) {
        guard let value = try? JSONParser.parse(bytes) else { return }
        _ = JSONWriter.bytes(value)
        _ = IncomingMessage.classify(value, maximumBatch: 64)
        var reader = ParamReader(value.objectValue ?? [:])
        _ = reader.string("method")
        try? reader.finish()
    }

    static func mutate(_ input: [UInt8], using generator: inout SeededGenerator) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...8, using: &generator) {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &generator)
            switch Int.random(in: 0..<6, using: &generator) {
            case 0 where !bytes.isEmpty: bytes[position] = UInt8.random(in: 0...255, using: &generator)
            case 1: bytes.insert(Array(#"{}[]",:\"0-e.nutfl"#.utf8).randomElement(using: &generator)!, at: position)
            case 2 where !bytes.isEmpty: bytes.remove(at: position)
            case 3: bytes = Array(bytes.prefix(position))
            case 4: bytes.insert(contentsOf: bytes[position...].prefix(16), at: position)
            default: bytes.insert(contentsOf: Array(repeating: UInt8(ascii: "["), count: Int.random(in: 1...100, using: &generator)), at: position)
            }
        }
        return bytes
    }

    @Test func tenThousandSeededMutationsAreParsedOrRefused() {
        var generator = SeededGenerator(state: 0x5EED_0001)
        for round in 0..<10_000 {
            let seed = Self.seeds[round % Self.seeds.count]
            Self.exercise(Self.mutate(seed, using: &generator))
        }
    }

    @Test func theFrameDecoderTakesAnyByteStream() throws {
        var generator = SeededGenerator(state: 0x5EED_0002)
        for _ in 0..<2_000 {
            let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder(state: FrameState(maximumFrameBytes: 4096))))
            var stream: [UInt8] = []
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let payload = Self.mutate(Self.seeds.randomElement(using: &generator)!, using: &generator)
                var length = UInt32(payload.count)
                if Bool.random(using: &generator) { length = UInt32.random(in: 0...UInt32.max, using: &generator) }
                stream += withUnsafeBytes(of: length.bigEndian, Array.init) + payload
            }
            // Delivered in random chunks; a refusal is an error, never a crash or a hang.
            var offset = 0
            while offset < stream.count {
                let size = Int.random(in: 1...64, using: &generator)
                let chunk = ByteBuffer(bytes: stream[offset..<min(stream.count, offset + size)])
                offset += size
                do { try channel.writeInbound(chunk) } catch { break }
                while let frame = try? channel.readInbound(as: ByteBuffer.self) { Self.exercise(Array(frame.readableBytesView)) }
            }
            _ = try? channel.finish()
        }
    }

    @Test func theRegressionCorpusIsParsedOrRefused() throws {
        let files = try FileManager.default.contentsOfDirectory(at: Self.corpusDirectory, includingPropertiesForKeys: nil)
        #expect(files.count >= 10, "the corpus is present")
        for file in files {
            let bytes = try [UInt8](Data(contentsOf: file))
            Self.exercise(bytes)
            if file.lastPathComponent.hasPrefix("deep-") {
                #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(bytes) }
            }
        }
    }
}
