import ArgumentParser
import ParleyModel

/// `parley ping`: checks that the server answers (and that the key works, if one is given).
struct Ping: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check that the server answers.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await runReporting {
            let clock = ContinuousClock()
            var elapsed = Duration.zero
            try await global.run(requireKey: false) { client in
                let start = clock.now
                _ = try await client.call("ping")
                elapsed = clock.now - start
                return ["ok": true, "server": .string(global.resolvedServer), "round_trip_ms": .double(elapsed.milliseconds)]
            } print: { _ in
                "pong from \(global.resolvedServer) in \(String(format: "%.2f", elapsed.milliseconds)) ms"
            }
        }
    }
}

extension Duration {
    var milliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}
