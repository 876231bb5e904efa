import ParleyModel
import ParleyTesting
import Testing

/// An admin connection plus helpers that create minimal valid objects of each family.
struct ConfigurationFixture {
    let client: RawConnection

    static func open(_ server: TestServer) async throws -> ConfigurationFixture {
        ConfigurationFixture(client: try await RawConnection.authenticated(port: server.port, apiKey: server.adminKey))
    }

    /// Calls `method` and returns its result, failing the test (with the error) if there is none.
    func result(_ method: String, _ params: [String: JSONValue]) async throws -> JSONValue {
        let response = try await client.call(method, params)
        return try #require(response["result"], "\(method) failed: \(response)")
    }

    /// Calls `method` and returns its error object, failing the test if it succeeded.
    func error(_ method: String, _ params: [String: JSONValue]) async throws -> JSONValue {
        let response = try await client.call(method, params)
        return try #require(response["error"], "\(method) should have failed: \(response)")
    }

    func tenant(_ slug: String, seed: Bool = true) async throws -> String {
        let created = try await result("tenants.create", ["slug": .string(slug), "name": .string(slug), "seed_blocked_file_types": .bool(seed)])
        return try #require(created["id"]?.stringValue)
    }

    func create(_ family: String, _ tenant: String, _ fields: [String: JSONValue]) async throws -> String {
        var params = fields
        params["tenant_id"] = .string(tenant)
        return try #require(try await result("\(family).create", params)["id"]?.stringValue)
    }

    func group(_ tenant: String, _ name: String, fallback: String? = nil) async throws -> String {
        var fields: [String: JSONValue] = ["name": .string(name)]
        if let fallback { fields["fallback_group_id"] = .string(fallback) }
        return try await create("groups", tenant, fields)
    }

    func number(_ tenant: String, _ name: String, phone: String, waba: String = "100200300", group: String) async throws -> String {
        try await create(
            "whatsapp_numbers", tenant,
            [
                "name": .string(name), "phone_number": .string(phone), "waba_id": .string(waba), "routing_group_id": .string(group),
            ])
    }

    func template(_ tenant: String, number: String, name: String, language: String = "cs", body: String = "Dobrý den") async throws -> String {
        try await create("templates", tenant, templateFields(number: number, name: name, language: language, body: body))
    }

    func templateFields(number: String, name: String, language: String = "cs", body: String = "Dobrý den") -> [String: JSONValue] {
        [
            "whatsapp_number_id": .string(number), "name": .string(name), "language": .string(language), "category": "UTILITY",
            "components": ["body": ["text": .string(body)]],
        ]
    }

    func heroCard(_ tenant: String, _ name: String, template: String? = nil) async throws -> String {
        var fields: [String: JSONValue] = [
            "name": .string(name), "channel": "WHATSAPP", "default_language": "cs",
            "localizations": ["cs": ["title": "Nabídka", "text": "Vyberte si"]],
        ]
        if let template { fields["template_id"] = .string(template) }
        return try await create("hero_cards", tenant, fields)
    }
}
