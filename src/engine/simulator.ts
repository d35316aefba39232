// The discrete-event loop: one clock, one queue, no module state (one Simulator is passed to everything
// that schedules). After the last event at a given instant, the settle hooks run once (the flow network
// re-solves rates there), the way SimGrid's loop shares resources only between distinct event times.
import { EventQueue, type ScheduledEvent } from './event-queue.js';
import { RunLimitError } from './run-limit-error.js';
import { SimulationError } from './simulation-error.js';

export interface SimulatorLimits {
  /** stop with an error when more events than this have run (guards against a model that never ends) */
  maxEvents: number;
  /** stop with an error when an event is due later than this simulated time, s; default: none */
  maxSimulatedTimeS?: number;
  /** stop with an error once `nowS()` passes `deadlineS`; the clock is injected (the CLI's performance.now),
   * never read here from the system, so that runs stay deterministic (STYLE.md) */
  wallClock?: { nowS: () => number; deadlineS: number; maxWallTimeS: number };
}

export class Simulator {
  private clockS = 0;
  private readonly queue = new EventQueue();
  private readonly settleHooks: (() => void)[] = [];
  private processed = 0;

  constructor(private readonly limits: SimulatorLimits = { maxEvents: 50_000_000 }) {}

  get nowS(): number {
    return this.clockS;
  }

  get eventsProcessed(): number {
    return this.processed;
  }

  at(timeS: number, run: () => void): ScheduledEvent {
    if (!(timeS >= this.clockS)) {
      throw new SimulationError('simulator', `event scheduled at ${timeS} s, before the clock (${this.clockS} s)`);
    }
    return this.queue.push(timeS, run);
  }

  after(delayS: number, run: () => void): ScheduledEvent {
    return this.at(this.clockS + delayS, run);
  }

  cancel(event: ScheduledEvent | undefined): void {
    if (event !== undefined) event.cancelled = true;
  }

  /** hooks run after all events of one instant, before the clock moves on */
  onSettle(hook: () => void): void {
    this.settleHooks.push(hook);
  }

  /** runs until no events are left (or the next one is after untilS); returns the final clock */
  run(untilS = Infinity): number {
    this.settle();
    for (;;) {
      const event = this.queue.peek();
      if (event === undefined || event.timeS > untilS) break;
      this.queue.pop();
      if (event.timeS < this.clockS) {
        throw new SimulationError('simulator', `time went backwards from ${this.clockS} s to ${event.timeS} s`);
      }
      const maxTimeS = this.limits.maxSimulatedTimeS ?? Infinity;
      if (event.timeS > maxTimeS) {
        throw new RunLimitError('maxSimulatedTime', maxTimeS, `an event is due at ${event.timeS} s of simulated time, past ${maxTimeS} s`);
      }
      this.clockS = event.timeS;
      if (++this.processed > this.limits.maxEvents) {
        throw new RunLimitError('maxEvents', this.limits.maxEvents, `more than ${this.limits.maxEvents} events at ${this.clockS} s of simulated time`);
      }
      event.run();
      const next = this.queue.peek();
      if (next === undefined || next.timeS > this.clockS) this.settle();
      // Read after every event: a reading costs tens of ns, an event and its re-solve microseconds or more.
      this.checkWallClock();
    }
    return this.clockS;
  }

  private settle(): void {
    for (const hook of this.settleHooks) hook();
  }

  private checkWallClock(): void {
    const wall = this.limits.wallClock;
    if (wall === undefined || wall.nowS() <= wall.deadlineS) return;
    const what = `more than ${wall.maxWallTimeS} s of wall-clock time, at ${this.clockS} s of simulated time after ${this.processed} events`;
    throw new RunLimitError('maxWallTime', wall.maxWallTimeS, what);
  }
}
