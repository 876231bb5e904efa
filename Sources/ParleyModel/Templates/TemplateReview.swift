/// What `templates.set_status` records of Meta's review: the status and, when Meta says so, the
/// category it moved the template to, its template id, the rejection reason and the quality score.
/// Members left nil keep what is stored.
public struct TemplateReview: Sendable, Hashable {
    public var status: TemplateStatus
    /// Free text (at most 500 characters), as before Meta's reasons were recorded.
    public var reason: String?
    public var rejectedReason: TemplateRejectionReason?
    /// The category Meta moved the template to (the one stored becomes `previous_category`).
    public var category: TemplateCategory?
    /// Meta's id of the template (digits).
    public var metaTemplateId: String?
    public var qualityScore: TemplateQualityScore?

    public init(
        status: TemplateStatus, reason: String? = nil, rejectedReason: TemplateRejectionReason? = nil, category: TemplateCategory? = nil,
        metaTemplateId: String? = nil, qualityScore: TemplateQualityScore? = nil
    ) {
        self.status = status
        self.reason = reason
        self.rejectedReason = rejectedReason
        self.category = category
        self.metaTemplateId = metaTemplateId
        self.qualityScore = qualityScore
    }

    /// Reads the review members of `templates.set_status`, reporting each problem.
    public static func read(from reader: inout ParamReader) -> TemplateReview? {
        let status = reader.enumeration("status", TemplateStatus.wireValues, required: true).flatMap(TemplateStatus.init(rawValue:))
        let reason = TextRules.displayText(reader.string("reason"), field: "reason", lengths: 1...500, into: &reader)
        let rejected = FamilyFieldReading.optionalChoice("rejected_reason", TemplateRejectionReason.self, in: &reader)
        let category = FamilyFieldReading.optionalChoice("category", TemplateCategory.self, in: &reader)
        let metaId = FamilyFieldReading.digits("meta_template_id", required: false, maximumLength: 32, in: &reader)
        let quality = FamilyFieldReading.optionalChoice("quality_score", TemplateQualityScore.self, in: &reader)
        if rejected != nil, let status, status != .rejected {
            reader.report("rejected_reason", "is only for status REJECTED")
        }
        guard let status else { return nil }
        return TemplateReview(
            status: status, reason: reason, rejectedReason: rejected, category: category, metaTemplateId: metaId, qualityScore: quality)
    }
}

/// Why Meta rejected a template (Meta's `rejected_reason`).
public enum TemplateRejectionReason: String, Sendable, Hashable, CaseIterable {
    case abusiveContent = "ABUSIVE_CONTENT"
    case categoryNotAvailable = "CATEGORY_NOT_AVAILABLE"
    case incorrectCategory = "INCORRECT_CATEGORY"
    case invalidFormat = "INVALID_FORMAT"
    case none = "NONE"
    case promotional = "PROMOTIONAL"
    case scam = "SCAM"
    case tagContentMismatch = "TAG_CONTENT_MISMATCH"
}

/// Meta's quality score of a sent template (`quality_score.score`).
public enum TemplateQualityScore: String, Sendable, Hashable, CaseIterable {
    case green = "GREEN"
    case yellow = "YELLOW"
    case red = "RED"
    case unknown = "UNKNOWN"
}
