import ParleyModel

/// `business_hours.check`.
enum BusinessHoursMethods {
    static let all: [Method] = [
        Method("business_hours.check", permission: .tenantRead) { context, params in
            var reader = ParamReader(params)
            let tenantId = reader.string("tenant_id", required: true)
            let id = reader.string("id", required: true)
            var at = Timestamp.now()
            if let text = reader.string("at") {
                if let parsed = Timestamp(rfc3339: text) {
                    at = parsed
                } else {
                    reader.report("at", "must be an RFC 3339 time such as 2026-03-29T01:30:00Z or 2026-03-29T03:30:00+02:00")
                }
            }
            try reader.finish()
            let stored = try await StoredContent.load(BusinessHours.self, tenantId: tenantId!, id: id!, store: context.store)
            guard let check = BusinessHoursCheck.check(stored.content, at: at) else { throw StoredContentError.unreadable(id!) }
            return check.json
        }
    ]
}
