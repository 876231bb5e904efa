import ParleyModel

/// `business_hours.check`.
enum BusinessHoursMethods {
    static let all: [Method] = [
        Method("business_hours.check", permission: .tenantRead, handler: check)
    ]

    static func check(_ context: RequestContext, _ params: CheckBusinessHoursParams) async throws -> JSONValue {
        let address = params.address
        let stored = try await StoredContent.load(BusinessHours.self, tenantId: address.tenantId, id: address.id, store: context.store)
        guard let check = BusinessHoursCheck.check(stored.content, at: params.at) else { throw StoredContentError.unreadable(address.id) }
        return check.json
    }
}
