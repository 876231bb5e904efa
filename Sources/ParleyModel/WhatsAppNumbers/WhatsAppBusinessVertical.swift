/// The industry of a business profile (`profile.vertical`), from Meta's list. Meta's current list
/// added `ALCOHOL`, `ONLINE_GAMBLING`, `OTC_DRUGS` and `PHYSICAL_GAMBLING` and dropped `UNDEFINED`
/// and `NOT_A_BIZ`; those two are still accepted, for profiles synced from the earlier API.
public enum WhatsAppBusinessVertical: String, Sendable, Hashable, CaseIterable {
    case alcohol = "ALCOHOL"
    case apparel = "APPAREL"
    case auto = "AUTO"
    case beauty = "BEAUTY"
    case education = "EDU"
    case entertainment = "ENTERTAIN"
    case eventPlanning = "EVENT_PLAN"
    case finance = "FINANCE"
    case government = "GOVT"
    case grocery = "GROCERY"
    case health = "HEALTH"
    case hotel = "HOTEL"
    case nonprofit = "NONPROFIT"
    case onlineGambling = "ONLINE_GAMBLING"
    case overTheCounterDrugs = "OTC_DRUGS"
    case other = "OTHER"
    case physicalGambling = "PHYSICAL_GAMBLING"
    case professionalServices = "PROF_SERVICES"
    case restaurant = "RESTAURANT"
    case retail = "RETAIL"
    case travel = "TRAVEL"
    /// From Meta's earlier list.
    case undefined = "UNDEFINED"
    /// From Meta's earlier list.
    case notABusiness = "NOT_A_BIZ"
}
