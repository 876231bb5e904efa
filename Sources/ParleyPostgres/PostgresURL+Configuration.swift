import NIOCore
import NIOSSL
import PostgresNIO

extension PostgresURL {
    /// postgres-nio's configuration of one connection to this database.
    func connectionConfiguration(timeout seconds: Double) throws -> PostgresConnection.Configuration {
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: try connectionTLS())
        configuration.options.connectTimeout = .milliseconds(Int64(seconds * 1000))
        return configuration
    }

    /// postgres-nio's configuration of the read pool.
    func clientConfiguration(timeout seconds: Double) -> PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database,
            tls: tls == .require ? .require(.makeClientConfiguration()) : .disable)
        configuration.options.connectTimeout = .milliseconds(Int64(seconds * 1000))
        configuration.options.minimumConnections = 1
        return configuration
    }

    private func connectionTLS() throws -> PostgresConnection.Configuration.TLS {
        switch tls {
        case .disable: return .disable
        case .require: return .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
    }
}
