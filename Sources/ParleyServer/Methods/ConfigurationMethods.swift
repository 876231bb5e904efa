import ParleyModel

/// Every configuration family's methods; each family's list filters are its `ResourceKind.listFilters`,
/// the forms its `get` answers in its ``ServedContent/forms``.
enum ConfigurationMethods {
    static var all: [Method] {
        ResourceMethods.family(OperatorGroup.self)
            + ResourceMethods.family(WhatsAppNumber.self, cascades: true)
            + ResourceMethods.family(WhatsAppTemplate.self)
            + ResourceMethods.family(HeroCard.self)
            + ResourceMethods.family(Tag.self)
            + ResourceMethods.family(BlockedFileType.self)
            + ResourceMethods.family(FilePolicy.self)
            + ResourceMethods.family(BusinessHours.self)
            + TemplateMethods.all + HeroCardMethods.all + FileMethods.all + BusinessHoursMethods.all
    }
}
