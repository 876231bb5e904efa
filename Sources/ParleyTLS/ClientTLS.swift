import NIOCore
import NIOSSL

/// How a client speaks TLS to a Parley server: verified against the system's trust store or a CA
/// file, with the server's name checked (the host it connects to, or `serverName`), and
/// optionally with a client certificate (mTLS). There is no way to turn verification off.
public struct ClientTLS: Sendable {
    /// PEM CA certificates to trust instead of the system store; nil: the system store.
    public var trustRoots: String?
    /// The name the server's certificate must carry; nil: the host connected to.
    public var serverName: String?
    /// PEM client certificate chain and key, for servers that require client certificates.
    public var certificateChain: String?
    public var privateKey: String?

    public init(trustRoots: String? = nil, serverName: String? = nil, certificateChain: String? = nil, privateKey: String? = nil) {
        self.trustRoots = trustRoots
        self.serverName = serverName
        self.certificateChain = certificateChain
        self.privateKey = privateKey
    }

    /// The TLS context these options describe (load it once, use it for every connection).
    public func makeContext() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        configuration.certificateVerification = .fullVerification
        if let trustRoots {
            configuration.trustRoots = .certificates(try TLSFiles.certificates(trustRoots, code: .trustRootsUnreadable, what: "CA"))
        }
        switch (certificateChain, privateKey) {
        case (let chain?, let key?):
            configuration.certificateChain = try TLSFiles.certificates(chain, code: .certificateUnreadable, what: "client certificate")
                .map { .certificate($0) }
            configuration.privateKey = .privateKey(try TLSFiles.privateKey(key))
        case (nil, nil):
            break
        default:
            throw TLSSetupError(.incomplete, "a client certificate needs both a certificate file and a key file")
        }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw TLSSetupError(.keyDoesNotMatch, path: privateKey, "the client key does not fit the client certificate (\(error))")
        }
    }

    /// The name to check the certificate against when connecting to `host`, and to send in SNI:
    /// nil for an IP address (then the certificate must name that address).
    public func verifiedName(connectingTo host: String) -> String? {
        let name = serverName ?? host
        return Self.isIPAddress(name) ? nil : name
    }

    /// A handler for one connection to `host` with `context` (from ``makeContext()``).
    public func makeHandler(context: NIOSSLContext, host: String) throws -> NIOSSLClientHandler {
        do {
            return try NIOSSLClientHandler(context: context, serverHostname: verifiedName(connectingTo: host))
        } catch {
            throw TLSSetupError(.invalidServerName, "\(serverName ?? host) cannot be used as a TLS server name (\(error))")
        }
    }

    static func isIPAddress(_ text: String) -> Bool {
        var ipv4 = in_addr()
        var ipv6 = in6_addr()
        return text.withCString { inet_pton(AF_INET, $0, &ipv4) == 1 || inet_pton(AF_INET6, $0, &ipv6) == 1 }
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// ``ClientTLS`` with its context loaded: make it once, connect many times.
public struct PreparedClientTLS: Sendable {
    public let options: ClientTLS
    private let context: NIOSSLContext

    public init(_ options: ClientTLS) throws {
        self.options = options
        context = try options.makeContext()
    }

    /// A handler for one connection to `host`.
    public func makeHandler(host: String) throws -> NIOSSLClientHandler {
        try options.makeHandler(context: context, host: host)
    }
}
