import NIOSSL

#if canImport(Glibc)
import Glibc
#endif

/// Reading PEM files with errors that say which file and what is wrong.
enum TLSFiles {
    static func certificates(_ path: String, code: TLSSetupError.Code, what: String) throws -> [NIOSSLCertificate] {
        try readable(path, code: code, what: what)
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(path)
        } catch {
            throw TLSSetupError(code, path: path, "the \(what) file \(path) holds no PEM certificate")
        }
        guard !certificates.isEmpty else { throw TLSSetupError(code, path: path, "the \(what) file \(path) holds no PEM certificate") }
        return certificates
    }

    static func privateKey(_ path: String) throws -> NIOSSLPrivateKey {
        try readable(path, code: .privateKeyUnreadable, what: "private key")
        do {
            return try NIOSSLPrivateKey(file: path, format: .pem)
        } catch {
            throw TLSSetupError(.privateKeyUnreadable, path: path, "the private key file \(path) holds no PEM private key (an encrypted key is not supported)")
        }
    }

    private static func readable(_ path: String, code: TLSSetupError.Code, what: String) throws {
        guard access(path, R_OK) == 0 else {
            throw TLSSetupError(code, path: path, "cannot read the \(what) file \(path): \(String(cString: strerror(errno)))")
        }
    }
}
