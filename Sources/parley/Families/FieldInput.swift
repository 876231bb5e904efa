import ArgumentParser
import Foundation
import ParleyModel
import ParleyProtocol
import Yams

/// The fields of `create` and `update`: a JSON or YAML document (`--file`, `-` for stdin),
/// then `--set path=value` assignments on top, then `--unset path`.
struct FieldInput: ParsableArguments {
    @Option(help: "A JSON or YAML file with the fields ('-' reads standard input).")
    var file: String?

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp(
            "Set a field: name=value, nested with dots (profile.email=a@b.cz). The value is JSON if it parses as JSON, else text.",
            valueName: "path=value"))
    var assignments: [String] = []

    @Option(help: "Reset a field to its default (update only); repeatable.")
    var unset: [String] = []

    /// The fields as one JSON object.
    func fields() throws -> [String: JSONValue] {
        var fields: [String: JSONValue] = [:]
        if let file {
            guard case .object(let members) = try Self.load(file) else {
                throw CLIError.usage("\(file) must hold an object of fields")
            }
            fields = members
        }
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "=") else {
                throw CLIError.usage("--set expects path=value, not \(assignment)")
            }
            let path = assignment[..<equals].split(separator: ".").map(String.init)
            guard !path.isEmpty else { throw CLIError.usage("--set needs a field name before '='") }
            let text = String(assignment[assignment.index(after: equals)...])
            let value = (try? JSONParser.parse(text)) ?? .string(text)
            fields = Self.setting(value, at: path[...], in: fields)
        }
        for name in unset { fields = Self.setting(.null, at: name.split(separator: ".").map(String.init)[...], in: fields) }
        return fields
    }

    static func setting(_ value: JSONValue, at path: ArraySlice<String>, in object: [String: JSONValue]) -> [String: JSONValue] {
        var object = object
        guard let first = path.first else { return object }
        if path.count == 1 {
            object[first] = value
        } else {
            object[first] = .object(setting(value, at: path.dropFirst(), in: object[first]?.objectValue ?? [:]))
        }
        return object
    }

    /// Reads a JSON or YAML document.
    static func load(_ file: String) throws -> JSONValue {
        let data: Data
        do {
            data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw CLIError.usage("cannot read \(file): \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw CLIError.usage("\(file) is not UTF-8 text") }
        if let json = try? JSONParser.parse(text) { return json }
        do {
            return try YAMLDocument.json(from: Yams.compose(yaml: text))
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError.usage("\(file) is neither JSON nor YAML: \(error)")
        }
    }
}
