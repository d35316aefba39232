// Application traffic (src/transport/application-traffic.ts) in whole runs solved by hand: a flow competing
// with a migration gets its max-min share (half a shared link, or its cap and the migration the rest); a
// flow to a VM stalls exactly during the VM's downtime and then follows it to its new host; sized flows end
// when their bytes have arrived, long-lived ones at their duration or the horizon; and the config's checks.
import { describe, expect, it } from 'vitest';
import { ConfigError, parseScenarioDocument } from '../../src/config/index.js';
import type { Results } from '../../src/engine/results.js';
import { runScenario } from '../../src/engine/run-scenario.js';

const GIB = 2 ** 30;
const B = 1.25e8; // 1 Gbit/s in B/s
const H = (4096 + 8) / 4096; // stream bytes per memory byte (QEMU page header)
const F = (1460 + 78) / 1460; // wire bytes per payload byte
const RATE = 1.25e7; // 100 Mbit/s of payload, in B/s

/** hosts a, b, c around one switch s; every cable 1 Gbit/s with `latency`; a—s is marked core. */
function star(document: Record<string, unknown>, latency: string | number = 0): Results {
  const cable = (from: string, to: string, core = false): Record<string, unknown> => ({ from, to, capacity: '1 Gbit/s', latency, core });
  return runScenario(
    parseScenarioDocument(
      {
        topology: {
          kind: 'graph',
          nodes: [{ id: 'a', kind: 'host' }, { id: 'b', kind: 'host' }, { id: 'c', kind: 'host' }, { id: 's', kind: 'switch' }],
          links: [cable('a', 's', true), cable('b', 's'), cable('c', 's')],
        },
        ...document,
      },
      'traffic.yaml',
    ),
  );
}

const linkBytes = (results: Results, id: string): number => results.links.find((l) => l.id === id)!.bytes;

describe('a flow competing with a migration', () => {
  // v (1 GiB) leaves a for b by stop-and-copy; u stays on a and sends to c. Both cross a→s.
  const vms = [{ id: 'v', host: 'a', memory: '1 GiB' }, { id: 'u', host: 'a', memory: '1 GiB' }];
  const migrations = [{ vm: 'v', to: 'b', strategy: 'stop-and-copy' }];

  it('an uncapped flow gets half the shared link, until the horizon (the migration\'s end)', () => {
    // Max-min on a→s: B/2 each. The migration sends M·H·F wire bytes at B/2: T = 2·M·H·F/B. The flow runs
    // on [0, T] at B/2 of wire: M·H·F wire bytes, M·H of payload.
    const results = star({ vms, migrations, traffic: [{ from: 'u', to: 'c' }] });
    const T = (2 * GIB * H * F) / B;
    expect(results.migrations[0]!.totalTime).toBeCloseTo(T, 9);
    const [flow] = results.traffic;
    expect(flow).toMatchObject({ from: 'u', to: 'c', start: 0, stalledTime: 0 });
    expect(flow!.end).toBeCloseTo(T, 9);
    expect(flow!.bytes.wire).toBeCloseTo(GIB * H * F, 0);
    expect(flow!.bytes.payload).toBeCloseTo(GIB * H, 0);
    // a→s is core: the flow's wire bytes count as traffic there, the migration's as migration
    // traffic[] has exactly CONTRACT.md's fields
    expect(Object.keys(flow!).sort()).toEqual(['bytes', 'end', 'from', 'stalledTime', 'start', 'to']);
    expect(results.summary.traffic.coreBytes).toBeCloseTo(GIB * H * F, 0);
    expect(results.summary.coreBytesByClass.traffic).toBeCloseTo(GIB * H * F, 0);
    expect(results.summary.coreBytesByClass.migration).toBeCloseTo(GIB * H * F, 0);
    expect(results.summary.coreBytes).toBeCloseTo(2 * GIB * H * F, 0);
    expect(results.summary.traffic).toMatchObject({ flows: 1, stalledTime: 0 });
  });

  it('a capped flow gets its cap and the migration the rest', () => {
    // The flow is held to 100 Mbit/s of payload, RATE·F of wire; the migration gets B − RATE·F:
    // T = M·H·F/(B − RATE·F); the flow sends RATE·T of payload.
    const results = star({ vms, migrations, traffic: [{ from: 'u', to: 'c', rate: '100 Mbit/s' }] });
    const T = (GIB * H * F) / (B - RATE * F);
    expect(results.migrations[0]!.totalTime).toBeCloseTo(T, 9);
    expect(results.traffic[0]!.bytes.payload).toBeCloseTo(RATE * T, 0);
    expect(results.traffic[0]!.bytes.wire).toBeCloseTo(RATE * F * T, 0);
  });
});

