/// The rule that following groups' fallbacks never comes back to where it started, in one place
/// for single writes (which walk one chain) and for whole documents (which check every chain of
/// the tenant at once, in time linear in the number of groups).
public enum FallbackChains {
    /// The cycle reached by following `next` from `start`, as the ids along it ending where it
    /// closes (`[a, b, a]`), or nil when the chain ends. `next` is asked once per group visited.
    public static func cycle(from start: String, next: (String) throws -> String?) rethrows -> [String]? {
        var chain = [start]
        var seen: Set<String> = [start]
        var current = start
        while let following = try next(current) {
            chain.append(following)
            guard seen.insert(following).inserted else {
                return Array(chain[chain.firstIndex(of: following)!...])
            }
            current = following
        }
        return nil
    }

    /// The first cycle in the fallback graph `fallbackOf` (group id -> fallback id), looking from
    /// each of `starts` in order; every group is visited at most once over all starts.
    public static func firstCycle(in fallbackOf: [String: String], from starts: [String]) -> [String]? {
        var finished: Set<String> = []
        for start in starts where !finished.contains(start) {
            var chain: [String] = []
            var onChain: [String: Int] = [:]
            var current: String? = start
            while let node = current, !finished.contains(node) {
                if let index = onChain[node] { return Array(chain[index...]) + [node] }
                onChain[node] = chain.count
                chain.append(node)
                current = fallbackOf[node]
            }
            finished.formUnion(chain)
        }
        return nil
    }

    /// The message for `cycle` (the names or ids along it), at the group's fallback member.
    /// A long cycle is shortened to its first and last groups.
    public static func message(_ cycle: [String]) -> String {
        guard !(cycle.count <= 2 && cycle.first == cycle.last) else { return "must not be the group itself" }
        let shown =
            cycle.count <= 10
            ? cycle.joined(separator: " -> ")
            : (cycle.prefix(4) + ["... \(cycle.count - 7) more ..."] + cycle.suffix(3)).joined(separator: " -> ")
        return "would make a cycle of fallbacks: \(shown)"
    }
}
