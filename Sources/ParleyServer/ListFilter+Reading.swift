import ParleyModel
import ParleyStore

extension ListFilter {
    /// The store filter if the param is given, reporting a value outside ``allowed``.
    func read(from reader: inout ParamReader) -> ResourceFilter? {
        let value = allowed.map { reader.enumeration(param, $0) } ?? reader.string(param)
        return value.map { ResourceFilter(inState ? .state : .fields, member: param, value: $0) }
    }
}
