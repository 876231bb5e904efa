import Foundation

/// The CPU time a server process used, read from `/proc/PID/stat` (user + system), to report
/// server CPU per request (issue 14: the load generator shares the machine, so requests/s alone
/// hides how much of the machine each server needs).
struct ServerCPU {
    let pid: Int32

    /// User plus system CPU seconds so far, or nil when the process or /proc is not there.
    func seconds() -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
