import Foundation
import ParleyModel
import ParleyPostgres
import ParleyProtocol
import ParleySQLite
import ParleyServer
import ParleyStore
import ParleyTesting

/// The stores the contract suite runs against: SQLite always, PostgreSQL when the run has a
/// cluster (`PARLEY_TEST_POSTGRES`, which `./dev test` provides).
enum StoreUnderTest: String, CustomStringConvertible, CaseIterable, Sendable {
    case sqlite, postgres

    static var available: [StoreUnderTest] { TestPostgres.shared == nil ? [.sqlite] : [.sqlite, .postgres] }

    var description: String { rawValue }

    /// A fresh, empty store of this kind; `body` gets it, and it is closed (and its file or
    /// database left to the cluster's removal) afterwards.
    func with<Result>(_ body: (any ConfigurationStore) async throws -> Result) async throws -> Result {
        let store: any ConfigurationStore
        var cleanup: () -> Void = {}
        switch self {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-contract-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            store = try SQLiteStore(
                path: directory.appendingPathComponent("c.db").path, configuration: .init(auditErrorCode: RPCError.auditCode(of:)))
            cleanup = { try? FileManager.default.removeItem(at: directory) }
        case .postgres:
            let url = try await TestPostgres.shared!.makeDatabase()
            store = try await PostgresStore.open(url: url, configuration: .init(auditErrorCode: RPCError.auditCode(of:)))
        }
        defer { cleanup() }
        do {
            let result = try await body(store)
            try await store.close()
            return result
        } catch {
            try? await store.close()
            throw error
        }
    }
}

/// Shorthands for the contract tests.
enum Contract {
    static let audit = AuditContext.system("contract")

    /// Content of `type` read from wire params (the test's params are valid).
    static func content<Content: ResourceContent>(_ type: Content.Type, _ params: [String: JSONValue]) throws -> Content {
        var reader = ParamReader(params)
        guard let content = Content.read(from: &reader) else { throw ConfigError.invalid(reader.issues) }
        return content
    }

    static func tenant(_ store: any ConfigurationStore, _ slug: String = "acme") async throws -> Tenant {
        try await store.createTenant(TenantInput(slug: slug, name: slug.capitalized), seedBlockedFileTypes: true, dryRun: false, audit: audit)
    }

    static func group(_ store: any ConfigurationStore, _ tenant: Tenant, _ name: String, fields: [String: JSONValue] = [:]) async throws
        -> StoredResource
    {
        var params: [String: JSONValue] = ["name": .string(name)]
        params.merge(fields) { $1 }
        return try await store.createResource(try content(OperatorGroup.self, params), tenantId: tenant.id, state: nil, dryRun: false, audit: audit)
    }

    static func number(_ store: any ConfigurationStore, _ tenant: Tenant, group: StoredResource, phone: String) async throws -> StoredResource {
        let params: [String: JSONValue] = [
            "name": .string("number \(phone)"), "phone_number": .string(phone), "waba_id": "104996122399160", "routing_group_id": .string(group.id),
        ]
        return try await store.createResource(try content(WhatsAppNumber.self, params), tenantId: tenant.id, state: nil, dryRun: false, audit: audit)
    }

    static func template(_ store: any ConfigurationStore, _ tenant: Tenant, number: StoredResource, name: String) async throws -> StoredResource {
        let params: [String: JSONValue] = [
            "whatsapp_number_id": .string(number.id), "name": .string(name), "language": "en", "category": "MARKETING",
            "components": ["body": ["text": "Hello there."]],
        ]
        return try await store.createResource(try content(WhatsAppTemplate.self, params), tenantId: tenant.id, state: nil, dryRun: false, audit: audit)
    }

    static func key(tenantId: String?, role: Role = .tenantAdmin, expiresAt: Timestamp? = nil) -> APIKey {
        let now = Timestamp.now()
        return APIKey(
            id: String(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16)), secretHash: "$argon2id$test", role: role,
            tenantId: tenantId, name: "contract key", createdAt: now, expiresAt: expiresAt)
    }

    /// The reason of the conflict `body` throws; nil when it throws something else or nothing.
    static func conflict(_ body: () async throws -> Void) async -> String? {
        do {
            try await body()
            return nil
        } catch ConfigError.conflict(let reason, _, _, _) {
            return reason
        } catch {
            return nil
        }
    }
}
