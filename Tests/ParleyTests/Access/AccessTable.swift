import ParleyModel

/// The permission table as the issue states it, written out independently of the server's own
/// declaration so the matrix test can check one against the other.
enum AccessTable {
    enum Need: Int, Comparable {
        case anyone, authenticated, reader, tenantAdmin, admin
        static func < (lhs: Need, rhs: Need) -> Bool { lhs.rawValue < rhs.rawValue }

        init(_ role: Role) {
            switch role {
            case .admin: self = .admin
            case .tenantAdmin: self = .tenantAdmin
            case .tenantReader: self = .reader
            }
        }
    }

    enum Scope {
        /// No tenant: `ADMIN` only (beyond anyone/authenticated methods).
        case platform
        /// `tenant_id` names the tenant.
        case tenant
        /// `id` names an API key, whose tenant counts.
        case key
        /// `id` names a tenant (or none: the key's own); tenant-bound keys see their own only.
        case ownTenant
    }

    struct Rule {
        var need: Need
        var scope: Scope
        /// The type a missing object is reported as (nil: the method names no object).
        var objectType: String?
    }

    static let families = ["groups", "whatsapp_numbers", "templates", "hero_cards", "tags", "blocked_file_types", "file_policies", "business_hours"]

    static var rules: [String: Rule] {
        var rules: [String: Rule] = [
            "hello": Rule(need: .anyone, scope: .platform), "ping": Rule(need: .anyone, scope: .platform),
            "server.info": Rule(need: .anyone, scope: .platform), "rpc.discover": Rule(need: .authenticated, scope: .platform),
            "tenants.create": Rule(need: .admin, scope: .platform), "tenants.list": Rule(need: .reader, scope: .ownTenant),
            "tenants.get": Rule(need: .reader, scope: .ownTenant, objectType: "tenant"),
            "tenants.update": Rule(need: .admin, scope: .platform, objectType: "tenant"),
            "tenants.delete": Rule(need: .admin, scope: .platform, objectType: "tenant"),
            "templates.set_status": Rule(need: .tenantAdmin, scope: .tenant, objectType: "template"),
            "templates.render": Rule(need: .reader, scope: .tenant, objectType: "template"),
            "templates.import": Rule(need: .tenantAdmin, scope: .tenant),
            "hero_cards.render": Rule(need: .reader, scope: .tenant, objectType: "hero_card"),
            "files.check": Rule(need: .reader, scope: .tenant),
            "business_hours.check": Rule(need: .reader, scope: .tenant, objectType: "business_hours"),
            "api_keys.create": Rule(need: .tenantAdmin, scope: .tenant), "api_keys.list": Rule(need: .tenantAdmin, scope: .tenant),
            "api_keys.get": Rule(need: .tenantAdmin, scope: .key, objectType: "api_key"),
            "api_keys.revoke": Rule(need: .tenantAdmin, scope: .key, objectType: "api_key"),
            "api_keys.rotate": Rule(need: .tenantAdmin, scope: .key, objectType: "api_key"),
            "audit.list": Rule(need: .tenantAdmin, scope: .tenant),
            "config.export": Rule(need: .reader, scope: .tenant), "config.apply": Rule(need: .tenantAdmin, scope: .tenant),
            "watch.subscribe": Rule(need: .reader, scope: .tenant),
            "watch.unsubscribe": Rule(need: .authenticated, scope: .platform, objectType: "subscription"),
        ]
        for family in families {
            let type = ResourceKind.all.first { $0.family == family }!.type
            rules["\(family).create"] = Rule(need: .tenantAdmin, scope: .tenant)
            rules["\(family).list"] = Rule(need: .reader, scope: .tenant)
            rules["\(family).get"] = Rule(need: .reader, scope: .tenant, objectType: type)
            rules["\(family).update"] = Rule(need: .tenantAdmin, scope: .tenant, objectType: type)
            rules["\(family).delete"] = Rule(need: .tenantAdmin, scope: .tenant, objectType: type)
        }
        return rules
    }
}
