import Foundation
import GRDB
import ParleyStore
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

    @Test func aSlowReadPausesPointReads() throws {
        try withDatabase { path, _ throws in
            // Every read counts as slow here: the first is answered, then reads go elsewhere.
            let readers = PointReaders(path: path, slowRead: .zero, pause: .seconds(30))
            defer { readers.close() }
            #expect(!readers.isPaused)
            #expect(try readers.read { db in try Int.fetchOne(db, sql: "SELECT v FROM t") } == 1)
            #expect(readers.isPaused)
            #expect(try readers.read { db in try Int.fetchOne(db, sql: "SELECT v FROM t") } == nil)
        }
    }
}
