/// A WhatsApp business number of a tenant (family `whatsapp_numbers`): the number an operator
/// picks when starting a WhatsApp conversation, its Meta ids, where its sessions are routed, and
/// the Meta-side state an integration syncs in.
public struct WhatsAppNumber: ResourceContent, Hashable {
    public static let kind = ResourceKind.whatsappNumber

    /// Display name, 1-100 characters, unique in the tenant ignoring case.
    public var name: String
    /// E.164 (`+420601123456`), unique across all tenants.
    public var phoneNumber: String
    public var provider: WhatsAppProvider
    /// The WhatsApp Business Account id (digits); templates are unique per WABA.
    public var wabaId: String
    /// Meta's phone-number id (digits), unique across all tenants when set.
    public var phoneNumberId: String?
    /// The group (of the same tenant) that sessions of this number are routed to.
    public var routingGroupId: String
    /// The display name Meta approved, at most 256 characters.
    public var verifiedName: String?
    public var status: WhatsAppNumberStatus
    public var qualityRating: WhatsAppQualityRating
    public var messagingLimitTier: MessagingLimitTier?
    /// Meta-side state a sync writes (each null until it does).
    public var nameStatus: WhatsAppNameStatus?
    public var codeVerificationStatus: WhatsAppCodeVerificationStatus?
    public var throughputLevel: WhatsAppThroughputLevel?
    public var accountMode: WhatsAppAccountMode?
    public var profile: WhatsAppBusinessProfile
    public var enabled: Bool
    /// The business hours (of the same tenant) the number keeps, when set.
    public var businessHoursId: String?

    public init(
        name: String, phoneNumber: String, provider: WhatsAppProvider = .cloudAPI, wabaId: String,
        phoneNumberId: String? = nil, routingGroupId: String, verifiedName: String? = nil,
        status: WhatsAppNumberStatus = .pending, qualityRating: WhatsAppQualityRating = .notApplicable,
        messagingLimitTier: MessagingLimitTier? = nil, nameStatus: WhatsAppNameStatus? = nil,
        codeVerificationStatus: WhatsAppCodeVerificationStatus? = nil, throughputLevel: WhatsAppThroughputLevel? = nil,
        accountMode: WhatsAppAccountMode? = nil, profile: WhatsAppBusinessProfile = .init(), enabled: Bool = true,
        businessHoursId: String? = nil
    ) {
        self.name = name
        self.phoneNumber = phoneNumber
        self.provider = provider
        self.wabaId = wabaId
        self.phoneNumberId = phoneNumberId
        self.routingGroupId = routingGroupId
        self.verifiedName = verifiedName
        self.status = status
        self.qualityRating = qualityRating
        self.messagingLimitTier = messagingLimitTier
        self.nameStatus = nameStatus
        self.codeVerificationStatus = codeVerificationStatus
        self.throughputLevel = throughputLevel
        self.accountMode = accountMode
        self.profile = profile
        self.enabled = enabled
        self.businessHoursId = businessHoursId
    }

    public var fields: [String: JSONValue] {
        [
            "name": .string(name),
            "phone_number": .string(phoneNumber),
            "provider": .string(provider.rawValue),
            "waba_id": .string(wabaId),
            "phone_number_id": .optional(phoneNumberId),
            "routing_group_id": .string(routingGroupId),
            "verified_name": .optional(verifiedName),
            "status": .string(status.rawValue),
            "quality_rating": .string(qualityRating.rawValue),
            "messaging_limit_tier": .optional(messagingLimitTier?.rawValue),
            "name_status": .optional(nameStatus?.rawValue),
            "code_verification_status": .optional(codeVerificationStatus?.rawValue),
            "throughput_level": .optional(throughputLevel?.rawValue),
            "account_mode": .optional(accountMode?.rawValue),
            "profile": profile.json,
            "enabled": .bool(enabled),
            "business_hours_id": .optional(businessHoursId),
        ]
    }

    /// The wire values of `status` (for list filters).
    public static let statuses: [String] = WhatsAppNumberStatus.allCases.map(\.rawValue)

    public var nameKey: String { name.lowercased() }

    /// The name (per tenant, ignoring case), the phone number and the phone-number id (across all
    /// tenants; their conflict messages do not say who holds the value).
    public var uniqueKeys: [UniqueKey] {
        var keys = [
            UniqueKey(name: "name", value: nameKey, field: "name", message: "a WhatsApp number named \"\(name)\" already exists"),
            UniqueKey(
                scope: .global, name: "phone_number", value: phoneNumber, field: "phone_number",
                message: "this phone number is already registered"),
        ]
        if let phoneNumberId {
            keys.append(
                UniqueKey(
                    scope: .global, name: "phone_number_id", value: phoneNumberId, field: "phone_number_id",
                    message: "this phone number id is already registered"))
        }
        return keys
    }

    /// The routing group, and the business hours when set.
    public var references: [ResourceReference] {
        var references = [ResourceReference(field: "routing_group_id", kind: .group, id: routingGroupId)]
        if let businessHoursId { references.append(ResourceReference(field: "business_hours_id", kind: .businessHours, id: businessHoursId)) }
        return references
    }
}
