import Logging
import ParleyAuth
import ParleyModel
import ParleyStore

/// The services every handler can use, shared by all connections.
///
/// A class: every request's context holds it, and as a struct its references were retained and
/// released at each copy of the context on the read path.
public final class ServerServices: Sendable {
    public let configuration: Server.Configuration
    public let store: any ConfigurationStore
    public let verifier: KeyVerifier
    public let logger: Logger
    /// Coalesces `last_used_at` updates.
    public let keyUse: KeyUseRecorder
    /// Keys in use by live connections: expiry, revocation, their connections.
    public let liveKeys: LiveKeys
    /// The per-key request rate limit.
    let rateLimiter: RequestRateLimiter
    /// Reads waiting for the store's read point, when the store has them (``ReadPoints``).
    let readPointBatches: ReadPointBatches?

    /// `readPoints`: the store's read points, when it has them (the store itself by default).
    public init(
        configuration: Server.Configuration, store: any ConfigurationStore, verifier: KeyVerifier, logger: Logger,
        readPoints: (any ReadPoints)? = nil
    ) {
        self.configuration = configuration
        self.store = store
        self.verifier = verifier
        self.logger = logger
        self.keyUse = KeyUseRecorder(store: store)
        self.liveKeys = LiveKeys()
        self.rateLimiter = RequestRateLimiter(
            rate: Double(configuration.keyRequestsPerSecond), burst: Double(configuration.keyRequestBurst))
        self.readPointBatches = (readPoints ?? store as? any ReadPoints).map(ReadPointBatches.init)
    }
}

/// What a handler knows about the call it is serving.
public struct RequestContext: Sendable {
    public var services: ServerServices
    /// The session when the request was admitted; nil before `hello`.
    public var session: Session?
    /// The connection the request arrived on.
    public var connection: ConnectionHandle
    /// The connection's logger (with the connection's metadata).
    public var connectionLogger: Logger
    /// The method being served, once known: ``logger`` adds it to what it logs.
    public var method: String?
    /// Work to do on the connection's event loop just before the response to this message is
    /// written (applying a new session, so its limits are in force when the client reads the answer).
    public var beforeResponse = ResponseHooks()
    /// Work to do on the connection once the response to this message is written (starting a watch).
    public var afterResponse = ResponseHooks()
    /// The only tenant this call may see, for tenant-bound keys; nil when every tenant is visible.
    public var tenantScope: String?
    /// Who is calling which method, for the audit record of a mutation (set for mutating methods only).
    public var audit: AuditContext = RequestContext.notAudited
    /// The revision of the store's read point this call waited for (``ReadPoints``), if any.
    public var readPoint: Int64?

    public init(services: ServerServices, session: Session?, connection: ConnectionHandle, logger: Logger) {
        self.services = services
        self.session = session
        self.connection = connection
        self.connectionLogger = logger
    }

    public var store: any ConfigurationStore { services.store }

    /// A logger carrying the connection and the method as metadata. Made when something is
    /// logged, not for every call: setting a metadata value re-renders the handler's metadata
    /// (swift-log's StreamLogHandler), about 6% of a cached read's CPU when it was done per call.
    public var logger: Logger {
        var logger = connectionLogger
        if let method { logger[metadataKey: "method"] = "\(method)" }
        return logger
    }
}

extension RequestContext {
    /// The audit context of calls that change nothing (reads are not audited).
    static let notAudited = AuditContext.system("read")
}
