import ParleyModel
import ParleyStore

/// One optional equality filter a `<family>.list` accepts, e.g. `status` of templates.
struct ListFilterSpec: Sendable {
    /// The param name (also the member compared, unless `member` says otherwise).
    var param: String
    var source: ResourceFilter.Source
    var member: String
    /// The values the filter accepts; nil for any string.
    var allowed: [String]?

    init(_ param: String, in source: ResourceFilter.Source = .fields, member: String? = nil, allowed: [String]? = nil) {
        self.param = param
        self.source = source
        self.member = member ?? param
        self.allowed = allowed
    }

    /// The spec of a family's ``ListFilter`` (the list both the server and the CLI read).
    init(_ filter: ListFilter) {
        self.init(filter.param, in: filter.inState ? .state : .fields, allowed: filter.allowed)
    }

    /// The filter if the param is given, reporting a value outside `allowed`.
    func read(from reader: inout ParamReader) -> ResourceFilter? {
        let value = allowed.map { reader.enumeration(param, $0) } ?? reader.string(param)
        return value.map { ResourceFilter(source, member: member, value: $0) }
    }
}
