import Foundation
import Logging
import NIOCore
import NIOEmbedded
import ParleyAuth
import ParleyModel
import ParleyProtocol
import ParleySQLite
import ParleyStore
import Synchronization
import Testing

@testable import ParleyServer

/// Which calls wait for the store's read point (``ReadPoints``, PostgreSQL's consistent reads
/// from memory): a get waits before its first try (without one it always misses), and a call
/// whose fast path does not use one (a list, a ping) never waits for a look-up it cannot use.
struct ReadPointDispatchTests {
    /// Read points that answer at once and count how often they were asked.
    final class CountingReadPoints: ReadPoints {
        let asked = Atomic<Int>(0)

        func awaitReadPoint(_ ready: @escaping @Sendable (Int64?) -> Void) {
            asked.add(1, ordering: .relaxed)
            ready(nil)
        }
    }

    @Test func getsWaitForAReadPointAndListsAndPingsDoNot() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-readpoint-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("r.db").path)
        let points = CountingReadPoints()
        let verifier = try KeyVerifier(store: store, pool: Argon2Pool(configuration: .init(threads: 1, queueLimit: 4)))
        let services = ServerServices(configuration: .init(), store: store, verifier: verifier, logger: Logger(label: "test"), readPoints: points)
        let dispatcher = Dispatcher(methods: Server.methods, services: services)
        let channel = EmbeddedChannel()
        let handler = ConnectionHandler(
            services: services, dispatcher: dispatcher, frameState: FrameState(maximumFrameBytes: 65_536), channel: channel,
            logger: Logger(label: "test"))
        let context = dispatcher.makeContext(session: nil, connection: handler.handle, logger: Logger(label: "test"))

        func outcome(_ method: String, _ params: [String: JSONValue]) throws -> Dispatcher.ImmediateOutcome {
            let call = DispatchPlan.Call(
                method: try #require(Server.methods[method]), metrics: CallMetrics(method: method),
                request: RPCRequest(id: .int(1), method: method, params: params),
                admission: .allowed(tenant: nil))
            return dispatcher.runImmediately(call, context: context)
        }

        guard case .needsReadPoint = try outcome("groups.get", ["tenant_id": "ten_x", "id": "grp_x"]) else {
            Issue.record("a get waits for a read point before trying memory")
            return
        }
        guard case .needsReadPoint = try outcome("tenants.get", ["id": "ten_x"]) else {
            Issue.record("a tenant get waits for a read point before trying memory")
            return
        }
        // Filtered: not one index range, so not a page the store reads from memory (SQLite's either).
        guard case .needsTask = try outcome("groups.list", ["tenant_id": "ten_x", "type": .string(OperatorGroup.types[0])]) else {
            Issue.record("a list whose fast path misses goes to its task without waiting for a read point")
            return
        }
        guard case .answered = try outcome("ping", [:]) else {
            Issue.record("a ping is answered at once")
            return
        }
        #expect(points.asked.load(ordering: .relaxed) == 0, "deciding to wait asks for nothing yet")
        _ = try? await channel.close()
        try await store.close()
    }
}
