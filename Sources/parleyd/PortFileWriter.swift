import Logging
import ParleyServer
import ServiceLifecycle

/// `--port-file`: writes the port the server bound (useful with port 0) once it listens, then waits
/// for shutdown (a service of the group, so no task outlives `parleyd serve`).
struct PortFileWriter: Service {
    let server: Server
    let path: String
    let logger: Logger

    func run() async throws {
        // Nothing to write when the server could not bind (it reports that itself).
        if let port = try? await server.listeningAddress.port {
            do {
                try "\(port)\n".write(toFile: path)
            } catch {
                logger.error("could not write the port file", metadata: ["error": "\(error)"])
            }
        }
        try? await gracefulShutdown()
    }
}
