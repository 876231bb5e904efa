import NIOConcurrencyHelpers
import NIOCore
import NIOSSL

/// The server's TLS identity: a certificate chain and its key (PEM files), and optionally the CA
/// that client certificates must chain to (mTLS). ``reload()`` reads the files again (on SIGHUP):
/// new connections get the new pair, live ones keep theirs, and a pair that does not load leaves
/// the old one in force.
public final class ServerTLS: Sendable {
    /// Where the server's TLS material lives.
    public struct Files: Sendable, Hashable {
        /// PEM: the server certificate first, then any intermediates (the whole chain is sent).
        public var certificateChain: String
        /// PEM: the private key of the first certificate.
        public var privateKey: String
        /// PEM: the CA certificates client certificates must chain to; nil: no client certificates.
        public var clientCA: String?

        public init(certificateChain: String, privateKey: String, clientCA: String? = nil) {
            self.certificateChain = certificateChain
            self.privateKey = privateKey
            self.clientCA = clientCA
        }
    }

    public let files: Files
    private let current: NIOLockedValueBox<NIOSSLContext>

    /// Loads `files`; throws ``TLSSetupError`` naming the file that does not load.
    public init(files: Files) throws {
        self.files = files
        current = NIOLockedValueBox(try Self.context(for: files))
    }

    /// Whether connections must present a client certificate.
    public var requiresClientCertificates: Bool { files.clientCA != nil }

    /// Reads the files again; on failure throws and keeps the pair in force.
    public func reload() throws {
        let context = try Self.context(for: files)
        current.withLockedValue { $0 = context }
    }

    /// A handler for a new connection, with the pair in force now.
    public func makeHandler() -> NIOSSLServerHandler {
        NIOSSLServerHandler(context: current.withLockedValue { $0 })
    }

    /// TLS 1.2 or 1.3; with a client CA, client certificates are required and verified against it.
    static func context(for files: Files) throws -> NIOSSLContext {
        let chain = try TLSFiles.certificates(files.certificateChain, code: .certificateUnreadable, what: "certificate")
        let key = try TLSFiles.privateKey(files.privateKey)
        var configuration: TLSConfiguration
        if let clientCA = files.clientCA {
            let roots = try TLSFiles.certificates(clientCA, code: .trustRootsUnreadable, what: "client CA")
            configuration = .makeServerConfigurationWithMTLS(
                certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key), trustRoots: .certificates(roots))
        } else {
            configuration = .makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        }
        configuration.minimumTLSVersion = .tlsv12
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw TLSSetupError(
                .keyDoesNotMatch, path: files.privateKey,
                "the private key \(files.privateKey) does not fit the certificate \(files.certificateChain) (\(error))")
        }
    }
}
