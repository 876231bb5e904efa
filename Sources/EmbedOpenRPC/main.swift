// The build tool of the OpenRPCEmbedding plugin: writes protocol/openrpc.json into a Swift source
// file as a raw string literal (`OpenRPCDocument.text`), so that `parleyd` carries the document in
// its binary and works copied alone. Run by the build, never by hand:
//   EmbedOpenRPC INPUT.json OUTPUT.swift
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: EmbedOpenRPC INPUT.json OUTPUT.swift\n".utf8))
    exit(2)
}
let input = URL(fileURLWithPath: arguments[1])
let output = URL(fileURLWithPath: arguments[2])
let text: String
do {
    text = try String(contentsOf: input, encoding: .utf8)
} catch {
    FileHandle.standardError.write(Data("EmbedOpenRPC: cannot read \(input.path): \(error)\n".utf8))
    exit(1)
}
guard !text.contains("\r") else {
    FileHandle.standardError.write(Data("EmbedOpenRPC: \(input.path) has carriage returns, which a Swift literal would not keep\n".utf8))
    exit(1)
}

/// The longest run of `#` right after `prefix` in `text`: a raw string needs one more to end
/// (after `"""`) or to escape (after `\`) only where the document does not.
func longestHashRun(after prefix: String, in text: String) -> Int {
    var longest = 0
    var rest = text[...]
    while let found = rest.range(of: prefix) {
        let hashes = rest[found.upperBound...].prefix { $0 == "#" }.count
        longest = max(longest, hashes)
        rest = rest[found.upperBound...]
    }
    return longest
}

let delimiter = String(repeating: "#", count: 1 + max(longestHashRun(after: "\"\"\"", in: text), longestHashRun(after: "\\", in: text)))
// The line break before the closing delimiter is not part of a multi-line literal: one more keeps
// the file's own last line break, so the literal is the file byte for byte.
let source = """
    // Generated at build time by the OpenRPCEmbedding plugin from protocol/openrpc.json.

    extension OpenRPCDocument {
        /// The exact text of protocol/openrpc.json.
        public static let text = \(delimiter)\"\"\"
    \(text)
    \"\"\"\(delimiter)
    }

    """
do {
    // Unchanged output stays untouched, so that nothing downstream rebuilds.
    if (try? String(contentsOf: output, encoding: .utf8)) != source {
        try source.write(to: output, atomically: true, encoding: .utf8)
    }
} catch {
    FileHandle.standardError.write(Data("EmbedOpenRPC: cannot write \(output.path): \(error)\n".utf8))
    exit(1)
}
