import Foundation
import Logging
import ParleyAuth
import ParleyServer
import ParleyStore
import ServiceLifecycle

/// A ``Server`` on `127.0.0.1:0` over `store`, as every test server starts one: the test
/// configuration, a logger that is quiet unless `PARLEY_TEST_LOG` is set, and a key verifier; in a
/// `ServiceGroup` of its ``Server/lifecycleServices``, as `parleyd serve` runs it, so that
/// `server.shutdown()` drains it, stops the key-use recorder and retention, and closes `store`
/// before `task` completes.
struct LoopbackServer {
    let server: Server
    let verifier: KeyVerifier
    let port: Int
    let task: Task<Void, any Error>

    static func start(
        store: any ConfigurationStore, pool: Argon2Pool, label: String, configure: (inout Server.Configuration) -> Void
    ) async throws -> LoopbackServer {
        var configuration = Server.Configuration()
        // A loaded test machine can starve an event loop for seconds: the last frame before a close
        // gets longer than in production to reach a reading client (tests of the close timeout set it).
        configuration.closeTimeout = .seconds(10)
        configure(&configuration)
        configuration.host = "127.0.0.1"
        configuration.port = 0
        var logger = Logger(label: label)
        logger.logLevel = ProcessInfo.processInfo.environment["PARLEY_TEST_LOG"] == nil ? .critical : .debug
        let verifier = try KeyVerifier(store: store, pool: pool)
        let server = Server(configuration: configuration, store: store, verifier: verifier, logger: logger)
        let group = ServiceGroup(configuration: .init(services: server.lifecycleServices, logger: logger))
        let task = Task { try await group.run() }
        let port = try await server.listeningAddress.port!
        return LoopbackServer(server: server, verifier: verifier, port: port, task: task)
    }
}
