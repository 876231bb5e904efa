extension WhatsAppNumber {
    /// The limits of the number fields.
    public enum Limits {
        public static let nameLength = 1...100
        public static let metaIdLength = 32
        public static let verifiedNameLength = 256
    }

    /// Reads and validates every number field (the profile's members included), reporting each problem.
    public static func read(from reader: inout ParamReader) -> WhatsAppNumber? {
        typealias Read = FamilyFieldReading
        let issueCount = reader.issues.count
        let name = Read.objectName("name", lengths: Limits.nameLength, in: &reader)
        let phoneNumber = readPhoneNumber(from: &reader)
        let provider = Read.choice("provider", default: WhatsAppProvider.cloudAPI, in: &reader)
        let wabaId = Read.digits("waba_id", required: true, maximumLength: Limits.metaIdLength, in: &reader)
        let phoneNumberId = Read.digits("phone_number_id", required: false, maximumLength: Limits.metaIdLength, in: &reader)
        let routingGroupId = Read.identifier("routing_group_id", of: .group, required: true, in: &reader)
        let verifiedName = Read.optionalText("verified_name", maximumLength: Limits.verifiedNameLength, in: &reader)
        let status = Read.choice("status", default: WhatsAppNumberStatus.pending, in: &reader)
        let qualityRating = Read.choice("quality_rating", default: WhatsAppQualityRating.notApplicable, in: &reader)
        let tier = Read.optionalChoice("messaging_limit_tier", MessagingLimitTier.self, in: &reader)
        let nameStatus = Read.optionalChoice("name_status", WhatsAppNameStatus.self, in: &reader)
        let codeVerification = Read.optionalChoice("code_verification_status", WhatsAppCodeVerificationStatus.self, in: &reader)
        let throughput = Read.optionalChoice("throughput_level", WhatsAppThroughputLevel.self, in: &reader)
        let accountMode = Read.optionalChoice("account_mode", WhatsAppAccountMode.self, in: &reader)
        var profile = WhatsAppBusinessProfile()
        if var profileReader = reader.object("profile") {
            profile = WhatsAppBusinessProfile.read(from: &profileReader)
            reader.absorb(profileReader)
        }
        let enabled = Read.flag("enabled", default: true, in: &reader)
        let businessHoursId = Read.identifier("business_hours_id", of: .businessHours, required: false, in: &reader)
        guard reader.issues.count == issueCount, let name, let phoneNumber, let wabaId, let routingGroupId else { return nil }
        return WhatsAppNumber(
            name: name, phoneNumber: phoneNumber, provider: provider, wabaId: wabaId, phoneNumberId: phoneNumberId,
            routingGroupId: routingGroupId, verifiedName: verifiedName, status: status, qualityRating: qualityRating,
            messagingLimitTier: tier, nameStatus: nameStatus, codeVerificationStatus: codeVerification, throughputLevel: throughput,
            accountMode: accountMode, profile: profile, enabled: enabled, businessHoursId: businessHoursId)
    }

    /// The phone number in E.164 after stripping spaces, dashes and parentheses.
    private static func readPhoneNumber(from reader: inout ParamReader) -> String? {
        guard let raw = reader.string("phone_number", required: true) else { return nil }
        guard let number = FieldRules.e164(raw) else {
            reader.report(
                "phone_number",
                "must be an E.164 phone number such as +420601123456 (spaces, dashes and parentheses are ignored)")
            return nil
        }
        return number
    }
}
