// Multi-VM schedules as plan generators: a policy decides only when each migration may start and how many
// run at once; the network decides the rest. `after` dependencies hold under every policy; only as-written
// reads `at` (the others start at time 0 and ignore it).
//   as-written      each migration starts at its `at` time
//   parallel        all start at once
//   sequential      one at a time, in file order
//   bounded         at most `maxConcurrent` at a time, in file order
//   smallest-first  one at a time (or `maxConcurrent`), smallest first by `orderBy` (schedule-order.ts)
//   largest-first   the same, largest first (ties keep file order)
//   rack-grouped    migrations sharing a source rack and a destination rack form a group that starts
//                   together, one group at a time (or as many as fit `maxConcurrent`): what IRLM needs
//                   (Deshpande, Kulkarni, Gopalan, VTDC 2012: the VMs of a rack pair move concurrently)
//   gang            the same with the VMs of one source host as the group (live gang migration, Deshpande,
//                   Wang, Gopalan, HPDC 2011: co-located VMs migrated together)
// `maxConcurrent`, when set, bounds every policy but sequential (whose bound is 1): as-written, parallel and
// the grouped policies are otherwise unbounded, smallest-first and largest-first run one at a time.
// A group larger than `maxConcurrent` goes in chunks of `maxConcurrent`. The next group is let in when the
// running groups have ended, or when every member they have left waits (on `after` or for room at its
// destination), so a group never holds the plan up forever.
// Room at the destination (host-capacity.ts) is asked when a migration is about to start: it starts, is
// refused, or waits until a migration ends; when nothing is in flight and nothing is due later, the ones
// still waiting are refused, saying so. Invariants (tested as properties): never more than the limit in
// flight, every migration ends exactly once.
import type { MigrationSpec, SchedulePolicy, ScheduleSpec } from '../config/scenario.js';
import type { Simulator } from '../engine/simulator.js';
import { SimulationError } from '../engine/simulation-error.js';

/** What the scheduler knows of each migration beyond its spec: set by the caller from the scenario. */
export interface ScheduleKeys {
  /** smallest-first / largest-first: the size to sort by (schedule-order.ts) */
  sizeOf(index: number): number;
  /** rack-grouped / gang: the group a migration belongs to */
  groupOf(index: number): string;
}

/** The static part of a schedule: in which order migrations are considered, grouped, and how many may run. */
export interface SchedulePlan {
  policy: SchedulePolicy;
  /** groups in the order they are let in; every migration index appears exactly once */
  groups: number[][];
  /** whether groups start together (rack-grouped, gang) or each migration on its own */
  grouped: boolean;
  /** most migrations in flight at once */
  limit: number;
  /** whether `at` holds (as-written only) */
  timed: boolean;
}

/** The most migrations a schedule lets run at once (the header's table): Infinity for no bound. */
export function concurrencyLimit(schedule: ScheduleSpec): number {
  switch (schedule.policy) {
    case 'sequential':
      return 1;
    case 'bounded':
    case 'smallest-first':
    case 'largest-first':
      return schedule.maxConcurrent ?? 1;
    default:
      return schedule.maxConcurrent ?? Infinity;
  }
}

