// A plan of several migrations, whole runs solved by hand: sequential against parallel on one bottleneck
// with dirtying (Clark et al.'s geometric rounds, V_(i+1) = V_i·ρ, with ρ doubling when two migrations
// share the link), the plan's metrics as defined (first start to last end, the sum and the maximum of the
// downtimes, core bytes, peak core utilization, migrations in flight over time), host capacity (refused
// with the host and the resource named, or waiting for room), and the order policies on real migrations.
import { describe, expect, it } from 'vitest';
import { parseScenarioDocument } from '../../src/config/index.js';
import type { Results } from '../../src/engine/results.js';
import { runScenario } from '../../src/engine/run-scenario.js';
import { ROUND_END_RULES } from '../end-to-end/helpers.js';

const GIB = 2 ** 30;
const B = 1.25e8; // 1 Gbit/s in B/s
const H = (4096 + 8) / 4096; // stream bytes per memory byte: QEMU's 8-byte page header
const F = (1460 + 78) / 1460; // wire bytes per stream byte (src/transport/wire.ts defaults)
const M = GIB;

/** a — s — b at 1 Gbit/s, no latency; s—b marked core. */
function bottleneck(vms: unknown[], migrations: unknown[], extra: Record<string, unknown> = {}): Results {
  return runScenario(
    parseScenarioDocument(
      {
        topology: {
          kind: 'graph',
          nodes: [{ id: 'a', kind: 'host' }, { id: 's', kind: 'switch' }, { id: 'b', kind: 'host' }, { id: 'c', kind: 'host' }],
          links: [
            { from: 'a', to: 's', capacity: '1 Gbit/s', latency: 0 },
            { from: 's', to: 'b', capacity: '1 Gbit/s', latency: 0, core: true },
            { from: 's', to: 'c', capacity: '1 Gbit/s', latency: 0 },
          ],
        },
        vms,
        migrations,
        ...extra,
      },
      'plan.yaml',
    ),
  );
}

describe('sequential against parallel on one bottleneck, with dirtying', () => {
  // Two 1 GiB guests on a, both to b, precopy. Each sweeps its memory at D (sequential writes, no hot
  // set), so a round of V bytes at stream rate R = B/F (alone) lasts V·H·F/B and dirties D·V·H·F/B:
  // V_(i+1) = ρ·V_i, ρ = D·H·F/B, chosen as ¼. Precopy stops once the pending bytes fit 300 ms at the
  // measured rate: θ = 0.3·B/F = 3.56e7 B alone.
  //   alone:    V = M, M/4, M/16 (sent live), then M/64 = 1.68e7 ≤ θ goes in the downtime: 4 rounds,
  //             memory M·85/64, time M·H·F/B·85/64, downtime M·H·F/(64·B).
  //   parallel: each gets B/2, so ρ = ½ and θ = 0.3·B/(2F) = 1.78e7 B: V = M/2^i for i = 0..5 live, then
  //             M/64 = 1.68e7 ≤ θ in the downtime: 7 rounds, memory M·127/64, each round twice as long:
  //             time 2·M·H·F/B·127/64, downtime 2·M·H·F/(64·B), both VMs alike (they share the link evenly).
  const D = (0.25 * B) / (H * F);
  const vms = ['v1', 'v2'].map((id) => ({ id, host: 'a', memory: '1 GiB', workload: { dirtyRate: D, pattern: 'sequential' } }));
  const migrations = [{ vm: 'v1', to: 'b' }, { vm: 'v2', to: 'b' }];
  const defaults = { defaults: { migration: { ...ROUND_END_RULES, strategy: 'precopy' } } };
  const sequential = bottleneck(vms, migrations, { ...defaults, schedule: { policy: 'sequential' } });
  const parallel = bottleneck(vms, migrations, { ...defaults, schedule: { policy: 'parallel' } });
  const unit = (M * H * F) / B; // seconds to send M plainly at B

  it('parallel re-sends more: longer rounds let the guests dirty more', () => {
    for (const m of sequential.migrations) {
      expect(m.rounds).toBe(4);
      expect(m.bytes.memory).toBeCloseTo((M * 85) / 64, 0);
      expect(m.totalTime).toBeCloseTo((unit * 85) / 64, 9);
      expect(m.downtime).toBeCloseTo(unit / 64, 9);
    }
    for (const m of parallel.migrations) {
      expect(m.rounds).toBe(7);
      expect(m.bytes.memory).toBeCloseTo((M * 127) / 64, 0);
      expect(m.totalTime).toBeCloseTo((2 * unit * 127) / 64, 9);
      expect(m.downtime).toBeCloseTo((2 * unit) / 64, 9);
    }
    expect(parallel.summary.bytes.memory).toBeGreaterThan(sequential.summary.bytes.memory);
  });

  it('first start to last end, the sum and the maximum of the downtimes', () => {
    // sequential: v2 starts when v1 ends: 2 × (85/64) units; parallel: both end at 2·127/64 units.
    expect(sequential.migrations[1]!.start).toBeCloseTo((unit * 85) / 64, 9);
    expect(sequential.summary.totalMigrationTime).toBeCloseTo((2 * unit * 85) / 64, 9);
    expect(sequential.summary.totalDowntime).toBeCloseTo((2 * unit) / 64, 9);
    expect(sequential.summary.maxDowntime).toBeCloseTo(unit / 64, 9);
    expect(parallel.summary.totalMigrationTime).toBeCloseTo((2 * unit * 127) / 64, 9);
    expect(parallel.summary.totalDowntime).toBeCloseTo((4 * unit) / 64, 9);
    expect(parallel.summary.maxDowntime).toBeCloseTo((2 * unit) / 64, 9);
  });

  it('core bytes, peak core utilization and migrations in flight over time', () => {
    // s→b is the only core link and carries every wire byte of both migrations, at full rate.
    for (const results of [sequential, parallel]) {
      expect(results.summary.coreBytes).toBeCloseTo(results.summary.bytes.memory * H * F, 0);
      expect(results.summary.coreBytesByClass.migration).toBeCloseTo(results.summary.coreBytes, 0);
      expect(results.summary.coreBytesByClass.traffic).toBe(0);
      expect(results.summary.peakCoreUtilization).toBe(1);
    }
    // sequential: one in flight from 0 (v2 replaces v1 at the same instant), none at the end.
    // Binned to the run's end, which is the last migration's: every bin holds 1 (2) migrations throughout.
    for (const [results, count] of [[sequential, 1], [parallel, 2]] as const) {
      const { mean, peak, interval } = results.summary.inFlight;
      expect(mean.length * interval).toBeGreaterThanOrEqual(results.run.simulatedTime);
      expect(peak.every((p) => p === count)).toBe(true);
      for (const m of mean) expect(m).toBeCloseTo(count, 9);
    }
    expect([sequential.summary.maxInFlight, parallel.summary.maxInFlight]).toEqual([1, 2]);
  });
});

