import CArgon2

/// Where argon2's memory comes from. Each verification allocates one block of about 19 MiB
/// (m=19456 KiB) and frees it when done. glibc serves a block that large with `mmap` and returns it
/// on `free`, but only until the first such free: then its *dynamic* mmap threshold rises to the
/// block's size, later blocks come from the heap arenas of the argon2 threads, and their pages
/// stay resident after the work is done (RSS grew by ~19 MiB per pool thread and never shrank).
///
/// Setting the threshold explicitly turns the dynamic adjustment off: every allocation of 1 MiB or
/// more is mapped and unmapped, so RSS falls back as soon as argon2 finishes. Smaller allocations
/// (everything on the request path) are unaffected.
enum Argon2Memory {
    /// The size from which allocations are always mapped, in bytes.
    static let mappedFrom: Int32 = 1 << 20

    /// Applies the policy (once per process; later calls do nothing).
    static func returnBlocksToTheSystem() {
        _ = applied
    }

    private static let applied: Bool = {
        #if os(Linux)
        return mallopt(parley_m_mmap_threshold, mappedFrom) == 1
        #else
        return false
        #endif
    }()
}
