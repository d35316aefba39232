// The schedule as a plan generator (src/migration/schedule.ts), on its own: a Simulator, migrations that
// last a given time, and the hooks. Hand-solved start times first, then properties over random plans: never
// more than the limit in flight, every migration ends exactly once, `after` always holds, groups start
// together, and a migration waiting for room is refused only when nothing in flight could free it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MigrationSpec, SchedulePolicy, ScheduleSpec } from '../../src/config/scenario.js';
import { Simulator } from '../../src/engine/simulator.js';
import { SCHEDULE_POLICIES } from '../../src/migration/names.js';
import { planSchedule, Scheduler, type Admission, type ScheduleKeys } from '../../src/migration/schedule.js';

/** The fields of a migration the scheduler reads; the rest never matter to it. */
function migration(vm: string, atS = 0, after: string[] = []): MigrationSpec {
  return { vm, atS, after } as unknown as MigrationSpec;
}

interface Trace {
  starts: Map<string, number>;
  ends: Map<string, number>;
  refused: Map<string, string>;
  endCount: Map<string, number>;
  maxInFlight: number;
  scheduler: Scheduler;
}

/**
 * Runs a plan where migration i lasts durations[i] seconds once started. `admit` may refuse or hold
 * migrations (host room); by default every one starts.
 */
function runPlan(
  migrations: MigrationSpec[],
  schedule: ScheduleSpec,
  durations: number[],
  keys: ScheduleKeys = { sizeOf: () => 0, groupOf: (i) => String(i) },
  admit?: (i: number, sim: Simulator, running: ReadonlySet<number>) => Admission,
): Trace {
  const sim = new Simulator();
  const plan = planSchedule(migrations, schedule, keys);
  const trace: Trace = { starts: new Map(), ends: new Map(), refused: new Map(), endCount: new Map(), maxInFlight: 0, scheduler: undefined as unknown as Scheduler };
  const running = new Set<number>();
  const ended = (vm: string): void => {
    trace.endCount.set(vm, (trace.endCount.get(vm) ?? 0) + 1);
    trace.ends.set(vm, sim.nowS);
  };
  const scheduler = new Scheduler(sim, migrations, plan, {
    launch: (i) => {
      const vm = migrations[i]!.vm;
      trace.starts.set(vm, sim.nowS);
      running.add(i);
      trace.maxInFlight = Math.max(trace.maxInFlight, running.size);
      sim.after(durations[i]!, () => {
        running.delete(i);
        ended(vm);
        scheduler.migrationEnded(i);
      });
    },
    refuse: (i, reason) => {
      trace.refused.set(migrations[i]!.vm, reason);
      ended(migrations[i]!.vm);
    },
    ...(admit === undefined ? {} : { admit: (i: number) => admit(i, sim, running) }),
  });
  trace.scheduler = scheduler;
  scheduler.start();
  sim.run();
  return trace;
}

const spec = (policy: SchedulePolicy, maxConcurrent?: number): ScheduleSpec =>
  maxConcurrent === undefined ? { policy, orderBy: 'memory', onFull: 'refuse' } : { policy, maxConcurrent, orderBy: 'memory', onFull: 'refuse' };

