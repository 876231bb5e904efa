import ArgumentParser
import Foundation
import ParleyClient
import ParleyModel
import ParleyProtocol
import Yams

/// The fields of `create` and `update`: a JSON or YAML document (`--file`, `-` for stdin),
/// then `--set path=value` assignments on top, then `--unset path`.
///
/// Values are converted by the field's type in the server's OpenRPC document (``FieldConversion``):
/// `--set waba_id=104996122399162` is the text a string field needs, `--set queue_size=10` the
/// integer an integer field needs.
struct FieldInput: ParsableArguments {
    @Option(help: "A JSON or YAML file with the fields ('-' reads standard input).")
    var file: String?

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp(
            "Set a field: name=value, nested with dots (profile.email=a@b.cz). The field's type decides: text for text fields "
                + "(digits too), numbers, true/false, JSON for lists and objects.",
            valueName: "path=value"))
    var assignments: [String] = []

    @Option(help: "Reset a field to its default (update only); repeatable.")
    var unset: [String] = []

    /// The fields as written, not yet converted; usage errors (`--set` without `=`, an unreadable
    /// file) come from here, before any connection.
    func given() throws -> GivenValue {
        var fields = GivenValue.object([:])
        if let file {
            fields = try Self.loadGiven(file)
            guard fields.members != nil else { throw CLIError.usage("\(file) must hold an object of fields") }
        }
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "=") else {
                throw CLIError.usage("--set expects path=value, not \(assignment)")
            }
            let path = assignment[..<equals].split(separator: ".").map(String.init)
            guard !path.isEmpty else { throw CLIError.usage("--set needs a field name before '='") }
            let text = String(assignment[assignment.index(after: equals)...])
            fields = fields.setting(.plain(text, origin: .assignment), at: path[...])
        }
        for name in unset { fields = fields.setting(.typed(.null), at: name.split(separator: ".").map(String.init)[...]) }
        return fields
    }

    /// The fields as the params of `method`, converted by the schemas of its params (fetched with
    /// `rpc.discover` on `client` when there is anything to convert).
    func fields(for method: String, client: Client) async throws -> [String: JSONValue] {
        let given = try given()
        let schema = given.members?.isEmpty == false ? await OpenRPCCache.params(of: method, client: client) : nil
        return try FieldConversion.json(given, schema: schema, path: []).objectValue ?? [:]
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
        let text = try read(file)
        if let json = try? JSONParser.parse(text) { return json }
        do {
            return try YAMLDocument.json(from: Yams.compose(yaml: text))
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError.usage("\(file) is neither JSON nor YAML: \(error)")
        }
    }

    /// Reads a JSON or YAML document, keeping the text of YAML's plain scalars for the schema.
    static func loadGiven(_ file: String) throws -> GivenValue {
        let text = try read(file)
        if let json = try? JSONParser.parse(text) { return GivenValue(json: json) }
        do {
            return try GivenValue(yaml: Yams.compose(yaml: text))
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError.usage("\(file) is neither JSON nor YAML: \(error)")
        }
    }

    private static func read(_ file: String) throws -> String {
        let data: Data
        do {
            data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw CLIError.usage("cannot read \(file): \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw CLIError.usage("\(file) is not UTF-8 text") }
        return text
    }
}
