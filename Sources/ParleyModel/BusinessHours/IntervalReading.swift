/// Reads a list of opening intervals (`[{"open": "09:00", "close": "17:00"}]`), sorted by
/// opening time, each with the path it was given at.
enum IntervalReading {
    /// The intervals of array member `name` (absent or null: none), sorted, with their paths;
    /// every malformed element reported.
    static func intervals(_ name: String, in reader: inout ParamReader) -> [(interval: BusinessInterval, path: String)] {
        guard let elements = reader.objectElements(name, maximumCount: BusinessHours.Limits.intervalsPerDay) else { return [] }
        var read: [(interval: BusinessInterval, path: String)] = []
        for (index, var element) in elements.enumerated() {
            let open = time("open", allowingMidnightEnd: false, in: &element)
            var close = time("close", allowingMidnightEnd: true, in: &element)
            if close == 0 { close = 1440 }  // "00:00" as a close is the end of the day
            if let open, let close, open == close {
                element.report("close", "must differ from open (an interval lasts less than 24 hours; use 00:00-24:00 for a whole day)")
            } else if let open, let close {
                read.append((BusinessInterval(open: open, close: close), reader.elementPath(name, index)))
            }
            reader.absorb(element)
        }
        return read.sorted { $0.interval < $1.interval }
    }

    private static func time(_ name: String, allowingMidnightEnd: Bool, in reader: inout ParamReader) -> Int? {
        guard let text = reader.string(name, required: true) else { return nil }
        guard let minutes = BusinessInterval.minutes(text, allowingMidnightEnd: allowingMidnightEnd) else {
            reader.report(name, allowingMidnightEnd ? "must be a time HH:MM from 00:00 to 24:00" : "must be a time HH:MM from 00:00 to 23:59")
            return nil
        }
        return minutes
    }
}