describe('start times, solved by hand', () => {
  // Three migrations of 1, 2 and 3 s; v3 waits for v1.
  const three = [migration('v1', 5), migration('v2', 0), migration('v3', 1, ['v1'])];
  const durations = [1, 2, 3];

  it('as-written: each at its `at`, v3 after v1 ends (at 6 s)', () => {
    const t = runPlan(three, spec('as-written'), durations);
    expect([...t.starts]).toEqual([['v2', 0], ['v1', 5], ['v3', 6]]);
    expect(t.scheduler.inFlightSeries).toEqual([
      { time: 0, count: 1 },
      { time: 2, count: 0 },
      { time: 5, count: 1 },
      { time: 9, count: 0 },
    ]);
  });

  it('parallel: `at` ignored, v1 and v2 at 0, v3 when v1 ends at 1 s', () => {
    const t = runPlan(three, spec('parallel'), durations);
    expect(Object.fromEntries(t.starts)).toEqual({ v1: 0, v2: 0, v3: 1 });
  });

  it('sequential: one at a time in file order: v1 0–1, v2 1–3, v3 3–6', () => {
    const t = runPlan(three, spec('sequential'), durations);
    expect(Object.fromEntries(t.starts)).toEqual({ v1: 0, v2: 1, v3: 3 });
    expect(t.ends.get('v3')).toBe(6);
  });

  it('bounded 2: v1 and v2 at 0; v3 when v1 ends (1 s)', () => {
    const t = runPlan(three, spec('bounded', 2), durations);
    expect(Object.fromEntries(t.starts)).toEqual({ v1: 0, v2: 0, v3: 1 });
    expect(t.maxInFlight).toBe(2);
  });

  it('smallest-first and largest-first: one at a time by size, ties in file order', () => {
    const four = [migration('a'), migration('b'), migration('c'), migration('d')];
    const sizes = [4, 1, 4, 2];
    const keys: ScheduleKeys = { sizeOf: (i) => sizes[i]!, groupOf: () => '' };
    // smallest: b(1) d(2) a(4) c(4), each 1 s → starts 0, 1, 2, 3
    expect(Object.fromEntries(runPlan(four, spec('smallest-first'), [1, 1, 1, 1], keys).starts)).toEqual({ b: 0, d: 1, a: 2, c: 3 });
    // largest: a(4) c(4) d(2) b(1)
    expect(Object.fromEntries(runPlan(four, spec('largest-first'), [1, 1, 1, 1], keys).starts)).toEqual({ a: 0, c: 1, d: 2, b: 3 });
    // with maxConcurrent 2: a, c at 0; d, b at 1
    expect(Object.fromEntries(runPlan(four, spec('largest-first', 2), [1, 1, 1, 1], keys).starts)).toEqual({ a: 0, c: 0, d: 1, b: 1 });
  });

  it('rack-grouped: a group starts together; the next one when it has ended', () => {
    // groups by key: {a, c} (rack pair x), {b} (y), {d} (x again? no: key z)
    const four = [migration('a'), migration('b'), migration('c'), migration('d')];
    const racks = ['x', 'y', 'x', 'z'];
    const keys: ScheduleKeys = { sizeOf: () => 0, groupOf: (i) => racks[i]! };
    // a: 1 s, c: 3 s → group x ends at 3; b 3–5; d 5–6
    const t = runPlan(four, spec('rack-grouped'), [1, 2, 3, 1], keys);
    expect(Object.fromEntries(t.starts)).toEqual({ a: 0, c: 0, b: 3, d: 5 });
    // maxConcurrent 2: group x (2) at 0; b (1) fits only when the 2 reserved... x has 2 members left → 2+1 > 2;
    // a ends at 1 → x reserves 1, b fits (1+1 ≤ 2) at 1; d: x(1)+b(1)+1 > 2 → when c ends at 3 (x done): 3
    const bounded = runPlan(four, spec('rack-grouped', 2), [1, 2, 3, 1], keys);
    expect(Object.fromEntries(bounded.starts)).toEqual({ a: 0, c: 0, b: 1, d: 3 });
  });

  it('gang: a group larger than maxConcurrent goes in chunks', () => {
    const five = ['a', 'b', 'c', 'd', 'e'].map((vm) => migration(vm));
    const keys: ScheduleKeys = { sizeOf: () => 0, groupOf: () => 'h1' };
    const t = runPlan(five, spec('gang', 2), [1, 1, 1, 1, 1], keys);
    expect(Object.fromEntries(t.starts)).toEqual({ a: 0, b: 0, c: 1, d: 1, e: 2 });
  });

  it('a group whose members wait on a later group does not hold the plan up', () => {
    // group x = {a (after b)}, group y = {b}: x is let in first, but a waits on b, so y goes too.
    const two = [migration('a', 0, ['b']), migration('b')];
    const keys: ScheduleKeys = { sizeOf: () => 0, groupOf: (i) => (i === 0 ? 'x' : 'y') };
    const t = runPlan(two, spec('rack-grouped'), [1, 1], keys);
    expect(Object.fromEntries(t.starts)).toEqual({ b: 0, a: 1 });
  });
});

