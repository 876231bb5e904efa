import Logging
import ParleyTLS
import ServiceLifecycle
import UnixSignals

/// Reads the TLS certificate and key again on every SIGHUP: new connections get the new pair,
/// live ones keep theirs, and a pair that does not load is logged while the old one stays in force.
struct TLSReloader: Service {
    let tls: ServerTLS
    let logger: Logger

    func run() async throws {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        for await _ in hangups.cancelOnGracefulShutdown() {
            do {
                try tls.reload()
                logger.notice("TLS certificate and key reloaded", metadata: ["certificate": "\(tls.files.certificateChain)"])
            } catch {
                logger.error("TLS reload failed; the previous certificate stays in force", metadata: ["error": "\(error)"])
            }
        }
    }
}
