import ParleyModel

/// Every configuration family's methods, with its list filters.
enum ConfigurationMethods {
    static var all: [Method] {
        ResourceMethods.family(
            OperatorGroup.self,
            filters: [ListFilterSpec("type", allowed: OperatorGroup.types), ListFilterSpec("routing_mode", allowed: OperatorGroup.routingModes)])
            + ResourceMethods.family(
                WhatsAppNumber.self,
                filters: [ListFilterSpec("status", allowed: WhatsAppNumber.statuses), ListFilterSpec("routing_group_id")],
                cascades: true)
            + ResourceMethods.family(
                WhatsAppTemplate.self,
                filters: [
                    ListFilterSpec("whatsapp_number_id"), ListFilterSpec("status", in: .state, allowed: TemplateStatus.wireValues),
                    ListFilterSpec("language"), ListFilterSpec("category", allowed: TemplateCategory.wireValues),
                ],
                forms: ["meta": TemplateMethods.metaForm])
            + ResourceMethods.family(HeroCard.self, filters: [ListFilterSpec("channel", allowed: HeroCardChannel.wireValues)])
            + ResourceMethods.family(Tag.self)
            + ResourceMethods.family(BlockedFileType.self, filters: [ListFilterSpec("source", in: .state, allowed: ["DEFAULT", "USER"])])
            + ResourceMethods.family(FilePolicy.self)
            + ResourceMethods.family(BusinessHours.self)
            + TemplateMethods.all + HeroCardMethods.all + FileMethods.all + BusinessHoursMethods.all
    }
}