describe('a flow to a migrating VM', () => {
  // c sends to v at 100 Mbit/s until 100 s. v (1 GiB) goes a → b by precopy, sweeping its memory at 50 MiB/s
  // so that the final round (the downtime) is not empty.
  const results = star({
    vms: [{ id: 'v', host: 'a', memory: '1 GiB', workload: { dirtyRate: '50 MiB/s', pattern: 'sequential' } }],
    migrations: [{ vm: 'v', to: 'b', strategy: 'precopy' }],
    traffic: [{ from: 'c', to: 'v', rate: '100 Mbit/s' }],
    horizon: '100 s',
  });
  const m = results.migrations[0]!;
  const flow = results.traffic[0]!;

  it('stalls exactly during the downtime', () => {
    expect(m.downtime).toBeGreaterThan(0.01);
    expect(flow.stalledTime).toBeCloseTo(m.downtime, 12);
    // it runs at its cap the rest of the time: RATE·(100 − downtime)
    expect(flow).toMatchObject({ start: 0, end: 100 });
    expect(flow.bytes.payload).toBeCloseTo(RATE * (100 - m.downtime), 3);
    expect(results.summary.traffic.stalledTime).toBeCloseTo(m.downtime, 12);
  });

  it('goes to a until the pause and to b from the switchover on', () => {
    // The pause starts at end − downtime; the switchover is at the end.
    const pausedAt = m.end - m.downtime;
    expect(linkBytes(results, 's->a')).toBeCloseTo(RATE * F * pausedAt, 3);
    expect(linkBytes(results, 's->b')).toBeCloseTo(m.bytes.wire + RATE * F * (100 - m.end), 3);
    expect(linkBytes(results, 'c->s')).toBeCloseTo(RATE * F * (100 - m.downtime), 3);
  });
});

describe('how flows end', () => {
  const oneVm = { vms: [{ id: 'v', host: 'a', memory: '1 GiB' }] };

  it('a sized flow ends when its last byte arrives: S·F/B + the path latency', () => {
    // 100 MB from a to b alone, links 10 us each: 1e8·F/B + 20 us.
    const results = star({ ...oneVm, traffic: [{ from: 'a', to: 'b', size: '100 MB' }] }, '10 us');
    const [flow] = results.traffic;
    expect(flow!.end).toBeCloseTo((1e8 * F) / B + 20e-6, 12);
    expect(flow!.bytes.payload).toBeCloseTo(1e8, 3);
    expect(flow!.bytes.wire).toBeCloseTo(1e8 * F, 3);
  });

  it('a sized flow with a rate: S/rate; with a duration, whichever comes first', () => {
    const results = star({
      ...oneVm,
      traffic: [
        { from: 'a', to: 'b', size: '100 MB', rate: '100 Mbit/s', start: '1 s' },
        { from: 'a', to: 'c', size: '100 MB', rate: '100 Mbit/s', duration: '2 s' },
      ],
    });
    expect(results.traffic[0]).toMatchObject({ start: 1 });
    expect(results.traffic[0]!.end).toBeCloseTo(1 + 1e8 / RATE, 9);
    expect(results.traffic[1]!.end).toBe(2);
    expect(results.traffic[1]!.bytes.payload).toBeCloseTo(2 * RATE, 3);
  });

  it('a long-lived flow runs until the last flow that ends by itself (no migrations), or ends at once', () => {
    const withSized = star({
      ...oneVm,
      traffic: [
        { from: 'a', to: 'c', rate: '100 Mbit/s' },
        { from: 'b', to: 'c', size: '100 MB', rate: '100 Mbit/s' },
      ],
    });
    expect(withSized.traffic[0]!.end).toBeCloseTo(1e8 / RATE, 9);
    expect(withSized.traffic[0]!.bytes.payload).toBeCloseTo(1e8, 3);
    const alone = star({ ...oneVm, traffic: [{ from: 'a', to: 'c', rate: '100 Mbit/s' }] });
    expect(alone.traffic[0]).toMatchObject({ start: 0, end: 0, bytes: { payload: 0, wire: 0 }, stalledTime: 0 });
  });

  it('an explicit horizon cuts flows and keeps later ones from starting', () => {
    const results = star({
      ...oneVm,
      traffic: [{ from: 'a', to: 'c', rate: '100 Mbit/s' }, { from: 'a', to: 'b', rate: '100 Mbit/s', start: '5 s' }],
      horizon: '3 s',
    });
    expect(results.traffic[0]).toMatchObject({ start: 0, end: 3 });
    expect(results.traffic[0]!.bytes.payload).toBeCloseTo(3 * RATE, 3);
    expect(results.traffic[1]).toMatchObject({ start: 5, end: 5, bytes: { payload: 0, wire: 0 } });
  });

  it('a flow to the host a VM moves to becomes local: no network bytes after the switchover', () => {
    // v sends to b at 100 Mbit/s and moves a → b by stop-and-copy (T = M·H·F/B); horizon 20 s. Before: path
    // a→s→b, stalled during the whole migration (stop-and-copy pauses v at once). After: loopback on b.
    const results = star({
      vms: [{ id: 'v', host: 'a', memory: '1 GiB' }],
      migrations: [{ vm: 'v', to: 'b', strategy: 'stop-and-copy' }],
      traffic: [{ from: 'v', to: 'b', rate: '100 Mbit/s' }],
      horizon: '20 s',
    });
    const T = (GIB * H * F) / B;
    const flow = results.traffic[0]!;
    expect(flow.stalledTime).toBeCloseTo(T, 9);
    expect(flow.bytes.wire).toBe(0);
    expect(flow.bytes.payload).toBeCloseTo(RATE * (20 - T), 3);
  });
});

