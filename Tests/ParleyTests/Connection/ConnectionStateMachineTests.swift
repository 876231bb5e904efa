import NIOCore
import Testing

@testable import ParleyServer

/// The connection's rules without sockets: admission, backpressure, output limits, closing and
/// deadlines, driven with explicit times.
@Suite struct ConnectionStateMachineTests {
    typealias Machine = ConnectionStateMachine<Int>

    static let limits = Machine.Limits(
        maximumInFlight: 4, helloTimeout: .seconds(10), idleTimeout: .seconds(300), partialFrameTimeout: .seconds(30),
        outputPauseBytesBeforeHello: 1000, outputPauseBytes: 10_000, outputStallTimeout: .seconds(30), closeTimeout: .seconds(2),
        lingerTime: .seconds(1))
    let start = NIODeadline.uptimeNanoseconds(1_000_000_000)

    private func at(_ seconds: Double) -> NIODeadline { start + .nanoseconds(Int64(seconds * 1e9)) }

    /// Everything the machine admits now, each costing `cost` requests.
    private func admitted(_ machine: inout Machine, cost: Int = 1) -> [Int] {
        var started: [Int] = []
        while let next = machine.nextToStart(cost: { _ in cost }) {
            started.append(next)
            machine.started(requests: cost)
        }
        return started
    }

    @Test func messagesStartInOrderUpToTheInFlightCapAndReadsWait() {
        var machine = Machine(limits: Self.limits, now: start)
        for index in 0..<6 {
            let queued = machine.received(index, at: start)
            #expect(queued)
        }
        #expect(admitted(&machine) == [0, 1, 2, 3])
        let result1 = machine.readRequested()
        #expect(result1 == false, "full: reading waits")
        machine.finished(requests: 1, at: at(1))
        #expect(admitted(&machine) == [4])
        machine.finished(requests: 4, at: at(1))
        #expect(admitted(&machine) == [5])
        let result2 = machine.resumeReading()
        #expect(result2 == true, "room again: the held read goes ahead, once")
        let result3 = machine.resumeReading()
        #expect(result3 == false)
    }

    @Test func aBatchAlwaysStartsWhenNothingIsInFlight() {
        var machine = Machine(limits: Self.limits, now: start)
        _ = machine.received(1, at: start)
        _ = machine.received(2, at: start)
        #expect(admitted(&machine, cost: 64) == [1], "alone, even above the cap; the next one waits")
        machine.finished(requests: 64, at: at(1))
        #expect(admitted(&machine, cost: 64) == [2])
    }

    /// Issue 18: nothing waiting is started once the channel is gone, and a call that finishes
    /// afterwards is not answered.
    @Test func nothingStartsOrIsWrittenAfterTheChannelClosed() {
        var machine = Machine(limits: Self.limits, now: start)
        for index in 0..<8 { _ = machine.received(index, at: start) }
        #expect(admitted(&machine).count == 4)
        machine.closed()
        machine.finished(requests: 4, at: at(1))
        #expect(admitted(&machine).isEmpty)
        #expect(machine.acceptsWrites == false)
        let result4 = machine.received(9, at: at(1))
        #expect(result4 == false)
        #expect(machine.waitingCount == 0, "what waited is dropped, not kept")
        let result5 = machine.tick(at: at(1000), partialFrameSince: nil, watching: false)
        #expect(result5 == .none)
    }

    @Test func outputAboveItsMarkPausesReadingAndStartingThenResumesAtHalf() {
        var machine = Machine(limits: Self.limits, now: start)
        let result6 = machine.outputChanged(pending: 1500, at: start)
        #expect(result6 == nil)
        #expect(machine.isOutputPaused)
        _ = machine.received(1, at: start)
        #expect(admitted(&machine).isEmpty, "nothing starts while the client does not read")
        let result7 = machine.readRequested()
        #expect(result7 == false)
        _ = machine.outputChanged(pending: 800, at: at(1))
        #expect(machine.isOutputPaused, "hysteresis: still above half the mark")
        _ = machine.outputChanged(pending: 500, at: at(2))
        #expect(!machine.isOutputPaused)
        #expect(admitted(&machine) == [1])
    }

    @Test func authenticatedConnectionsGetTheHigherMark() {
        var machine = Machine(limits: Self.limits, now: start)
        machine.authenticated(at: start)
        let result8 = machine.outputChanged(pending: 5000, at: start)
        #expect(result8 == nil)
        #expect(!machine.isOutputPaused)
        let result9 = machine.outputChanged(pending: 10_001, at: start)
        #expect(result9 == nil)
        #expect(machine.isOutputPaused)
    }

    @Test func outputFarAboveTheMarkClosesAtOnce() {
        var machine = Machine(limits: Self.limits, now: start)
        let result10 = machine.outputChanged(pending: 4001, at: start)
        #expect(result10 == .outputOverLimit)
    }

