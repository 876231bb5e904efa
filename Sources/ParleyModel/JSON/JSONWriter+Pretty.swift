extension JSONWriter {
    /// `value` as indented JSON (two spaces, members sorted), for people reading a terminal.
    public static func prettyString(_ value: JSONValue) -> String {
        var output: [UInt8] = []
        writePretty(value, indent: 0, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    private static func writePretty(_ value: JSONValue, indent: Int, into output: inout [UInt8]) {
        let inner = [UInt8](repeating: UInt8(ascii: " "), count: (indent + 1) * 2)
        let outer = [UInt8](repeating: UInt8(ascii: " "), count: indent * 2)
        switch value {
        case .raw(let raw):
            writePretty(raw.value, indent: indent, into: &output)
        case .array(let elements) where !elements.isEmpty:
            output.append(contentsOf: Array("[\n".utf8))
            for (position, element) in elements.enumerated() {
                output.append(contentsOf: inner)
                writePretty(element, indent: indent + 1, into: &output)
                output.append(contentsOf: Array((position < elements.count - 1 ? ",\n" : "\n").utf8))
            }
            output.append(contentsOf: outer)
            output.append(UInt8(ascii: "]"))
        case .object(let members) where !members.isEmpty:
            output.append(contentsOf: Array("{\n".utf8))
            let names = members.keys.sorted()
            for (position, name) in names.enumerated() {
                output.append(contentsOf: inner)
                writeString(name, into: &output)
                output.append(contentsOf: Array(": ".utf8))
                writePretty(members[name]!, indent: indent + 1, into: &output)
                output.append(contentsOf: Array((position < names.count - 1 ? ",\n" : "\n").utf8))
            }
            output.append(contentsOf: outer)
            output.append(UInt8(ascii: "}"))
        default:
            write(value, into: &output)
        }
    }
}
