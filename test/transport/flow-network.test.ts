import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Simulator } from '../../src/engine/simulator.js';
import { solveMaxMin } from '../../src/transport/fair-share.js';
import { FlowNetwork, type LinkCapacities } from '../../src/transport/flow-network.js';

const GBIT = 1e9 / 8; // 1 Gbit/s in B/s
const GIB = 2 ** 30;
const NO_WINDOW = Infinity; // no TCP window bound unless a test sets one

function links(capacities: number[], latencies: number[] = capacities.map(() => 0)): LinkCapacities {
  return {
    count: capacities.length,
    capacityBytesPerS: Float64Array.from(capacities),
    latencyS: Float64Array.from(latencies),
  };
}

const path = (...indices: number[]): Int32Array => Int32Array.from(indices);

describe('FlowNetwork closed forms', () => {
  it('moves M bytes over a lone link in M/B plus the path latency', () => {
    // One 1 GiB flow over a 1 Gbit/s link with 50 us latency: 2^30 / 1.25e8 = 8.589934592 s, + 50 us.
    const sim = new Simulator();
    const net = new FlowNetwork(sim, links([GBIT], [50e-6]), NO_WINDOW);
    let deliveredS = -1;
    net.start({ path: path(0), wireBytes: GIB, onDelivered: () => (deliveredS = sim.nowS) });
    sim.run();
    expect(deliveredS).toBeCloseTo(GIB / GBIT + 50e-6, 12);
    expect(net.bytesCarried(0)).toBeCloseTo(GIB, 3);
    expect(net.peakUtilization(0)).toBe(1);
  });

  it('shares a bottleneck equally and gives the freed capacity to the survivor', () => {
    // Flows of S1 = 1e8 B and S2 = 3e8 B on one link of C = 1e8 B/s: both run at C/2 until flow 1 ends at
    // t1 = 2·S1/C = 2 s; flow 2 has S2 − S1 = 2e8 B left at C, ending at t2 = (S1 + S2)/C = 4 s.
    const sim = new Simulator();
    const net = new FlowNetwork(sim, links([1e8]), NO_WINDOW);
    const ends: number[] = [];
    net.start({ path: path(0), wireBytes: 1e8, onDelivered: () => ends.push(sim.nowS) });
    net.start({ path: path(0), wireBytes: 3e8, onDelivered: () => ends.push(sim.nowS) });
    sim.run();
    expect(ends[0]).toBeCloseTo(2, 12);
    expect(ends[1]).toBeCloseTo(4, 12);
  });

  it('carries both directions of a full-duplex cable at full rate', () => {
    // Links 0 (a→b) and 1 (b→a) are the two directions of one 1 Gbit/s cable: 1 GiB each way, each at
    // the full 1 Gbit/s, both end at 2^30 / 1.25e8 s.
    const sim = new Simulator();
    const net = new FlowNetwork(sim, links([GBIT, GBIT]), NO_WINDOW);
    const ends: number[] = [];
    net.start({ path: path(0), wireBytes: GIB, onDelivered: () => ends.push(sim.nowS) });
    net.start({ path: path(1), wireBytes: GIB, onDelivered: () => ends.push(sim.nowS) });
    sim.run();
    expect(ends).toHaveLength(2);
    for (const t of ends) expect(t).toBeCloseTo(GIB / GBIT, 12);
  });

  it('caps a flow at TCP window / RTT on a long path', () => {
    // 10 Gbit/s link, 20 ms one way, 4 MiB window: RTT = 40 ms, rate = 4·2^20 / 0.04 = 104857600 B/s, far
    // below the link; 1 GiB takes 2^30 / 104857600 = 10.24 s, + 20 ms latency.
    const sim = new Simulator();
    const net = new FlowNetwork(sim, links([10 * GBIT], [0.02]), 4 * 2 ** 20);
    let deliveredS = -1;
    const id = net.start({ path: path(0), wireBytes: GIB, onDelivered: () => (deliveredS = sim.nowS) });
    sim.at(1, () => expect(net.rateOf(id)).toBeCloseTo(104857600, 3));
    sim.run();
    expect(deliveredS).toBeCloseTo(10.24 + 0.02, 9);
  });

  it('applies a rate cap and a link capacity change mid-flow', () => {
    // 1e8 B at a cap of 1e7 B/s on a 1e8 B/s link: 10 s. A second flow, uncapped, of 4.5e8 B gets the
    // remaining 9e7 B/s: at t = 5 s the link drops to 2e7 B/s, shared 1e7/1e7 (the cap is no longer the
    // binding constraint but the fair share equals it). Flow 1 still ends at 10 s having sent 1e8 B; flow 2
    // has sent 4.5e8 B by t = 5 s (9e7 × 5) and so ends exactly then.
    const sim = new Simulator();
    const net = new FlowNetwork(sim, links([1e8]), NO_WINDOW);
    const ends: Record<string, number> = {};
    net.start({ path: path(0), wireBytes: 1e8, capBytesPerS: 1e7, onDelivered: () => (ends.capped = sim.nowS) });
    net.start({ path: path(0), wireBytes: 4.5e8, onDelivered: () => (ends.free = sim.nowS) });
    sim.at(5, () => net.setLinkCapacity(0, 2e7));
    sim.run();
    expect(ends.capped).toBeCloseTo(10, 9);
    expect(ends.free).toBeCloseTo(5, 9);
  });

  it('stalls flows on a zero-capacity link and resumes them when it comes back', () => {
    // 1e8 B on 1e8 B/s: 0.5 s of sending, 2 s with capacity 0, then the other 0.5 s: ends at 3 s.
    const sim = new Simulator();
    const net = new FlowNetwork(sim, links([1e8]), NO_WINDOW);
    let deliveredS = -1;
    net.start({ path: path(0), wireBytes: 1e8, onDelivered: () => (deliveredS = sim.nowS) });
    sim.at(0.5, () => net.setLinkCapacity(0, 0));
    sim.at(2.5, () => net.setLinkCapacity(0, 1e8));
    sim.run();
    expect(deliveredS).toBeCloseTo(3, 12);
  });

  it('cancels a flow and reports what it sent', () => {
    const sim = new Simulator();
    const net = new FlowNetwork(sim, links([1e8]), NO_WINDOW);
    let delivered = false;
    const id = net.start({ path: path(0), wireBytes: 1e9, onDelivered: () => (delivered = true) });
    let sent = -1;
    sim.at(2, () => (sent = net.cancel(id)));
    sim.run();
    expect(delivered).toBe(false);
    expect(sent).toBeCloseTo(2e8, 3);
    expect(net.bytesCarried(0)).toBeCloseTo(2e8, 3);
  });
});

