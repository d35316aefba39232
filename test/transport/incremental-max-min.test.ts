// The flow network re-solves only the flows a change can reach (src/transport/incremental-max-min.ts): a
// hand-solved case that shows how few, then the property that after every instant of random arrivals,
// departures, re-routes, caps, weights and capacity changes, every rate equals a full from-scratch solve.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Simulator } from '../../src/engine/simulator.js';
import { solveMaxMin } from '../../src/transport/fair-share.js';
import { FlowNetwork, type LinkCapacities } from '../../src/transport/flow-network.js';

function links(capacities: readonly number[]): LinkCapacities {
  return {
    count: capacities.length,
    capacityBytesPerS: Float64Array.from(capacities),
    latencyS: new Float64Array(capacities.length),
  };
}

describe('partial re-solve, hand-solved', () => {
  it('re-solves only the flow that shared the saturated link of a departure', () => {
    // link 0: capacity 10, flows x and y → 5 each; link 1: capacity 100, flows z and w → 50 each.
    // x leaves at t = 1: y alone on link 0 → 10; z and w share nothing with x and stay at 50.
    // The solver is given y alone (its link 0 against the 0 B/s others leave there).
    const sim = new Simulator();
    const net = new FlowNetwork(sim, links([10, 100]), Infinity);
    const big = 1e9;
    const ids = ['x', 'y', 'z', 'w'].map((_, i) => net.start({ path: Int32Array.of(i < 2 ? 0 : 1), wireBytes: big, onDelivered: () => {} }));
    sim.run(0.5);
    expect(ids.map((id) => net.rateOf(id))).toEqual([5, 5, 50, 50]);
    const solvedBefore = net.resolvedFlowCount;
    sim.at(1, () => net.cancel(ids[0]!));
    sim.run(1.5);
    expect(ids.slice(1).map((id) => net.rateOf(id))).toEqual([10, 50, 50]);
    expect(net.resolvedFlowCount - solvedBefore).toBe(1);
  });

  it('re-solves nothing when a flow leaves a link with slack that bottlenecks no one', () => {
    // link 0: capacity 10, flow a capped at 2 → 2, flow b → 8 (link 0 saturated: b is its largest share).
    // link 1: capacity 100, flow c → 100. d over links 0 and 1 arrives → link 0: a 2, b = d = 4; c = 96.
    // Then a (at its cap, 2 < 4) leaves: its 2 B/s go to b and d (5 each), and c to 95 — all three re-solved.
    // A flow e on link 2 (capacity 50, alone, 50) leaving touches nobody: the solver gets nothing.
    const sim = new Simulator();
    const net = new FlowNetwork(sim, links([10, 100, 50]), Infinity);
    const start = (path: number[], capBytesPerS = Infinity): number =>
      net.start({ path: Int32Array.from(path), wireBytes: 1e9, capBytesPerS, onDelivered: () => {} });
    const [a, b, c, e] = [start([0], 2), start([0]), start([1]), start([2])];
    sim.run(0.5);
    const d = start([0, 1]);
    sim.run(0.6);
    expect([a, b, c, d, e].map((id) => net.rateOf(id!))).toEqual([2, 4, 96, 4, 50]);
    sim.at(1, () => net.cancel(a!));
    sim.run(1.1);
    expect([b, c, d].map((id) => net.rateOf(id!))).toEqual([5, 95, 5]);
    const solvedBefore = net.resolvedFlowCount;
    sim.at(2, () => net.cancel(e!));
    sim.run(2.1);
    expect(net.resolvedFlowCount).toBe(solvedBefore);
  });
});

type Change =
  | { kind: 'start'; path: number[]; bytes: number; cap: number; weight: number }
  | { kind: 'cancel'; which: number }
  | { kind: 'reroute'; which: number; path: number[] }
  | { kind: 'capacity'; link: number; capacity: number };

interface RandomRun {
  capacities: number[];
  /** changes at instants 0, 1, 2, ... (several per instant: they are solved together) */
  instants: Change[][];
}