describe('room at the destination', () => {
  it('a refused migration ends at once with its reason; its dependants go on', () => {
    const two = [migration('a'), migration('b', 0, ['a'])];
    const t = runPlan(two, spec('sequential'), [1, 1], undefined, (i) =>
      i === 0 ? { kind: 'refuse', reason: 'destination h is full' } : { kind: 'start' },
    );
    expect(t.refused.get('a')).toBe('destination h is full');
    expect(t.starts.get('b')).toBe(0);
  });

  it('a waiting migration starts when a migration ends and frees room', () => {
    // Room for one at a time on the one destination: b waits for a (1 s), c for b.
    const three = [migration('a'), migration('b'), migration('c')];
    const t = runPlan(three, spec('parallel'), [1, 2, 3], undefined, (_, __, running) =>
      running.size === 0 ? { kind: 'start' } : { kind: 'wait', reason: 'destination h is full' },
    );
    expect(Object.fromEntries(t.starts)).toEqual({ a: 0, b: 1, c: 3 });
    expect(t.refused.size).toBe(0);
  });

  it('with nothing in flight to free it, a waiting migration is refused, saying so', () => {
    const two = [migration('a'), migration('b')];
    const t = runPlan(two, spec('parallel'), [1, 1], undefined, (i) => (i === 0 ? { kind: 'start' } : { kind: 'wait', reason: 'destination h is full' }));
    expect(t.starts.get('a')).toBe(0);
    expect(t.refused.get('b')).toBe('destination h is full, and no migration in flight could free it');
    expect(t.ends.get('b')).toBe(1);
  });
});

describe('properties of every policy', () => {
  const plans = fc
    .record({
      policy: fc.constantFrom(...SCHEDULE_POLICIES),
      maxConcurrent: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
      items: fc.array(
        fc.record({
          atS: fc.integer({ min: 0, max: 5 }),
          durationS: fc.integer({ min: 0, max: 4 }),
          size: fc.integer({ min: 0, max: 3 }),
          group: fc.integer({ min: 0, max: 2 }),
          // dependencies only on earlier migrations: no cycles, as the config guarantees
          after: fc.array(fc.nat(), { maxLength: 2 }),
          admission: fc.constantFrom('start', 'start', 'start', 'refuse', 'wait-once', 'wait-always'),
        }),
        { minLength: 1, maxLength: 12 },
      ),
    })
    .map((plan) => ({
      ...plan,
      maxConcurrent: plan.policy === 'bounded' ? (plan.maxConcurrent ?? 1) : plan.maxConcurrent,
    }));

  it('never more than the limit in flight; every migration ends exactly once; `after` holds', () => {
    fc.assert(
      fc.property(plans, ({ policy, maxConcurrent, items }) => {
        const migrations = items.map((item, i) =>
          migration(`v${i}`, item.atS, i === 0 ? [] : [...new Set(item.after.map((j) => `v${j % i}`))]),
        );
        const keys: ScheduleKeys = { sizeOf: (i) => items[i]!.size, groupOf: (i) => String(items[i]!.group) };
        const waited = new Set<number>();
        const trace = runPlan(migrations, spec(policy, maxConcurrent), items.map((item) => item.durationS), keys, (i) => {
          const kind = items[i]!.admission;
          if (kind === 'refuse') return { kind: 'refuse', reason: 'full' };
          if (kind === 'wait-always' || (kind === 'wait-once' && !waited.has(i))) {
            waited.add(i);
            return { kind: 'wait', reason: 'full' };
          }
          return { kind: 'start' };
        });
        const limit = policy === 'sequential' ? 1 : (maxConcurrent ?? (policy === 'smallest-first' || policy === 'largest-first' ? 1 : Infinity));
        expect(trace.maxInFlight).toBeLessThanOrEqual(limit);
        for (const m of migrations) {
          expect(trace.endCount.get(m.vm), m.vm).toBe(1);
          const start = trace.starts.get(m.vm) ?? trace.ends.get(m.vm)!;
          for (const dependency of m.after) expect(trace.ends.get(dependency)!).toBeLessThanOrEqual(start);
          if (policy === 'as-written') expect(start).toBeGreaterThanOrEqual(m.atS);
        }
        // The in-flight series never goes above the limit and returns to 0.
        const series = trace.scheduler.inFlightSeries;
        expect(Math.max(...series.map((p) => p.count))).toBeLessThanOrEqual(limit);
        expect(series[series.length - 1]!.count).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});