interface RandomFlow {
  startS: number;
  path: number[];
  wireBytes: number;
  capBytesPerS: number;
  weight: number;
}

const randomCase = fc
  .integer({ min: 1, max: 12 })
  .chain((linkCount) =>
    fc.record({
      capacities: fc.array(fc.double({ min: 1e3, max: 1e6, noNaN: true }), { minLength: linkCount, maxLength: linkCount }),
      flows: fc.array(
        fc.record({
          startS: fc.double({ min: 0, max: 5, noNaN: true }),
          path: fc.uniqueArray(fc.integer({ min: 0, max: linkCount - 1 }), { minLength: 1, maxLength: Math.min(4, linkCount) }),
          wireBytes: fc.double({ min: 1e2, max: 1e6, noNaN: true }),
          capBytesPerS: fc.oneof(fc.constant(Infinity), fc.double({ min: 1e2, max: 1e6, noNaN: true })),
          weight: fc.oneof(fc.constant(1), fc.double({ min: 0.5, max: 4, noNaN: true })),
        }),
        { minLength: 1, maxLength: 25 },
      ),
    }),
  );

describe('FlowNetwork properties', () => {
  it('re-solving only the changed component equals a from-scratch solve, and bytes are conserved', () => {
    fc.assert(
      fc.property(randomCase, ({ capacities, flows }: { capacities: number[]; flows: RandomFlow[] }) => {
        const sim = new Simulator();
        const net = new FlowNetwork(sim, links(capacities), NO_WINDOW);
        const active = new Map<number, RandomFlow>();
        let delivered = 0;
        for (const flow of flows) {
          sim.at(flow.startS, () => {
            const id = net.start({
              path: Int32Array.from(flow.path),
              wireBytes: flow.wireBytes,
              capBytesPerS: flow.capBytesPerS,
              weight: flow.weight,
              onDelivered: () => {
                active.delete(id);
                delivered++;
              },
            });
            active.set(id, flow);
          });
        }
        // Registered after the network's own hook, so it sees the rates of this instant.
        sim.onSettle(() => {
          const ids = [...active.keys()];
          if (ids.length === 0) return;
          const starts = [0];
          const index: number[] = [];
          for (const id of ids) {
            index.push(...active.get(id)!.path);
            starts.push(index.length);
          }
          const reference = solveMaxMin({
            constraintCount: capacities.length,
            constraintCapacity: Float64Array.from(capacities),
            flowCount: ids.length,
            flowWeight: Float64Array.from(ids.map((id) => active.get(id)!.weight)),
            flowCap: Float64Array.from(ids.map((id) => active.get(id)!.capBytesPerS)),
            flowConstraintStart: Int32Array.from(starts),
            flowConstraintIndex: Int32Array.from(index),
          });
          ids.forEach((id, i) => {
            expect(net.rateOf(id)).toBeCloseTo(reference[i]!, 6);
          });
        });
        sim.run();
        expect(delivered).toBe(flows.length);
        // Every byte of every flow crossed every link of its path once.
        const expected = new Float64Array(capacities.length);
        for (const flow of flows) for (const link of flow.path) expected[link]! += flow.wireBytes;
        expected.forEach((bytes, link) => expect(net.bytesCarried(link)).toBeCloseTo(bytes, 3));
      }),
      { numRuns: 200 },
    );
  });
});