export function planSchedule(migrations: readonly MigrationSpec[], schedule: ScheduleSpec, keys: ScheduleKeys): SchedulePlan {
  const limit = concurrencyLimit(schedule);
  const indices = migrations.map((_, i) => i);
  const { policy } = schedule;
  switch (policy) {
    case 'as-written':
    case 'parallel':
      return { policy, groups: indices.map((i) => [i]), grouped: false, limit, timed: policy === 'as-written' };
    case 'sequential':
      return { policy, groups: indices.map((i) => [i]), grouped: false, limit, timed: false };
    case 'bounded':
      return { policy, groups: indices.map((i) => [i]), grouped: false, limit, timed: false };
    case 'smallest-first':
    case 'largest-first': {
      const sign = policy === 'smallest-first' ? 1 : -1;
      // Array.prototype.sort is stable (ES2019): equal sizes keep file order.
      const order = [...indices].sort((a, b) => sign * (keys.sizeOf(a) - keys.sizeOf(b)));
      return { policy, groups: order.map((i) => [i]), grouped: false, limit, timed: false };
    }
    case 'rack-grouped':
    case 'gang': {
      const byKey = new Map<string, number[]>();
      for (const i of indices) {
        const key = keys.groupOf(i);
        const group = byKey.get(key);
        if (group === undefined) byKey.set(key, [i]);
        else group.push(i);
      }
      const groups: number[][] = [];
      for (const group of byKey.values()) {
        const size = Number.isFinite(limit) ? limit : group.length;
        for (let start = 0; start < group.length; start += size) groups.push(group.slice(start, start + size));
      }
      return { policy, groups, grouped: true, limit, timed: false };
    }
  }
}

/** What the destination says when a migration is about to start (host-capacity.ts). */
export type Admission = { kind: 'start' } | { kind: 'refuse'; reason: string } | { kind: 'wait'; reason: string };

export interface SchedulerHooks {
  /** start migration `index` now; it reports its end through migrationEnded */
  launch(index: number): void;
  /** migration `index` will not run: record it as refused with `reason` (it has ended) */
  refuse(index: number, reason: string): void;
  /** may migration `index` start now? default: always */
  admit?(index: number): Admission;
}

/** The number of migrations in flight from `time` on. */
export interface InFlightPoint {
  time: number;
  count: number;
}

type State = 'queued' | 'running' | 'ended';

export class Scheduler {
  private readonly state: State[];
  private readonly endedVms = new Set<string>();
  /** the reason each queued migration last had to wait for room */
  private readonly waiting = new Map<number, string>();
  private readonly groupOf: number[];
  /** groups let in, by position in plan.groups; the next group to let in */
  private readonly admittedGroups = new Set<number>();
  private nextGroup = 0;
  private inFlight = 0;
  private dispatching = false;
  private redispatch = false;
  private pendingTimes = 0;
  private readonly series: InFlightPoint[] = [{ time: 0, count: 0 }];

  constructor(
    private readonly sim: Simulator,
    private readonly migrations: readonly MigrationSpec[],
    private readonly plan: SchedulePlan,
    private readonly hooks: SchedulerHooks,
  ) {
    this.state = migrations.map(() => 'queued');
    this.groupOf = migrations.map(() => -1);
    plan.groups.forEach((group, g) => {
      for (const i of group) {
        if (this.groupOf[i] !== -1) throw new SimulationError('scheduler', `migration ${i} is in two groups`);
        this.groupOf[i] = g;
      }
    });
    if (this.groupOf.includes(-1)) throw new SimulationError('scheduler', 'a migration is in no group');
  }

  start(): void {
    if (this.plan.timed) {
      const times = [...new Set(this.migrations.map((m) => m.atS))].sort((a, b) => a - b);
      this.pendingTimes = times.length;
      for (const t of times) {
        this.sim.at(t, () => {
          this.pendingTimes--;
          this.dispatch();
        });
      }
    } else {
      this.sim.at(0, () => this.dispatch());
    }
  }

  /** a launched migration ended (completed or failed): its dependants and the next ones may start */
  migrationEnded(index: number): void {
    if (this.state[index] !== 'running') {
      throw new SimulationError('scheduler', `migration of ${this.migrations[index]?.vm} ended while ${this.state[index]}`);
    }
    this.state[index] = 'ended';
    this.endedVms.add(this.migrations[index]!.vm);
    this.inFlight--;
    this.record();
    this.dispatch();
  }

  /** migrations in flight over time, one point per change (the first at time 0) */
  get inFlightSeries(): readonly InFlightPoint[] {
    return this.series;
  }

  get running(): number {
    return this.inFlight;
  }

