#if canImport(Glibc)
import Glibc
#endif

extension String {
    /// Writes the text to `path`, throwing when the file cannot be opened or written.
    func write(toFile path: String) throws {
        guard let file = fopen(path, "w") else { throw FileWriteFailed(path: path, errno: errno) }
        defer { fclose(file) }
        guard fputs(self, file) >= 0, fflush(file) == 0 else { throw FileWriteFailed(path: path, errno: errno) }
    }
}

/// A file that could not be written.
struct FileWriteFailed: Error, CustomStringConvertible {
    var path: String
    var errno: Int32
    var description: String { "cannot write \(path): \(String(cString: strerror(errno)))" }
}
