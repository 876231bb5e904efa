/// How long a client should wait, said in words for people: the messages of refusals carry it
/// next to the exact `retry_after_ms` for programs.
public enum RetryDelay {
    /// "retry in 3 s", "retry in 14 min", "retry in 2 h": rounded up, never "0".
    public static func words(milliseconds: Int64) -> String {
        let seconds = max(1, (milliseconds + 999) / 1000)
        if seconds < 120 { return "retry in \(seconds) s" }
        let minutes = (seconds + 59) / 60
        if minutes < 120 { return "retry in \(minutes) min" }
        return "retry in \((minutes + 59) / 60) h"
    }
}