describe('order policies on real migrations', () => {
  // Stop-and-copy of 1, 3 and 2 GiB guests, one at a time: each takes its memory·H·F/B.
  const vms = [
    { id: 'small', host: 'a', memory: '1 GiB', workload: { dirtyRate: '90 MiB/s' } },
    { id: 'large', host: 'a', memory: '3 GiB' },
    { id: 'middle', host: 'a', memory: '2 GiB', workload: { dirtyRate: '10 MiB/s' } },
  ];
  const migrations = vms.map((vm) => ({ vm: vm.id, to: 'b' }));
  const run = (schedule: Record<string, unknown>): Results =>
    bottleneck(vms, migrations, { defaults: { migration: { strategy: 'stop-and-copy' } }, schedule });
  const order = (results: Results): string[] => [...results.migrations].sort((x, y) => x.start - y.start).map((m) => m.vm);

  it('smallest-first, largest-first by memory (the default), by dirty rate and by expected bytes', () => {
    expect(order(run({ policy: 'smallest-first' }))).toEqual(['small', 'middle', 'large']);
    expect(order(run({ policy: 'largest-first' }))).toEqual(['large', 'middle', 'small']);
    expect(order(run({ policy: 'largest-first', orderBy: 'dirtyRate' }))).toEqual(['small', 'middle', 'large']);
    // stop-and-copy sends each memory once: expected bytes order as memory does
    expect(order(run({ policy: 'smallest-first', orderBy: 'bytes' }))).toEqual(['small', 'middle', 'large']);
    const largestFirst = run({ policy: 'largest-first' });
    // 3 GiB, then 2, then 1: the small one starts after (3 + 2)·M·H·F/B
    expect(largestFirst.migrations[0]!.start).toBeCloseTo((5 * M * H * F) / B, 9);
  });
});

describe('room at the destination', () => {
  // b holds w (1.5 GiB), which leaves for c; v (1.5 GiB) comes from a. b has 2 GiB of memory.
  const vms = [
    { id: 'v', host: 'a', memory: '1.5 GiB' },
    { id: 'w', host: 'b', memory: '1.5 GiB' },
  ];
  const migrations = [{ vm: 'v', to: 'b' }, { vm: 'w', to: 'c' }];
  const hosts = { hosts: { overrides: { b: { memory: '2 GiB' } } } };

  it('refuses a migration that would overcommit its destination, naming the host and the resource', () => {
    const results = bottleneck(vms, migrations, { ...hosts, schedule: { policy: 'parallel' } });
    const v = results.migrations.find((m) => m.vm === 'v')!;
    expect(v.status).toBe('refused');
    expect(v.reason).toBe('destination b is full: memory 1.5 GiB needed, 512 MiB of 2 GiB free');
    expect([v.start, v.end, v.totalTime, v.bytes.memory]).toEqual([0, 0, 0, 0]);
    expect(results.summary).toMatchObject({ completed: 1, refused: 1 });
  });

  it('with onFull: wait, starts the moment the guest already there has left', () => {
    // w alone on s→c: 1.5 GiB·H·F/B (precopy of an idle guest: one round, an empty final one)
    const results = bottleneck(vms, migrations, { ...hosts, schedule: { policy: 'parallel', onFull: 'wait' } });
    const [v, w] = results.migrations;
    expect(w!.status).toBe('completed');
    expect(v!.status).toBe('completed');
    expect(v!.start).toBe(w!.end);
    expect(w!.end).toBeCloseTo((1.5 * M * H * F) / B, 9);
  });

  it('counts cores as vCPUs, one per core', () => {
    const results = bottleneck([{ id: 'v', host: 'a', memory: '1 GiB', vcpus: 3 }], [{ vm: 'v', to: 'b' }], {
      hosts: { overrides: { b: { cores: 2 } } },
    });
    expect(results.migrations[0]!.reason).toBe('destination b is full: 3 cores needed, 2 of 2 free');
  });

  it('refuses, saying so, a migration that waits for room nothing in flight can free', () => {
    const results = bottleneck([{ id: 'v', host: 'a', memory: '3 GiB' }], [{ vm: 'v', to: 'b' }], {
      ...hosts,
      schedule: { policy: 'sequential', onFull: 'wait' },
    });
    expect(results.migrations[0]!.reason).toBe(
      'destination b is full: memory 3 GiB needed, 2 GiB of 2 GiB free, and no migration in flight could free it',
    );
  });
});