describe('checks of the traffic section', () => {
  const base = {
    topology: {
      kind: 'graph',
      nodes: [{ id: 'a', kind: 'host' }, { id: 'b', kind: 'host' }, { id: 's', kind: 'switch' }],
      links: [{ from: 'a', to: 's', capacity: '1 Gbit/s', latency: 0 }, { from: 'b', to: 's', capacity: '1 Gbit/s', latency: 0 }],
    },
    vms: [{ id: 'v', host: 'a', memory: '1 GiB' }],
  };
  const problems = (traffic: unknown[]): string[] => {
    try {
      parseScenarioDocument({ ...base, traffic }, 'bad.yaml');
      return [];
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
    }
  };

  it('accepts VMs and hosts as ends, with sizes, rates and times in units', () => {
    expect(problems([{ from: 'v', to: 'b', rate: '1 Gbit/s', size: '1 GiB', start: '1 s', duration: '1 min' }])).toEqual([]);
  });

  it('names unknown ends, a flow to itself, a switch, and negative or zero quantities', () => {
    expect(problems([{ from: 'x', to: 'b' }])).toEqual(['traffic[0].from: unknown VM or host "x" (expected a VM id such as "v", or a host id such as "a")']);
    expect(problems([{ from: 'v', to: 'v' }])).toEqual(['traffic[0].to: the flow goes from "v" to itself (expected two different ends)']);
    expect(problems([{ from: 'v', to: 's' }])).toEqual([expect.stringMatching(/^traffic\[0\]\.to: "s" is a switch, not a host/)]);
    expect(problems([{ from: 'v', to: 'b', rate: '-1 Mbit/s' }])).toEqual([expect.stringMatching(/^traffic\[0\]\.rate: .*negative/)]);
    expect(problems([{ from: 'v', to: 'b', size: 0 }])).toEqual([expect.stringMatching(/^traffic\[0\]\.size: 0 must be greater than zero/)]);
    expect(problems([{ from: 'v', to: 'b', duration: '-2 s' }])).toEqual([expect.stringMatching(/^traffic\[0\]\.duration: .*negative/)]);
    expect(problems([{ from: 'v', to: 'b', speed: 1 }])).toEqual([expect.stringMatching(/^traffic\[0\]\.speed: unknown key/)]);
  });
});
