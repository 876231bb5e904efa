import Foundation
import ParleyTLS

/// Where a PostgreSQL database is: `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE` (or
/// `postgresql://`), with an optional `?sslmode=disable|require` (default: `disable` on loopback,
/// `require` elsewhere). The password is never printed: ``description`` shows `***`.
public struct PostgresURL: Sendable, Hashable, CustomStringConvertible {
    public enum TLSMode: String, Sendable, Hashable {
        /// Plaintext (the default on loopback).
        case disable
        /// TLS with the server's certificate verified against the system's trust store and its
        /// name checked (the default elsewhere).
        case require
    }

    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    public var tls: TLSMode

    /// Whether `text` names a PostgreSQL database rather than a SQLite file.
    public static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Parses `text`, or throws ``PostgresStoreError`` naming what is wrong (never the password).
    public init(_ text: String) throws {
        guard Self.isPostgres(text), let components = URLComponents(string: text) else {
            throw PostgresStoreError(.invalidURL, "not a postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE URL")
        }
        guard let user = components.percentEncodedUser.flatMap({ $0.removingPercentEncoding }), !user.isEmpty else {
            throw PostgresStoreError(.invalidURL, "the URL names no user (postgres://USER@HOST/DATABASE)")
        }
        guard let host = components.host, !host.isEmpty else {
            throw PostgresStoreError(.invalidURL, "the URL names no host")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw PostgresStoreError(.invalidURL, "the URL names no database (postgres://USER@HOST/DATABASE)")
        }
        if let port = components.port, !(1...65535).contains(port) {
            throw PostgresStoreError(.invalidURL, "the port must be 1-65535")
        }
        self.user = user
        password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
        self.host = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        port = components.port ?? 5432
        self.database = database.removingPercentEncoding ?? database
        var tls: TLSMode = Loopback.contains(host) ? .disable : .require
        for item in components.queryItems ?? [] {
            switch (item.name, item.value) {
            case ("sslmode", let value?):
                guard let mode = TLSMode(rawValue: value) else {
                    throw PostgresStoreError(.invalidURL, "sslmode must be disable or require, not \(value)")
                }
                tls = mode
            default:
                throw PostgresStoreError(.invalidURL, "unknown URL parameter \(item.name) (only sslmode is understood)")
            }
        }
        self.tls = tls
    }

    /// The URL with the password replaced by `***`.
    public var description: String {
        let secret = password == nil ? "" : ":***"
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(user)\(secret)@\(shownHost):\(port)/\(database)"
    }
}