    @Test func outputStuckAboveTheMarkClosesAfterTheStallTimeout() {
        var machine = Machine(limits: Self.limits, now: start)
        machine.authenticated(at: start)
        _ = machine.outputChanged(pending: 20_000, at: at(5))
        let result11 = machine.tick(at: at(34), partialFrameSince: nil, watching: false)
        #expect(result11 == .none)
        let result12 = machine.tick(at: at(36), partialFrameSince: nil, watching: false)
        #expect(result12 == .close(.outputStalled))
    }

    @Test func beforeHelloOnlyTheHelloDeadlineApplies() {
        var limits = Self.limits
        limits.idleTimeout = .seconds(1)
        var machine = Machine(limits: limits, now: start)
        let early = machine.tick(at: at(5), partialFrameSince: nil, watching: false)
        #expect(early == .none, "not idle: a connection has until its hello deadline to say hello")
        machine.authenticated(at: at(5))
        let fresh = machine.tick(at: at(5.5), partialFrameSince: nil, watching: false)
        #expect(fresh == .none, "the idle deadline counts from hello")
        let idle = machine.tick(at: at(6.1), partialFrameSince: nil, watching: false)
        #expect(idle == .close(.idle))
    }

    @Test func theHelloDeadlineAppliesUntilHello() {
        var machine = Machine(limits: Self.limits, now: start)
        let result13 = machine.tick(at: at(9), partialFrameSince: nil, watching: false)
        #expect(result13 == .none)
        let result14 = machine.tick(at: at(11), partialFrameSince: nil, watching: false)
        #expect(result14 == .closeAfterHelloTimeoutNotice)
        machine.authenticated(at: start)
        let result15 = machine.tick(at: at(11), partialFrameSince: nil, watching: false)
        #expect(result15 == .none)
    }

    /// Issue 11: a connection whose last frame is never read is closed at the close deadline.
    @Test func aClosingConnectionIsGoneByItsDeadlineWhateverThePeerDoes() {
        var machine = Machine(limits: Self.limits, now: start)
        let result16 = machine.closeRequested(at: at(10), lingering: false)
        #expect(result16)
        let result17 = machine.closeRequested(at: at(10), lingering: false)
        #expect(result17 == false, "one last frame only")
        #expect(machine.acceptsWrites == false)
        let result18 = machine.readRequested()
        #expect(result18 == false)
        let result19 = machine.tick(at: at(11.9), partialFrameSince: nil, watching: false)
        #expect(result19 == .none)
        let result20 = machine.tick(at: at(12), partialFrameSince: nil, watching: false)
        #expect(result20 == .close(.closeTimedOut))
    }

    @Test func lingeringReadsAndDiscardsUntilTheLingerTime() {
        var machine = Machine(limits: Self.limits, now: start)
        _ = machine.received(1, at: start)
        let result21 = machine.closeRequested(at: start, lingering: true)
        #expect(result21)
        #expect(machine.isDiscardingInput)
        let result22 = machine.readRequested()
        #expect(result22, "input is read to be thrown away")
        let result23 = machine.received(2, at: start)
        #expect(result23 == false)
        #expect(admitted(&machine).isEmpty)
        let result24 = machine.tick(at: at(1), partialFrameSince: nil, watching: false)
        #expect(result24 == .close(.closeTimedOut))
    }

    @Test func halfSentFramesAndIdleConnectionsAreClosed() {
        var machine = Machine(limits: Self.limits, now: start)
        machine.authenticated(at: start)
        let result25 = machine.tick(at: at(31), partialFrameSince: at(0.5), watching: false)
        #expect(result25 == .close(.partialFrame))
        let result26 = machine.tick(at: at(299), partialFrameSince: nil, watching: false)
        #expect(result26 == .none)
        let result27 = machine.tick(at: at(301), partialFrameSince: nil, watching: true)
        #expect(result27 == .none, "a watch keeps it open")
        let result28 = machine.tick(at: at(301), partialFrameSince: nil, watching: false)
        #expect(result28 == .close(.idle))
        _ = machine.received(1, at: at(301))
        let result29 = machine.tick(at: at(302), partialFrameSince: nil, watching: false)
        #expect(result29 == .none, "activity resets idleness")
    }

    @Test func drainingAnswersWhatWaitsThenCloses() {
        var machine = Machine(limits: Self.limits, now: start)
        for index in 0..<5 { _ = machine.received(index, at: start) }
        #expect(admitted(&machine).count == 4)
        let result30 = machine.drainRequested()
        #expect(result30 == false)
        let result31 = machine.readRequested()
        #expect(result31 == false, "nothing new is read while draining")
        machine.finished(requests: 4, at: at(1))
        #expect(admitted(&machine) == [4])
        machine.finished(requests: 1, at: at(1))
        #expect(machine.isDrained)
    }

    @Test func theTickIsAQuarterOfTheShortestDeadline() {
        var limits = Self.limits
        limits.helloTimeout = .milliseconds(400)
        #expect(Machine(limits: limits, now: start).tickInterval == .milliseconds(100))
        #expect(Machine(limits: Self.limits, now: start).tickInterval == .milliseconds(500))
    }
}
