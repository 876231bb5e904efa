import GRDB
import Glibc
import Synchronization

/// Read-only connections for point lookups made on the calling thread, one per thread (the
/// server's event loops), so that a read by primary key costs no hop to a reader queue and back.
///
/// A connection is opened on a thread's first lookup; beyond `limit` threads, lookups report
/// that they cannot run here and callers take the asynchronous path. A lookup that waited on the
/// disk pauses point reads for `pause`: an event loop must not wait on a disk, so until then every
/// read takes the asynchronous path. It waited on the disk when it took longer than `slowRead`
/// and the thread's own count of blocks read and major page faults (`getrusage`) rose meanwhile,
/// or when it took longer than `stalledRead` whatever the count says (storage the kernel does
/// not count). Time alone was the rule once (2 ms), and an event loop preempted in the middle of
/// a read from the page cache (a loaded machine) can take that long having waited for nothing
/// but the processor. A fast read from the disk does not pause them either: it costs less than
/// the hop to the reader pool. Each
/// connection is used by its own thread only, so it never waits for another; it reads the latest
/// committed state, as every write is acknowledged only after its commit.
final class PointReaders: Sendable {
    private let path: String
    private let busyTimeoutSeconds: Double
    private let limit: Int
    private let queues = Mutex<[UInt: DatabaseQueue]>([:])
    private let slowRead: Duration
    private let stalledRead: Duration
    private let pause: Duration
    private let diskReads: @Sendable () -> Int
    /// Each connection's SQLite page cache, in KiB.
    static let cacheKiB = 16 * 1024
    /// Nanoseconds (of `clock`) until which point reads are paused.
    private let pausedUntil = Atomic<Int64>(0)
    private let clock = ContinuousClock()
    private let origin: ContinuousClock.Instant

    /// `busyTimeoutSeconds` is kept short: the caller's thread is an event loop.
    /// `diskReads` counts the calling thread's reads from the disk (``threadDiskReads()``).
    init(
        path: String, busyTimeoutSeconds: Double = 0.05, limit: Int = 8, slowRead: Duration = .milliseconds(2),
        stalledRead: Duration = .milliseconds(20), pause: Duration = .seconds(1),
        diskReads: @escaping @Sendable () -> Int = PointReaders.threadDiskReads
    ) {
        self.path = path
        self.busyTimeoutSeconds = busyTimeoutSeconds
        self.limit = limit
        self.slowRead = slowRead
        self.stalledRead = stalledRead
        self.pause = pause
        self.diskReads = diskReads
        origin = clock.now
    }

    /// Whether point reads are paused after a slow one.
    var isPaused: Bool { nanoseconds(clock.now) < pausedUntil.load(ordering: .relaxed) }

    private func nanoseconds(_ instant: ContinuousClock.Instant) -> Int64 {
        let elapsed = instant - origin
        return elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
    }

    /// Runs `body` on this thread's connection; nil when this thread may not have one or the
    /// database could not answer at once (busy, say): the caller then takes the asynchronous
    /// path, which reports such trouble. Errors thrown by `body` itself are rethrown.
    ///
    /// `isolated: false` is for a body whose statements need not share one snapshot (a single
    /// statement is its own read transaction in SQLite): it saves GRDB's `BEGIN` and `COMMIT`,
    /// two statements parsed and run per lookup.
    func read<Value>(isolated: Bool = true, _ body: (Database) throws -> Value) throws -> Value? {
        guard !isPaused else { return nil }
        do {
            guard let queue = try queueForThisThread() else { return nil }
            let started = clock.now
            let readsBefore = diskReads()
            defer {
                let finished = clock.now
                let took = finished - started
                if took > stalledRead || (took > slowRead && diskReads() != readsBefore) {
                    pausedUntil.store(nanoseconds(finished + pause), ordering: .relaxed)
                }
            }
            return try isolated ? queue.read(body) : queue.inDatabase(body)
        } catch is DatabaseError {
            return nil
        }
    }

    private func queueForThisThread() throws -> DatabaseQueue? {
        let thread = UInt(pthread_self())
        if let queue = queues.withLock({ $0[thread] }) { return queue }
        guard queues.withLock({ $0.count }) < limit else { return nil }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(busyTimeoutSeconds)
        configuration.label = "parley.point-reader"
        // A lookup walks an index and the table from their roots: a page cache that holds their
        // interior pages (SQLite's default is 2 MiB) saves a pread per level on each miss of the
        // read cache. It grows only as pages are read.
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -\(Self.cacheKiB)") }
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        return queues.withLock { queues in
            guard queues.count < limit || queues[thread] != nil else { return nil }
            if let existing = queues[thread] { return existing }
            queues[thread] = queue
            return queue
        }
    }

    /// Blocks the calling thread has read from storage, plus its major page faults (pages that
    /// had to be read in); 0 where the kernel does not say.
    @Sendable static func threadDiskReads() -> Int {
        var usage = rusage()
        // RUSAGE_THREAD (1) is a GNU extension that Swift's Glibc module does not define.
        let thisThread = __rusage_who_t(1)
        guard getrusage(thisThread, &usage) == 0 else { return 0 }
        return usage.ru_inblock + usage.ru_majflt
    }

    func close() {
        let all = queues.withLock { queues in
            defer { queues.removeAll() }
            return Array(queues.values)
        }
        for queue in all { try? queue.close() }
    }
}
