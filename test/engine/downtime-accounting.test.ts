// Downtime accounting (src/engine/downtime-accounting.ts): the verdict on each pause against its downtimeLimit with
// its cause, and the group's union of pauses, sum and nearest-rank percentiles — by hand, then end to end.
import { describe, expect, it } from 'vitest';
import { nearestRankQuantile, unionLengthS } from '../../src/engine/downtime-accounting.js';
import { graph, run } from '../end-to-end/helpers.js';

describe('the pieces, by hand', () => {
  it('union of pauses: overlaps count once, gaps not at all', () => {
    // [0, 2) ∪ [1, 3) = [0, 3): 3 s; [5, 6): 1 s; [5.5, 5.7) inside it; an empty pause adds nothing. Total 4 s (sum 5.2 s).
    expect(unionLengthS([[0, 2], [1, 2], [5, 1], [5.5, 0.2], [9, 0]])).toBeCloseTo(4, 12);
    expect(unionLengthS([])).toBe(0);
  });

  it('nearest-rank percentiles: the ⌈q·n⌉-th smallest', () => {
    // n = 4: p50 → ⌈2⌉ = 2nd smallest; p95 and p99 → ⌈3.8⌉ = ⌈3.96⌉ = 4th.
    const downtimes = [0.4, 0.1, 0.3, 0.2];
    expect(nearestRankQuantile(downtimes, 0.5)).toBe(0.2);
    expect(nearestRankQuantile(downtimes, 0.95)).toBe(0.4);
    expect(nearestRankQuantile(downtimes, 0.99)).toBe(0.4);
    expect(nearestRankQuantile([], 0.5)).toBe(0);
  });
});

/** VMs v1..vn on host a, each to its own host b1..bn over a ─ s ─ bi, 1 Gbit/s links of 50 us. */
function fanOut(vms: Record<string, unknown>[], migrations: Record<string, unknown>[], extra: Record<string, unknown> = {}) {
  const hosts = ['a', ...migrations.map((_, i) => `b${i + 1}`)];
  const cables: [string, string][] = hosts.map((h) => [h, 's']);
  return run({
    topology: graph(hosts, ['s'], cables, { capacity: '1 Gbit/s', latency: '50 us' }),
    hosts: { cores: 64 },
    vms: vms.map((vm, i) => ({ id: `v${i + 1}`, host: 'a', memory: '256 MiB', ...vm })),
    migrations: migrations.map((m, i) => ({ vm: `v${i + 1}`, to: `b${i + 1}`, ...m })),
    ...extra,
  });
}

describe('verdicts and the summary, end to end', () => {
  it('a stop-and-copy is over any limit shorter than its copy; an idle QEMU precopy is not', () => {
    const results = fanOut([{}, {}], [{ strategy: 'stop-and-copy' }, { strategy: 'precopy' }], { schedule: { policy: 'sequential' } });
    const [copy, precopy] = results.migrations;
    expect(copy).toMatchObject({ downtimeOverLimit: true, downtimeOverLimitCause: 'stop-and-copy' });
    expect(copy!.downtime).toBeGreaterThan(2); // 256 MiB at 1 Gbit/s
    expect(precopy).toMatchObject({ downtimeOverLimit: false });
    expect(precopy!.downtimeOverLimitCause).toBeUndefined();
    expect(results.summary.overLimit).toBe(1);
    // One after the other: the pauses do not overlap, the union is the sum.
    expect(results.summary.downtimeUnion).toBeCloseTo(results.summary.totalDowntime, 12);
    expect(results.summary.downtimePercentiles.p50).toBe(Math.min(copy!.downtime, precopy!.downtime));
    expect(results.summary.downtimePercentiles.p99).toBe(copy!.downtime);
  });

  it('two stop-and-copies paused at once: the union is the longer pause, the sum both', () => {
    const results = fanOut([{}, { memory: '128 MiB' }], [{ strategy: 'stop-and-copy' }, { strategy: 'stop-and-copy' }], { schedule: { policy: 'parallel' } });
    const [big, small] = results.migrations;
    // Both pause at t = 0; the small one's pause lies inside the big one's.
    expect(results.summary.downtimeUnion).toBeCloseTo(big!.downtime, 12);
    expect(results.summary.totalDowntime).toBeCloseTo(big!.downtime + small!.downtime, 12);
  });

  it('a precopy forced to pause by its timeout is over the limit, as not converged', () => {
    const results = fanOut([{ workload: { dirtyRate: '200 MiB/s' } }], [{ maxBandwidth: '32 MiB/s', timeout: { after: '10 s', action: 'pause' } }]);
    expect(results.migrations[0]).toMatchObject({ status: 'completed', precopyStop: 'timeout', downtimeOverLimit: true, downtimeOverLimitCause: 'not converged' });
  });

  it('a postcopy whose switch outlasts a tight limit is over it for the switchover', () => {
    // 16 GiB: the 512 KiB bitmap takes ~4.4 ms at 1 Gbit/s, the destination's setup 16 × 15 ms = 240 ms > 100 ms.
    const results = fanOut([{ memory: '16 GiB' }], [{ strategy: 'postcopy', downtimeLimit: '100 ms' }]);
    expect(results.migrations[0]).toMatchObject({ downtimeOverLimit: true, downtimeOverLimitCause: 'switchover' });
  });
});
