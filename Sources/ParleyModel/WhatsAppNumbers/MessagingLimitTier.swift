/// How many business-initiated conversations a number may open per 24 hours (Meta's tiers).
public enum MessagingLimitTier: String, Sendable, Hashable, CaseIterable {
    case tier50 = "TIER_50"
    case tier250 = "TIER_250"
    case tier1K = "TIER_1K"
    case tier10K = "TIER_10K"
    case tier100K = "TIER_100K"
    case unlimited = "TIER_UNLIMITED"
}
