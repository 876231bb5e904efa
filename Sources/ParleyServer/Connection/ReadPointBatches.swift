import NIOCore
import ParleyStore
import Synchronization

/// Reads waiting for the store's read point (``ReadPoints``), batched per event loop: the reads
/// a loop takes in during one pass of its loop share one request to the store and one hop back,
/// instead of one each (the hops, not the look-up, were most of a read's cost on PostgreSQL).
///
/// The consistency rule still holds for every read: the batch asks the store only after the last
/// of its reads arrived, and the store answers with a look-up that started after it was asked.
final class ReadPointBatches: Sendable {
    /// One loop's batch. `@unchecked Sendable`: touched only on its own event loop.
    private final class Batch: @unchecked Sendable {
        let loop: any EventLoop
        var waiting: [(Int64?) -> Void] = []

        init(loop: any EventLoop) {
            self.loop = loop
        }
    }

    private let points: any ReadPoints
    private let batches = Mutex<[ObjectIdentifier: Batch]>([:])

    init(points: any ReadPoints) {
        self.points = points
    }

    /// Calls `ready` on `loop` with a read point from a look-up that started after this call.
    /// Must be called on `loop`.
    func wait(on loop: any EventLoop, _ ready: @escaping (Int64?) -> Void) {
        loop.assertInEventLoop()
        let batch = batches.withLock { batches in
            if let batch = batches[ObjectIdentifier(loop)] { return batch }
            let batch = Batch(loop: loop)
            batches[ObjectIdentifier(loop)] = batch
            return batch
        }
        batch.waiting.append(ready)
        guard batch.waiting.count == 1 else { return }
        // After the reads of this pass of the loop (tasks run after the pass's reads).
        loop.execute { [points] in
            let taken = batch.waiting
            batch.waiting = []
            let bound = NIOLoopBound(taken, eventLoop: batch.loop)
            points.awaitReadPoint { revision in
                bound.eventLoop.execute { for ready in bound.value { ready(revision) } }
            }
        }
    }
}
