// Svärd et al., The Noble Art of Live VM Migration (Scenario II): the shapes of their measurements that the
// model reproduces, each with its setup written out. Testbed II: two hosts on 10 GbE (here a ─ s ─ b, 10 Gbit/s
// links of 50 us); Appmembench allocates half of the VM and writes its pages at a fixed rate (here a hot set of
// half the memory taking every write, uniformly); KVM's precopy, Heca's postcopy and hybrid, the migration
// speed left unlimited (maxBandwidth none: QEMU's 128 MiB/s default would hold a 10 GbE link to a tenth).
import { describe, expect, it } from 'vitest';
import type { MigrationResult } from '../../src/engine/results.js';
import { graph, run } from '../end-to-end/helpers.js';

function migrate(memory: string, hotSet: string, dirtyRate: string, migration: Record<string, unknown>): MigrationResult {
  return run({
    topology: graph(['a', 'b'], ['s'], [['a', 's'], ['s', 'b']], { capacity: '10 Gbit/s', latency: '50 us' }),
    hosts: { memory: '64 GiB' },
    vms: [{ id: 'v', host: 'a', memory, workload: { dirtyRate, hotSet, hotFraction: 1 } }],
    migrations: [{ vm: 'v', to: 'b', maxBandwidth: 'none', ...migration }],
    checks: true,
  }).migrations[0]!;
}

describe('Svärd et al. Scenario II, test 1: 1 GB/s into half of a 1-14 GB VM', () => {
  const sizes = [1, 4, 10, 14];

  it('postcopy downtime grows with the VM size, staying below 500 ms (Fig. 8)', () => {
    // The switch sends the discard bitmap (1 bit a page) and waits for the destination's setup (15 ms/GiB).
    const downtimes = sizes.map((gb) => migrate(`${gb} GB`, `${gb / 2} GB`, '1 GB/s', { strategy: 'postcopy' }).downtime);
    for (let i = 1; i < downtimes.length; i++) expect(downtimes[i]!).toBeGreaterThan(downtimes[i - 1]!);
    expect(downtimes.at(-1)!).toBeLessThan(0.5);
    expect(downtimes.at(-1)! / downtimes[0]!).toBeGreaterThan(10);
  });

  it('hybrid with 3, 5 and 10 s of precopy differ for a 14 GB VM: a longer precopy leaves less to the postcopy push', () => {
    // The first pass of 14 GB at ~1.17 GB/s takes ~12 s: each bound cuts it where it falls (hybrid.time, mid-pass).
    const runs = [3, 5, 10].map((s) => migrate('14 GB', '7 GB', '1 GB/s', { strategy: 'hybrid', hybrid: { time: `${s} s` } }));
    const pushed = runs.map((m) => m.phases.filter((p) => p.phase === 'postcopy').reduce((sum, p) => sum + p.bytes.memory, 0));
    expect(pushed[0]!).toBeGreaterThan(pushed[1]!);
    expect(pushed[1]!).toBeGreaterThan(pushed[2]!);
    const switchedAt = runs.map((m) => m.phases.find((p) => p.phase === 'stop-and-copy')!.start - m.start);
    [3, 5, 10].forEach((s, i) => {
      expect(switchedAt[i]!).toBeGreaterThanOrEqual(s - 1e-9);
      expect(switchedAt[i]!).toBeLessThan(s + 0.1); // to the 50 ms iteration
    });
  });
});

describe('Svärd et al. Scenario II, test 2: a 10 GB VM, 5 GB allocated, 10 MB/s to 10 GB/s', () => {
  it('hybrid with a 5 s precopy keeps its downtime below 250 ms at every rate (Fig. 9)', () => {
    for (const rate of ['10 MB/s', '100 MB/s', '1 GB/s', '10 GB/s']) {
      const m = migrate('10 GB', '5 GB', rate, { strategy: 'hybrid', hybrid: { time: '5 s' } });
      expect(m.status).toBe('completed');
      expect(m.downtime).toBeLessThan(0.25);
    }
  });

  it('precopy forced to stop after 60 s (their step 3) pauses far longer at 10 GB/s than at 10 MB/s', () => {
    // At 10 GB/s the guest outruns the link: the timeout pauses it with the whole 5 GB dirty (~4.3 s at 10 GbE).
    // (KVM did not converge at 1 GB/s either; the model does: 1 GB/s is below the link's 1.17 GB/s of payload.)
    const [slow, fast] = ['10 MB/s', '10 GB/s'].map((rate) => migrate('10 GB', '5 GB', rate, { timeout: { after: '60 s', action: 'pause' } }));
    expect(slow!.precopyStop).toBe('converged');
    expect(fast!.precopyStop).toBe('timeout');
    expect(fast!.downtime).toBeGreaterThan(10 * slow!.downtime);
  });
});
