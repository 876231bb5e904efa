import Foundation
import ParleyModel
import ParleyTesting
import Testing

/// Two tenants with one object of every family each, plus a key per tenant, and the params
/// that address them, for the access matrix.
struct AccessMatrixFixture {
    enum Target: String, CaseIterable { case own, other, missing }

    struct TenantObjects {
        var id: String
        var objects: [String: String] = [:]
        var spareGroup = ""
        var key = ""
    }

    var a: TenantObjects
    var b: TenantObjects
    static let missingTenant = "tnt_0000000000000000000000ZZZZ"

    static func build(_ fx: ConfigurationFixture) async throws -> AccessMatrixFixture {
        var tenants: [TenantObjects] = []
        for (index, slug) in ["matrix-a", "matrix-b"].enumerated() {
            var t = TenantObjects(id: try await fx.tenant(slug))
            let group = try await fx.group(t.id, "Sales")
            t.spareGroup = try await fx.group(t.id, "Spare")
            let number = try await fx.number(t.id, "Main", phone: "+42060100010\(index)", group: group)
            let template = try await fx.template(t.id, number: number, name: "matrix")
            // Rejected, so that its content may be edited (Meta's rule: not while PENDING).
            _ = try await fx.result("templates.set_status", ["tenant_id": .string(t.id), "id": .string(template), "status": "REJECTED"])
            t.objects = [
                "groups": group, "whatsapp_numbers": number,
                "templates": template,
                "hero_cards": try await fx.heroCard(t.id, "Card"),
                "tags": try await fx.create("tags", t.id, ["name": "matrix"]),
                "blocked_file_types": try await fx.create("blocked_file_types", t.id, ["extension": "zzz"]),
                "file_policies": try await fx.create("file_policies", t.id, ["channel": "EMAIL"]),
                "business_hours": try await fx.create("business_hours", t.id, ["name": "Office", "timezone": "Europe/Prague", "week": [:]]),
            ]
            let key = try await fx.result("api_keys.create", ["name": "matrix", "role": "TENANT_READER", "tenant_id": .string(t.id)])
            t.key = try #require(key["key"]?["id"]?.stringValue)
            tenants.append(t)
        }
        return AccessMatrixFixture(a: tenants[0], b: tenants[1])
    }

    /// Params for `method` aimed at tenant A (own), tenant B (other) or a missing object of A.
    func params(_ method: String, target: Target) -> [String: JSONValue] {
        let t = target == .other ? b : a
        let parts = method.split(separator: ".").map(String.init)
        let (family, verb) = (parts[0], parts.count > 1 ? parts[1] : "")
        let tenant = JSONValue.string(t.id)
        let missingID = { (prefix: String) in JSONValue.string("\(prefix)_00000000000000000000000000") }
        switch method {
        case "hello", "ping", "server.info", "rpc.discover", "tenants.list": return [:]
        case "tenants.create": return ["slug": "matrix-new", "name": "New", "dry_run": true]
        case "tenants.get": return ["id": target == .missing ? .string(Self.missingTenant) : tenant]
        case "tenants.update": return ["id": target == .missing ? .string(Self.missingTenant) : tenant, "name": "Renamed", "dry_run": true]
        case "tenants.delete": return ["id": target == .missing ? .string(Self.missingTenant) : tenant, "cascade": true, "dry_run": true]
        case "files.check": return ["tenant_id": tenant, "file_name": "a.pdf"]
        case "templates.import":
            return [
                "tenant_id": tenant, "whatsapp_number_id": .string(t.objects["whatsapp_numbers"]!), "dry_run": true,
                "template": ["name": "imported", "language": "cs", "category": "UTILITY", "components": [["type": "BODY", "text": "Hi"]]],
            ]
        case "audit.list", "api_keys.list", "config.export", "watch.subscribe": return ["tenant_id": tenant]
        case "watch.unsubscribe": return ["subscription_id": "sub_999999"]
        case "config.apply": return ["tenant_id": tenant, "document": ["version": 1], "dry_run": true]
        case "api_keys.create": return ["tenant_id": tenant, "name": "made", "role": "TENANT_READER", "dry_run": true]
        case "api_keys.get", "api_keys.revoke", "api_keys.rotate":
            var params: [String: JSONValue] = ["id": target == .missing ? "0000000000000000" : .string(t.key)]
            if verb != "get" { params["dry_run"] = true }
            return params
        default: break
        }
        let kind = ResourceKind.all.first { $0.family == family }!
        var id = JSONValue.string(family == "groups" && verb == "delete" ? t.spareGroup : t.objects[family]!)
        if target == .missing { id = missingID(kind.idPrefix) }
        switch verb {
        case "list": return ["tenant_id": tenant]
        case "create": return createParams(family, tenant: t)
        case "check": return ["tenant_id": tenant, "id": id, "at": "2026-03-29T01:00:00Z"]
        case "get", "render":
            return verb == "render" && family == "templates" ? ["tenant_id": tenant, "id": id, "parameters": [:]] : ["tenant_id": tenant, "id": id]
        case "delete": return ["tenant_id": tenant, "id": id, "dry_run": true].merging(family == "whatsapp_numbers" ? ["cascade": true] : [:]) { $1 }
        case "set_status": return ["tenant_id": tenant, "id": id, "status": "APPROVED", "dry_run": true]
        default: return ["tenant_id": tenant, "id": id, "dry_run": true].merging(updateChange(family)) { $1 }
        }
    }

    private func createParams(_ family: String, tenant t: TenantObjects) -> [String: JSONValue] {
        var fields: [String: JSONValue]
        switch family {
        case "groups": fields = ["name": "New group"]
        case "whatsapp_numbers":
            fields = ["name": "New", "phone_number": "+420601999999", "waba_id": "5", "routing_group_id": .string(t.objects["groups"]!)]
        case "templates":
            fields = [
                "whatsapp_number_id": .string(t.objects["whatsapp_numbers"]!), "name": "fresh", "language": "cs", "category": "UTILITY",
                "components": ["body": ["text": "Ahoj"]],
            ]
        case "hero_cards": fields = ["name": "New", "channel": "WEBCHAT", "default_language": "cs", "localizations": ["cs": ["title": "T"]]]
        case "tags": fields = ["name": "fresh"]
        case "file_policies": fields = ["channel": "WHATSAPP"]
        case "business_hours": fields = ["name": "Fresh", "timezone": "UTC", "week": ["mon": [["open": "09:00", "close": "17:00"]]]]
        default: fields = ["extension": "yyy"]
        }
        fields["tenant_id"] = .string(t.id)
        fields["dry_run"] = true
        return fields
    }

    private func updateChange(_ family: String) -> [String: JSONValue] {
        switch family {
        case "templates": ["components": ["body": ["text": "Dobrý večer"]]]
        case "tags": ["label": "Changed"]
        case "blocked_file_types": ["reason": "Changed"]
        case "file_policies": ["max_file_bytes": 1000]
        default: ["name": "Changed"]
        }
    }
}
