/// How many business-initiated conversations may be opened per 24 hours (Meta's tiers). Meta now
/// sets the limit per business portfolio, shared by all of its numbers, and reports it on each
/// number (`whatsapp_business_manager_messaging_limit`); an integration syncs that value here.
public enum MessagingLimitTier: String, Sendable, Hashable, CaseIterable {
    case tier50 = "TIER_50"
    case tier250 = "TIER_250"
    /// Meta's earlier 1,000 tier, no longer in its list; still accepted for numbers synced before.
    case tier1K = "TIER_1K"
    case tier2K = "TIER_2K"
    case tier10K = "TIER_10K"
    case tier100K = "TIER_100K"
    case unlimited = "TIER_UNLIMITED"
    case notSet = "TIER_NOT_SET"
}