const randomRun: fc.Arbitrary<RandomRun> = fc.integer({ min: 1, max: 10 }).chain((linkCount) => {
  // A few speeds, as in a data center (ties), or any speed; now and then a link without capacity.
  const capacity = fc.oneof(
    { arbitrary: fc.constantFrom(1e3, 1e4, 4e4), weight: 4 },
    { arbitrary: fc.double({ min: 1e2, max: 1e6, noNaN: true }), weight: 3 },
    { arbitrary: fc.constant(0), weight: 1 },
  );
  const path = fc.uniqueArray(fc.integer({ min: 0, max: linkCount - 1 }), { minLength: 1, maxLength: Math.min(4, linkCount) });
  const change: fc.Arbitrary<Change> = fc.oneof(
    {
      arbitrary: fc.record({
        kind: fc.constant('start' as const),
        path,
        bytes: fc.double({ min: 1e2, max: 1e5, noNaN: true }),
        cap: fc.oneof(fc.constant(Infinity), fc.double({ min: 1e1, max: 1e5, noNaN: true })),
        weight: fc.oneof(fc.constant(1), fc.double({ min: 0.25, max: 8, noNaN: true })),
      }),
      weight: 6,
    },
    { arbitrary: fc.record({ kind: fc.constant('cancel' as const), which: fc.nat() }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('reroute' as const), which: fc.nat(), path }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('capacity' as const), link: fc.nat(linkCount - 1), capacity }), weight: 2 },
  );
  return fc.record({
    capacities: fc.array(capacity.filter((c) => c > 0), { minLength: linkCount, maxLength: linkCount }),
    instants: fc.array(fc.array(change, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 12 }),
  });
});

interface Active {
  path: number[];
  cap: number;
  weight: number;
}

describe('partial re-solve, properties', () => {
  it('gives every flow, after every instant, the rate of a full re-solve of all flows', () => {
    fc.assert(
      fc.property(randomRun, ({ capacities, instants }) => {
        const sim = new Simulator();
        const net = new FlowNetwork(sim, links(capacities), Infinity);
        const capacityNow = [...capacities];
        const active = new Map<number, Active>();
        let delivered = 0;
        let started = 0;
        instants.forEach((changes, t) => {
          sim.at(t, () => {
            for (const change of changes) {
              const ids = [...active.keys()];
              if (change.kind === 'start') {
                started++;
                const id = net.start({
                  path: Int32Array.from(change.path),
                  wireBytes: change.bytes,
                  capBytesPerS: change.cap,
                  weight: change.weight,
                  onDelivered: () => delivered++,
                });
                active.set(id, { path: change.path, cap: change.cap, weight: change.weight });
              } else if (change.kind === 'capacity') {
                net.setLinkCapacity(change.link, change.capacity);
                capacityNow[change.link] = change.capacity;
              } else if (ids.length > 0) {
                const id = ids[change.which % ids.length]!;
                if (change.kind === 'cancel') {
                  net.cancel(id);
                  active.delete(id);
                  delivered++;
                } else {
                  net.reroute(id, Int32Array.from(change.path));
                  active.get(id)!.path = change.path;
                }
              }
            }
          });
        }, undefined);
        // A flow that finished is no longer sending: the network says so with pathOf.
        sim.onSettle(() => {
          for (const id of [...active.keys()]) if (net.pathOf(id) === undefined) active.delete(id);
          const ids = [...active.keys()];
          if (ids.length === 0) return;
          const starts = [0];
          const index: number[] = [];
          for (const id of ids) {
            index.push(...active.get(id)!.path);
            starts.push(index.length);
          }
          const reference = solveMaxMin({
            constraintCount: capacityNow.length,
            constraintCapacity: Float64Array.from(capacityNow),
            flowCount: ids.length,
            flowWeight: Float64Array.from(ids.map((id) => active.get(id)!.weight)),
            flowCap: Float64Array.from(ids.map((id) => active.get(id)!.cap)),
            flowConstraintStart: Int32Array.from(starts),
            flowConstraintIndex: Int32Array.from(index),
          });
          ids.forEach((id, i) => {
            const path = active.get(id)!.path;
            const largest = Math.max(...path.map((link) => capacityNow[link]!));
            // 1e-9 relative, and that much of the flow's largest link (the residue of a full link)
            const slack = 1e-9 * (reference[i]! + largest);
            expect(Math.abs(net.rateOf(id) - reference[i]!), `flow ${id} at ${sim.nowS} s`).toBeLessThanOrEqual(slack);
          });
        });
        // Links cut to 0 for good would hold their flows forever: the run stops after the last instant.
        sim.run(instants.length + 1e6);
        expect(delivered).toBeLessThanOrEqual(started);
      }),
      { numRuns: Number(process.env['FAIR_RUNS'] ?? 300) },
    );
  });
});
