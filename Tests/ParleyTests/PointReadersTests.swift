import Foundation
import GRDB
import ParleyStore
import Synchronization
import Testing

@testable import ParleySQLite

/// Point reads on the calling thread: they see every committed write, and a slow one sends
/// reads to the asynchronous path for a while (an event loop must not wait on a disk).
@Suite struct PointReadersTests {
    private func withDatabase(_ body: (String, DatabasePool) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-points-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("p.db").path
        let pool = try DatabasePool(path: path)
        try pool.write { db in try db.execute(sql: "CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1)") }
        try body(path, pool)
        try pool.close()
    }

    @Test func aPointReadSeesTheLatestCommit() throws {
        try withDatabase { path, pool throws in
            // No pause here: on a loaded machine a read can take over the default 2 ms, and a
            // paused reader answers nil, which is not what this test is about (it failed so once).
            let readers = PointReaders(path: path, slowRead: .seconds(60))
            defer { readers.close() }
            for value in 2...5 {
                try pool.write { db in try db.execute(sql: "UPDATE t SET v = ?", arguments: [value]) }
                #expect(try readers.read { db in try Int.fetchOne(db, sql: "SELECT v FROM t") } == value)
            }
        }
    }

    @Test func aLookupOutsideATransactionSeesTheLatestCommitWithALargerPageCache() throws {
        try withDatabase { path, pool throws in
            let readers = PointReaders(path: path, slowRead: .seconds(60), stalledRead: .seconds(60))
            defer { readers.close() }
            for value in 2...4 {
                try pool.write { db in try db.execute(sql: "UPDATE t SET v = ?", arguments: [value]) }
                let read = try readers.read(isolated: false) { db -> (Int?, Bool) in
                    (try Int.fetchOne(db, sql: "SELECT v FROM t"), db.isInsideTransaction)
                }
                #expect(read?.0 == value && read?.1 == false, "no BEGIN and COMMIT around the statement")
            }
            let cacheSize = try readers.read { db in try Int.fetchOne(db, sql: "PRAGMA cache_size") }
            #expect(cacheSize == -PointReaders.cacheKiB)
        }
    }

    /// Readers whose count of the thread's disk reads rises during every read.
    private func readersThatAlwaysReadFromDisk(_ path: String, slowRead: Duration) -> PointReaders {
        let reads = Atomic<Int>(0)
        return PointReaders(path: path, slowRead: slowRead, stalledRead: .seconds(60), pause: .seconds(30)) {
            reads.add(1, ordering: .relaxed).newValue
        }
    }

    @Test func aSlowReadFromTheDiskPausesPointReads() throws {
        try withDatabase { path, _ throws in
            let readers = readersThatAlwaysReadFromDisk(path, slowRead: .zero)
            defer { readers.close() }
            #expect(try readers.read { db in try Int.fetchOne(db, sql: "SELECT v FROM t") } == 1)
            #expect(readers.isPaused)
            #expect(try readers.read { db in try Int.fetchOne(db, sql: "SELECT v FROM t") } == nil)
        }
    }

    @Test func aFastReadFromTheDiskDoesNotPause() throws {
        try withDatabase { path, _ throws in
            let readers = readersThatAlwaysReadFromDisk(path, slowRead: .seconds(60))
            defer { readers.close() }
            #expect(try readers.read { db in try Int.fetchOne(db, sql: "SELECT v FROM t") } == 1)
            #expect(!readers.isPaused)
        }
    }

    @Test func aReadThatOnlyWaitedForTheProcessorDoesNotPause() throws {
        try withDatabase { path, _ throws in
            // An event loop preempted for a few milliseconds in the middle of a read from the page
            // cache (a loaded machine): the defaults do not take that for a disk.
            let readers = PointReaders(path: path)
            defer { readers.close() }
            for _ in 0..<3 {
                let value = try readers.read { db -> Int? in
                    usleep(5_000)
                    return try Int.fetchOne(db, sql: "SELECT v FROM t")
                }
                #expect(value == 1)
                #expect(!readers.isPaused)
            }
        }
    }

    @Test func aStalledReadPausesPointReadsWhateverTheDiskCountSays() throws {
        try withDatabase { path, _ throws in
            // Every read counts as stalled here: the first is answered, then reads go elsewhere.
            let readers = PointReaders(path: path, stalledRead: .zero, pause: .seconds(30)) { 0 }
            defer { readers.close() }
            #expect(!readers.isPaused)
            #expect(try readers.read { db in try Int.fetchOne(db, sql: "SELECT v FROM t") } == 1)
            #expect(readers.isPaused)
            #expect(try readers.read { db in try Int.fetchOne(db, sql: "SELECT v FROM t") } == nil)
        }
    }
}
