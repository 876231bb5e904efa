import Foundation
import ParleyModel

/// One kind of call the load generator makes. A mix is a weighted choice among them.
enum BenchOperation: String, CaseIterable, Sendable, Comparable {
    /// `groups.get` of a random seeded group.
    case get
    /// `groups.list` of one page (50) of a random seeded tenant.
    case list
    /// `groups.create` of a new group in the run's own tenant.
    case create
    /// `groups.update` of a random seeded group (its queue size).
    case update
    /// A new TCP connection and `hello` with the (cached) benchmark key, then close.
    case hello
    /// `tenants.get` of the run's own tenant.
    case tenantGet = "tenants.get"
    /// `ping` (no data; the dispatch floor).
    case ping
    /// Redis `GET` of a random seeded key (`--redis`): the reference, through the same lanes.
    case redisGet = "redis.get"

    static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// Whether the operation needs seeded groups to aim at.
    var needsObjects: Bool { self == .get || self == .list || self == .update }

    /// Whether the operation is sent to Redis rather than to parleyd.
    var isRedis: Bool { self == .redisGet }
}

/// Weighted operations, parsed from `get=80,list=10,create=5,update=5` (a bare name means weight 1).
struct BenchMix: Sendable, CustomStringConvertible {
    let weights: [(operation: BenchOperation, weight: Int)]
    let total: Int

    init(parsing text: String) throws(MixError) {
        var weights: [(BenchOperation, Int)] = []
        for part in text.split(separator: ",") {
            let pieces = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let operation = BenchOperation(rawValue: pieces[0]) else {
                throw MixError(message: "unknown operation \"\(pieces[0])\"; known: \(BenchOperation.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let weight = pieces.count == 2 ? Int(pieces[1]) : 1
            guard let weight, (1...1_000_000).contains(weight) else { throw MixError(message: "the weight of \(operation.rawValue) must be 1-1000000") }
            guard !weights.contains(where: { $0.0 == operation }) else { throw MixError(message: "\(operation.rawValue) is named twice") }
            weights.append((operation, weight))
        }
        guard !weights.isEmpty else { throw MixError(message: "the mix names no operation") }
        self.weights = weights
        total = weights.reduce(0) { $0 + $1.1 }
    }

    /// An operation drawn with the mix's weights.
    func draw<Generator: RandomNumberGenerator>(using generator: inout Generator) -> BenchOperation {
        var ticket = Int.random(in: 0..<total, using: &generator)
        for (operation, weight) in weights {
            if ticket < weight { return operation }
            ticket -= weight
        }
        return weights[weights.count - 1].operation
    }

    var operations: [BenchOperation] { weights.map(\.operation) }

    var description: String { weights.map { "\($0.operation.rawValue)=\($0.weight)" }.joined(separator: ",") }

    struct MixError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}
