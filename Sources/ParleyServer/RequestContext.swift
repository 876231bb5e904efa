import Logging
import ParleyAuth
import ParleyModel
import ParleyStore

/// The services every handler can use, shared by all connections.
public struct ServerServices: Sendable {
    public var configuration: ParleyServer.Configuration
    public var store: any ConfigurationStore
    public var verifier: KeyVerifier
    public var logger: Logger
    /// Coalesces `last_used_at` updates.
    public var keyUse: KeyUseRecorder
    /// Keys in use by live connections: expiry, revocation, their connections.
    public var liveKeys: LiveKeys
    /// The per-key request rate limit.
    var rateLimiter: RequestRateLimiter
    /// Reads waiting for the store's read point, when the store has them (``ReadPoints``).
    let readPointBatches: ReadPointBatches?

    public init(configuration: ParleyServer.Configuration, store: any ConfigurationStore, verifier: KeyVerifier, logger: Logger) {
        self.configuration = configuration
        self.store = store
        self.verifier = verifier
        self.logger = logger
        self.keyUse = KeyUseRecorder(store: store)
        self.liveKeys = LiveKeys()
        self.rateLimiter = RequestRateLimiter(
            rate: Double(configuration.keyRequestsPerSecond), burst: Double(configuration.keyRequestBurst))
        self.readPointBatches = (store as? any ReadPoints).map(ReadPointBatches.init)
    }
}

/// What a handler knows about the call it is serving.
public struct RequestContext: Sendable {
    public var services: ServerServices
    /// The session when the request was admitted; nil before `hello`.
    public var session: Session?
    /// The connection the request arrived on.
    public var connection: ConnectionHandle
    /// A logger carrying the connection and method as metadata.
    public var logger: Logger
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

    public var store: any ConfigurationStore { services.store }
}

extension RequestContext {
    /// The audit context of calls that change nothing (reads are not audited).
    static let notAudited = AuditContext.system("read")
}
