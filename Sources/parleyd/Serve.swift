import ArgumentParser
import Logging
import Metrics
import NIOCore
import ParleyAuth
import ParleyModel
import ParleyPostgres
import ParleySQLite
import ParleyServer
import ParleyStore
import ParleyTLS
import Prometheus
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// `parleyd serve`: run the server until SIGINT or SIGTERM.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the server (the default command).")

    @Option(
        help:
            "SQLite file (created and migrated if needed), or postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE (migrated if needed; env PARLEY_DB; default ./parley.db)."
    )
    var db: String?

    @Option(help: "host:port to listen on.")
    var listen = "127.0.0.1:7411"

    @Option(help: "Largest frame payload accepted after hello, in bytes.")
    var maxFrameBytes = 1 << 20

    @Option(help: "Open connections allowed at once.")
    var maxConnections = 1024

    @Option(help: "Seconds without a request before a connection is closed.")
    var idleTimeout = 300

    @Option(help: "Seconds a new connection has to complete hello.")
    var helloTimeout = 10

    @Option(help: "Seconds a frame may stay half-sent.")
    var partialFrameTimeout = 30

    @Option(help: "PEM certificate chain for TLS on the listener (the server certificate first; with --tls-key). Reloaded on SIGHUP.")
    var tlsCert: String?

    @Option(help: "PEM private key of --tls-cert. Reloaded on SIGHUP.")
    var tlsKey: String?

    @Option(help: "PEM CA certificates that client certificates must chain to: client certificates become required (mTLS).")
    var tlsClientCa: String?

    @Option(help: "Seconds a TLS handshake may take before the connection is closed.")
    var tlsHandshakeTimeout = 10

    @Flag(help: "Listen in plaintext on an address that is not loopback (API keys then cross the network in clear text).")
    var allowPlaintext = false

    @Option(help: "Seconds a connection's unread responses may stay above their pause mark (64 KiB before hello, 4 MiB after) before it is closed.")
    var outputStallTimeout = 30

    @Option(help: "Requests per second one API key may make on average, over all its connections (0: no limit).")
    var keyRateLimit = 5000

    @Option(help: "Requests one API key may make in a burst above its rate.")
    var keyRateBurst = 10000

    @Option(help: "Failing hellos allowed at once per key id, and per client address (IPv6: per /64), before they wait or get -32010 (0: no throttle).")
    var authMaxFailures = 10

    @Option(help: "Seconds until one spent failure allowance comes back (so --auth-max-failures + 60/this failures a minute at most).")
    var authFailureRefill = 3

    @Flag(inversion: .prefixedNo, help: "Let concurrent writes share one commit and fsync (each is still acknowledged only once durable).")
    var groupCommit = true

    @Option(help: "Objects, and tenants, kept in memory for reads (0: none); roughly 2 KB per group.")
    var readCacheObjects = 100_000

    @Option(help: "Seconds one write may run in the writer before it is rolled back with -32015 (so that no write holds up the others).")
    var writeTimeBudget = 10

    @Option(help: "Refuse writes (-32015 store_full) once the database file reaches this many MiB (default: no limit but the disk's).")
    var maxDatabaseMib: Int?

    @Flag(help: "Skip the quick integrity check of the database at start (it reads the whole file).")
    var noIntegrityCheck = false

    @Option(help: "Revisions of change history kept for watch resumption (history is also kept at least 24 hours).")
    var watchHistoryRevisions: Int64 = 100_000

    @Option(help: "Days audit records are kept (0: forever).")
    var auditRetentionDays = 365

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    @Option(help: "host:port to serve Prometheus metrics on (GET /metrics); off unless given. Keep it on loopback.")
    var metricsListen: String?

    @Option(help: "Write the bound port to this file once listening (useful with port 0).")
    var portFile: String?

    func validate() throws {
        guard parseListen() != nil else { throw ValidationError("--listen must be host:port, e.g. 127.0.0.1:7411") }
        guard maxFrameBytes >= 1024, maxFrameBytes <= 64 << 20 else {
            throw ValidationError("--max-frame-bytes must be between 1024 and 67108864")
        }
        guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
        guard tlsClientCa == nil || tlsCert != nil else { throw ValidationError("--tls-client-ca needs --tls-cert and --tls-key") }
        guard tlsHandshakeTimeout >= 1 else { throw ValidationError("--tls-handshake-timeout must be at least 1") }
        if tlsCert == nil, !allowPlaintext, let host = parseListen()?.host, !Loopback.contains(host) {
            throw ValidationError(
                "refusing to listen in plaintext on \(listen), which is not loopback: every hello would carry an API key in clear text. "
                    + "Give --tls-cert FILE --tls-key FILE to speak TLS, or --allow-plaintext if a private network or a TLS terminator is in front")
        }
        guard outputStallTimeout >= 1 else { throw ValidationError("--output-stall-timeout must be at least 1") }
        guard maxConnections >= 1 else { throw ValidationError("--max-connections must be at least 1") }
        guard (0...10_000_000).contains(readCacheObjects) else { throw ValidationError("--read-cache-objects must be 0-10000000") }
        guard keyRateLimit >= 0, keyRateBurst >= 1 else { throw ValidationError("--key-rate-limit must be >= 0 and --key-rate-burst >= 1") }
        guard authMaxFailures >= 0, authFailureRefill >= 1 else {
            throw ValidationError("--auth-max-failures must be >= 0 and --auth-failure-refill >= 1")
        }
        guard watchHistoryRevisions >= 0 else { throw ValidationError("--watch-history-revisions must be >= 0") }
        guard writeTimeBudget >= 1 else { throw ValidationError("--write-time-budget must be at least 1") }
        guard (maxDatabaseMib ?? 1) >= 1 else { throw ValidationError("--max-database-mib must be at least 1") }
        guard auditRetentionDays >= 0 else { throw ValidationError("--audit-retention-days must be >= 0") }
    }

    func run() async throws {
        restrictNewFiles()
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "parleyd")
        var services: [any Service] = []
        if let metricsListen {
            guard let colon = metricsListen.lastIndex(of: ":"), let port = Int(metricsListen[metricsListen.index(after: colon)...]) else {
                throw ValidationError("--metrics-listen must be host:port")
            }
            let registry = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            services.append(MetricsEndpoint(host: String(metricsListen[..<colon]), port: port, registry: registry, logger: logger))
        }
        let location = try StoreLocation.resolve(db)
        var lock: DatabaseLock?
        if case .sqlite(let path) = location {
            do {
                lock = try DatabaseLock(databasePath: path)
            } catch {
                printError("parleyd: \(error)")
                throw ExitCode.failure
            }
        }
        defer { withExtendedLifetime(lock) {} }
        let store = try await openCheckedStore(location, logger: logger)
        let pool = Argon2Pool()
        let server: Server
        do {
            server = try await makeServer(store: store, pool: pool, logger: logger, services: &services)
        } catch {
            try? await store.close()  // the lifecycle, which closes it, never started
            throw error
        }
        if let portFile {
            services.insert(PortFileWriter(server: server, path: portFile, logger: logger), at: 0)
        }
        // The server's own services (the store, closed last; the key-use recorder; retention; the
        // server), then these, which stop first. A failure anywhere shuts everything down in order.
        let group = ServiceGroup(
            configuration: .init(
                services: server.lifecycleServices + services.map { .init(service: $0, failureTerminationBehavior: .gracefullyShutdownGroup) },
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            logger.error("server stopped with an error", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }
        try await pool.shutdown()
    }

    /// The server on `store`: an ADMIN key made if there is none, the key verifier, TLS if asked
    /// for (its reloader added to `services`).
    private func makeServer(
        store: any ConfigurationStore, pool: Argon2Pool, logger: Logger, services: inout [any Service]
    ) async throws -> Server {
        try await ensureAdminKey(store: store, pool: pool)
        let throttle = AuthThrottle(
            configuration: .init(burst: authMaxFailures, refillMilliseconds: Int64(authFailureRefill) * 1000))
        let verifier = try KeyVerifier(store: store, pool: pool, throttle: throttle)
        var configuration = serverConfiguration()
        if let tlsCert, let tlsKey {
            do {
                let tls = try ServerTLS(files: .init(certificateChain: tlsCert, privateKey: tlsKey, clientCA: tlsClientCa))
                configuration.tls = tls
                services.append(TLSReloader(tls: tls, logger: logger))
            } catch {
                printError("parleyd: TLS: \(error)")
                throw ExitCode.failure
            }
        }
        return Server(configuration: configuration, store: store, verifier: verifier, logger: logger)
    }

    /// Opens the store `location` names, checked usable; the caller closes it.
    private func openCheckedStore(_ location: StoreLocation, logger: Logger) async throws -> any ConfigurationStore {
        switch location {
        case .sqlite(let path):
            let sqlite = try openStore(
                path: path,
                configuration: .init(
                    groupCommit: groupCommit, readCacheCapacity: readCacheObjects, writeTimeBudget: Double(writeTimeBudget),
                    maximumDatabaseBytes: maxDatabaseMib.map { Int64($0) << 20 }))
            do {
                try await checkUsable(sqlite, path: path)
            } catch {
                try? await sqlite.close()  // refused before the lifecycle started
                throw error
            }
            return sqlite
        case .postgres(let url):
            // Several replicas may serve one database: no file lock, and the migrator's advisory lock.
            let store = try await openStore(
                url: url,
                configuration: .init(
                    readCacheCapacity: readCacheObjects, writeTimeBudget: Double(writeTimeBudget)))
            logger.info("store: PostgreSQL", metadata: ["database": "\(url)"])
            return store
        }
    }

    /// Refuses a damaged database, or one this process cannot write, with a message saying what to do.
    private func checkUsable(_ store: SQLiteStore, path db: String) async throws {
        if !noIntegrityCheck {
            let verdict = (try? await store.quickCheck()) ?? "the check could not run"
            guard verdict == "ok" else {
                printError(
                    "parleyd: the database \(db) is damaged (quick_check: \(verdict.split(separator: "\n").prefix(3).joined(separator: "; "))); restore it from a backup with `parleyd restore`"
                )
                throw ExitCode.failure
            }
        }
        do {
            try await store.probeWritable()
        } catch {
            printError("parleyd: cannot write the database \(db): \(error); check the permissions of the file and its directory, and the free space")
            throw ExitCode.failure
        }
    }

    private func ensureAdminKey(store: any ConfigurationStore, pool: Argon2Pool) async throws {
        guard try await store.usableAdminKeyCount(at: .now()) == 0 else { return }
        let (_, token) = try await KeyIssuer(store: store, pool: pool).issue(
            name: "initial admin", role: .admin, audit: .system("parleyd.serve", targetType: APIKey.auditType))
        printError("parleyd: the database had no usable ADMIN key, so one was created. It is shown only this once:")
        printError(token.text)
    }

    private func parseListen() -> (host: String, port: Int)? {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
            (0...65535).contains(port)
        else { return nil }
        var host = String(listen[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host.isEmpty ? nil : (host, port)
    }

    private func serverConfiguration() -> Server.Configuration {
        var configuration = Server.Configuration()
        let (host, port) = parseListen()!
        configuration.host = host
        configuration.port = port
        configuration.maximumFrameBytes = maxFrameBytes
        configuration.maximumConnections = maxConnections
        configuration.idleTimeout = .seconds(Int64(idleTimeout))
        configuration.helloTimeout = .seconds(Int64(helloTimeout))
        configuration.partialFrameTimeout = .seconds(Int64(partialFrameTimeout))
        configuration.outputStallTimeout = .seconds(Int64(outputStallTimeout))
        configuration.tlsHandshakeTimeout = .seconds(Int64(tlsHandshakeTimeout))
        configuration.keyRequestsPerSecond = keyRateLimit
        configuration.keyRequestBurst = keyRateBurst
        configuration.auditRetentionDays = auditRetentionDays
        configuration.watchHistoryRevisions = watchHistoryRevisions
        return configuration
    }
}

// swift-format-ignore: AvoidRetroactiveConformances
// (the log level is read from the command line; neither swift-log nor ArgumentParser offers this conformance)
extension Logger.Level: @retroactive ExpressibleByArgument {}
