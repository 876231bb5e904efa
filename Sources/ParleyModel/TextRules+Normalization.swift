import Foundation

extension TextRules {
    /// `text` in Unicode Normalization Form C. Parley normalises every string it receives (the
    /// JSON parser calls this for any string with a non-ASCII character), so that text which
    /// looks the same is the same everywhere: in uniqueness checks done in Swift (canonical
    /// equivalence) and in SQLite (bytes), in member names, and in export/apply round trips.
    public static func normalized(_ text: String) -> String {
        text.precomposedStringWithCanonicalMapping
    }
}