  private record(): void {
    const last = this.series[this.series.length - 1]!;
    if (last.time === this.sim.nowS) last.count = this.inFlight;
    else if (last.count !== this.inFlight) this.series.push({ time: this.sim.nowS, count: this.inFlight });
    // Two changes at one instant that cancel out leave a point equal to the one before it: drop it.
    const before = this.series[this.series.length - 2];
    const now = this.series[this.series.length - 1]!;
    if (before !== undefined && before.count === now.count) this.series.pop();
  }

  private dispatch(): void {
    if (this.dispatching) {
      this.redispatch = true;
      return;
    }
    this.dispatching = true;
    do {
      this.redispatch = false;
      const admittedNew = this.admitGroups();
      for (const g of [...this.admittedGroups].sort((a, b) => a - b)) {
        for (const i of this.plan.groups[g]!) this.tryStart(i);
      }
      for (const g of [...this.admittedGroups]) {
        if (this.plan.groups[g]!.every((i) => this.state[i] === 'ended')) this.admittedGroups.delete(g);
      }
      if (admittedNew) this.redispatch = true;
      else if (!this.redispatch) this.refuseIfStuck();
    } while (this.redispatch);
    this.dispatching = false;
  }

  /**
   * Lets groups in: all of them unless grouped; else in order, while they fit and the running ones allow.
   * Returns whether any was let in.
   */
  private admitGroups(): boolean {
    const { groups, grouped, limit } = this.plan;
    const before = this.nextGroup;
    if (!grouped) {
      for (; this.nextGroup < groups.length; this.nextGroup++) this.admittedGroups.add(this.nextGroup);
      return this.nextGroup > before;
    }
    while (this.nextGroup < groups.length) {
      const active = [...this.admittedGroups];
      if (active.length > 0) {
        // Another group joins only when every member the running groups have left is held up (on `after`
        // or for room), and within the limit: the members of a group are meant to run together.
        const heldUp = active.every((g) => groups[g]!.every((i) => this.state[i] !== 'running' && (this.state[i] === 'ended' || !this.ready(i) || this.waiting.has(i))));
        const reserved = active.reduce((n, g) => n + groups[g]!.filter((i) => this.state[i] !== 'ended').length, 0);
        const fits = Number.isFinite(limit) && reserved + groups[this.nextGroup]!.length <= limit;
        if (!heldUp && !fits) break;
      }
      this.admittedGroups.add(this.nextGroup++);
    }
    return this.nextGroup > before;
  }

  private tryStart(i: number): void {
    if (this.state[i] !== 'queued' || !this.ready(i) || this.inFlight >= this.plan.limit) return;
    const admission = this.hooks.admit?.(i) ?? { kind: 'start' };
    if (admission.kind === 'wait') {
      this.waiting.set(i, admission.reason);
      return;
    }
    this.waiting.delete(i);
    if (admission.kind === 'refuse') {
      this.end(i);
      this.hooks.refuse(i, admission.reason);
      return;
    }
    this.state[i] = 'running';
    this.inFlight++;
    this.record();
    this.hooks.launch(i);
  }

  /** a migration that never ran has ended: dependants may go */
  private end(i: number): void {
    this.state[i] = 'ended';
    this.endedVms.add(this.migrations[i]!.vm);
    this.redispatch = true;
  }

  private ready(i: number): boolean {
    const migration = this.migrations[i]!;
    if (this.plan.timed && migration.atS > this.sim.nowS) return false;
    return migration.after.every((vm) => this.endedVms.has(vm));
  }

  /**
   * Nothing in flight, nothing due later, and migrations still waiting for room: no end can free it, so they
   * are refused (their dependants then go on). A migration waiting only on `after` is never stuck here: the
   * config refuses cycles, so what it waits for eventually starts or is refused.
   */
  private refuseIfStuck(): void {
    if (this.inFlight > 0 || this.pendingTimes > 0 || this.waiting.size === 0) return;
    for (const [i, reason] of [...this.waiting].sort((a, b) => a[0] - b[0])) {
      this.waiting.delete(i);
      this.end(i);
      this.hooks.refuse(i, `${reason}, and no migration in flight could free it`);
    }
  }
}
