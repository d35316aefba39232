import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScenarioDocument } from '../../src/config/index.js';
import { runScenario } from '../../src/engine/run-scenario.js';
import type { MigrationResult, Results } from '../../src/engine/results.js';
import { PAGE_BYTES } from '../../src/migration/memory-model.js';
import { PAGE_HEADER_BYTES, ZERO_PAGE_EXTRA_BYTES, COMPRESSED_EXTRA_BYTES } from '../../src/migration/page-cost.js';
import { STRATEGIES } from '../../src/migration/registry.js';
import { STRATEGY_NAMES } from '../../src/migration/names.js';
import { loneLinkDocument } from '../end-to-end/helpers.js';

const GIB = 2 ** 30;
const B = 1.25e8; // 1 Gbit/s in B/s
const F = (1460 + 78) / 1460; // default wire factor: MTU 1500, 78 B of headers per 1460 B of payload
const K = 1 + PAGE_HEADER_BYTES / PAGE_BYTES; // QEMU's 8-byte header in front of every 4 KiB page

/** One VM on host a moving to host b over a–s–b, 1 Gbit/s links of `latency` each. */
function loneLink(vm: Record<string, unknown>, migration: Record<string, unknown>, latency = '50 us'): Results {
  return runScenario(parseScenarioDocument({ name: 'lone-link', ...loneLinkDocument(vm, migration, latency) }, 'test.yaml'));
}

const only = (results: Results): MigrationResult => results.migrations[0]!;

describe('precopy closed forms', () => {
  it('moves exactly M in one round when the guest dirties nothing', () => {
    // M = 1 GiB, no writes: round 0 sends M (stream M·K, wire M·K·F) in M·K·F/B + 100 us; nothing is dirty,
    // so the final stop-and-copy is empty and only takes the path latency (100 us); the destination's
    // gratuitous ARP then takes another 100 us to reach the source's switch (l2: src/transport/addressing.ts).
    // Downtime = 200 us.
    const m = only(loneLink({ memory: '1 GiB' }, { strategy: 'precopy' }));
    expect(m.status).toBe('completed');
    expect(m.bytes.memory).toBe(GIB);
    expect(m.rounds).toBe(1);
    expect(m.bytes.wire).toBeCloseTo(GIB * K * F, 0);
    expect(m.downtime).toBeCloseTo(200e-6, 12);
    expect(m.totalTime).toBeCloseTo((GIB * K * F) / B + 300e-6, 9);
    expect(m.precopyStop).toBe('converged');
  });

  it('shrinks rounds geometrically, V_i = V_0·(D/B)^i (Clark et al. 2005)', () => {
    // A sequential sweep over all memory (no hot set) dirties exactly D·t bytes while D·t < M. With zero
    // latency a round of V bytes lasts V·K·F/B, so the next round is V·ρ with ρ = D·K·F/B. D is chosen so
    // that ρ = 1/4: 4 GiB, 1 GiB, 256 MiB, 64 MiB, then 16 MiB ≤ threshold = (B/F)·0.3 s ≈ 35.7 MB, which
    // is sent during the downtime.
    const rho = 0.25;
    const dirtyRate = (rho * B) / (K * F);
    const m = only(
      loneLink(
        { memory: '4 GiB', workload: { dirtyRate, pattern: 'sequential' } },
        { strategy: 'precopy' },
        '0 s',
      ),
    );
    const sizes = m.phases.map((p) => p.bytes.memory);
    expect(sizes).toHaveLength(5);
    sizes.forEach((v, i) => expect(v / (4 * GIB * rho ** i)).toBeCloseTo(1, 9));
    expect(m.phases.map((p) => p.phase)).toEqual(['precopy', 'precopy', 'precopy', 'precopy', 'stop-and-copy']);
    expect(m.downtime).toBeCloseTo((4 * GIB * rho ** 4 * K * F) / B, 9);
  });
});

describe("Svärd et al.'s findings on a 1 Gbit/s link (4 GiB guest, 1 GiB hot set taking 90 % of writes)", () => {
  const run = (strategy: string, dirtyRate: string, extra: Record<string, unknown> = {}): MigrationResult =>
    only(
      loneLink(
        { memory: '4 GiB', workload: { dirtyRate, hotSet: '1 GiB', hotFraction: 0.9 } },
        { strategy, ...extra },
      ),
    );

  it('precopy downtime grows with the dirty rate and does not converge at 1 GB/s', () => {
    const [slow, medium, fast] = ['10 MB/s', '100 MB/s', '1 GB/s'].map((rate) => run('precopy', rate));
    expect(slow!.downtime).toBeLessThan(medium!.downtime);
    expect(medium!.downtime).toBeLessThan(fast!.downtime);
    expect(slow!.precopyStop).toBe('converged');
    expect(fast!.precopyStop).not.toBe('converged');
    // The final round carries at least the saturated hot set: ≥ 1 GiB at 1 Gbit/s is > 8 s of downtime.
    expect(fast!.downtime).toBeGreaterThan(8);
  });

  it('postcopy keeps downtime to the state transfer and moves each page exactly once', () => {
    for (const rate of ['10 MB/s', '100 MB/s', '1 GB/s']) {
      const m = run('postcopy', rate);
      // The switch: the discard bitmap (4 GiB / 4 KiB pages / 8 bits = 128 KiB) at B with the wire overhead F,
      // its one-way latency, the destination's setup (4 GiB × 15 ms/GiB, postcopy.ts), then the ARP's latency.
      expect(m.downtime).toBeCloseTo((131072 * F) / B + 100e-6 + 4 * 0.015 + 100e-6, 12);
      expect(m.bytes.memory).toBe(4 * GIB);
      expect(m.rounds).toBe(0);
      expect(m.degradedTime).toBeGreaterThan(0);
    }
    expect(run('postcopy', '1 GB/s').faults).toBeGreaterThan(run('postcopy', '10 MB/s').faults);
  });

  it('hybrid with a 5 s precopy keeps downtime small at 1 GB/s and sends less than precopy', () => {
    const hybrid = run('hybrid', '1 GB/s', { hybrid: { time: '5 s' } });
    const precopy = run('precopy', '1 GB/s');
    // the switch to postcopy alone: the bitmap and the setup, about 61 ms (as postcopy's, above)
    expect(hybrid.downtime).toBeLessThan(0.07);
    expect(hybrid.bytes.memory).toBeLessThan(precopy.bytes.memory);
    expect(hybrid.phases.map((p) => p.phase)).toEqual(['precopy', 'stop-and-copy', 'postcopy']);
  });

  it('auto-converge turns the non-converging precopy into a converging one, degrading the guest', () => {
    const plain = run('precopy', '1 GB/s');
    const throttled = run('precopy', '1 GB/s', { autoConverge: true });
    expect(throttled.precopyStop).toBe('converged');
    expect(throttled.downtime).toBeLessThan(plain.downtime / 10);
    expect(throttled.degradedTime).toBeGreaterThan(0);
    const throttles = throttled.phases.filter((p) => p.phase === 'precopy').map((p) => p.throttle);
    // QEMU: 20 % first, then +10 % per trigger, never above 99 %; never decreasing.
    expect(throttles.find((t) => t > 0)).toBeCloseTo(0.2, 12);
    throttles.slice(1).forEach((t, i) => expect(t).toBeGreaterThanOrEqual(throttles[i]!));
    expect(Math.max(...throttles)).toBeLessThanOrEqual(0.99);
  });

  it('postcopy pre-paging (hot set first) faults less than pushing in address order', () => {
    const prepaged = run('postcopy', '100 MB/s');
    const plain = run('postcopy', '100 MB/s', { prepaging: false });
    expect(prepaged.faults).toBeLessThan(plain.faults);
    expect(run('postcopy', '0 B/s').faults).toBe(0);
  });
});

describe('optimizations shrink wire bytes by the configured amounts', () => {
  it('zero-page skipping sends zero pages as a header and one byte', () => {
    // 30 % zero pages: 0.7·M of data at M·K, plus 0.3·M/4096 pages × (8 + 1) B.
    const m = only(
      loneLink({ memory: '1 GiB', content: { zeroFraction: 0.3 } }, { strategy: 'stop-and-copy', optimizations: { zeroPages: true } }),
    );
    const stream = 0.7 * GIB * K + ((0.3 * GIB) / PAGE_BYTES) * (PAGE_HEADER_BYTES + ZERO_PAGE_EXTRA_BYTES);
    expect(m.bytes.memory).toBeCloseTo(0.7 * GIB, 0);
    expect(m.bytes.wire).toBeCloseTo(stream * F, 0);
  });

  it('compression sends pages at compressRatio plus a 4-byte length', () => {
    // compressRatio 0.4: every page is 8 + 4 + 0.4·4096 B on the stream. One core compresses at zstd-1's
    // 510 MB/s > 1 Gbit/s, so the network stays the bottleneck.
    const m = only(
      loneLink({ memory: '1 GiB', content: { compressRatio: 0.4 } }, { strategy: 'stop-and-copy', optimizations: { compression: true } }),
    );
    const stream = (GIB / PAGE_BYTES) * (PAGE_HEADER_BYTES + COMPRESSED_EXTRA_BYTES + 0.4 * PAGE_BYTES);
    expect(m.bytes.wire).toBeCloseTo(stream * F, 0);
    expect(m.totalTime).toBeCloseTo((stream * F) / B + 200e-6, 9); // the last byte's latency, then the ARP's
  });

  it('compression is capped by the cores that compress', () => {
    // With a 10 Gbit/s link the sender's one core is the bottleneck: per byte of memory it compresses
    // (zstd-1, 510 MB/s of page data) and copies the compressed stream into the socket (QEMU's measured
    // 3.006e9 B/s per core, src/power/migration-cpu.ts), p = (2048 + 8 + 4) / 4096 stream bytes per memory
    // byte (half-size pages with their 8-byte header and 4-byte length word). The 1 GiB takes
    // 2^30 · (1/510e6 + p/3.006e9) s plus latency.
    const document = {
      topology: {
        kind: 'graph',
        nodes: [{ id: 'a', kind: 'host' }, { id: 'b', kind: 'host' }],
        links: [{ from: 'a', to: 'b', capacity: '10 Gbit/s', latency: '10 us' }],
      },
      vms: [{ id: 'v', host: 'a', memory: '1 GiB', content: { compressRatio: 0.5 } }],
      migrations: [{ vm: 'v', to: 'b', strategy: 'stop-and-copy', maxBandwidth: 'none', optimizations: { compression: true } }],
    };
    const m = only(runScenario(parseScenarioDocument(document, 'test.yaml')));
    const copySendBytesPerS = (330240 * 4096) / 0.45;
    expect(m.totalTime).toBeCloseTo(GIB * (1 / 510e6 + (2048 + 8 + 4) / 4096 / copySendBytesPerS) + 20e-6, 6);
  });

  it('XBZRLE delta compression only helps re-sent pages', () => {
    const vm = { memory: '2 GiB', workload: { dirtyRate: '50 MB/s', hotSet: '32 MiB', hotFraction: 1 } };
    const plain = only(loneLink(vm, { strategy: 'precopy' }));
    const xbzrle = only(loneLink(vm, { strategy: 'precopy', optimizations: { deltaCompression: true } }));
    // Round 0 is a first pass: identical stream bytes.
    expect(xbzrle.phases[0]!.bytes.stream).toBe(plain.phases[0]!.bytes.stream);
    // Re-sent rounds: the 32 MiB hot set fits the 64 MiB cache, so pages go as deltas (3.55 % of a page).
    const resent = (m: MigrationResult): number => m.phases.slice(1).reduce((s, p) => s + p.bytes.stream, 0);
    expect(resent(xbzrle)).toBeLessThan(resent(plain) * 0.1);
  });

  it('hot-page deferral holds the hot set back to the final round', () => {
    const vm = { memory: '4 GiB', workload: { dirtyRate: '60 MB/s', hotSet: '256 MiB', hotFraction: 0.95 } };
    const plain = only(loneLink(vm, { strategy: 'precopy' }));
    const deferred = only(loneLink(vm, { strategy: 'precopy', optimizations: { deferHotPages: true } }));
    expect(deferred.bytes.memory).toBeLessThan(plain.bytes.memory);
  });
});

describe('strategy registry', () => {
  it('implements exactly the names the config layer accepts, each with a description and a citation', () => {
    expect(Object.keys(STRATEGIES).sort()).toEqual([...STRATEGY_NAMES].sort());
    for (const entry of Object.values(STRATEGIES)) {
      expect(entry.description.length).toBeGreaterThan(10);
      expect(entry.citation).toMatch(/\d{4}|QEMU/);
    }
  });
});

describe('conformance of every strategy (random workloads)', () => {
  const workload = fc.record({
    memoryMiB: fc.integer({ min: 64, max: 4096 }),
    dirtyMBps: fc.double({ min: 0, max: 400, noNaN: true }),
    hotShare: fc.double({ min: 0.01, max: 1, noNaN: true }),
    hotFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    pattern: fc.constantFrom('random', 'sequential'),
    autoConverge: fc.boolean(),
    zeroFraction: fc.double({ min: 0, max: 0.5, noNaN: true }),
  });

  // Every strategy as configured by default, and those with precopy rounds with QEMU's convergence check too.
  const variants: { strategy: string; convergenceCheck: string }[] = [
    ...STRATEGY_NAMES.map((strategy) => ({ strategy, convergenceCheck: 'round-end' })),
    ...STRATEGY_NAMES.filter((strategy) => strategy === 'precopy' || strategy === 'hybrid').map((strategy) => ({ strategy, convergenceCheck: 'qemu' })),
  ];

  for (const { strategy, convergenceCheck } of variants) {
    it(`${strategy} (${convergenceCheck}): completes on the destination, conserves bytes, downtime ≥ 0, deterministic`, () => {
      fc.assert(
        fc.property(workload, (w) => {
          const vm = {
            memory: `${w.memoryMiB} MiB`,
            workload: {
              dirtyRate: `${w.dirtyMBps} MB/s`,
              hotSet: `${Math.max(1, Math.floor(w.memoryMiB * w.hotShare))} MiB`,
              hotFraction: w.hotFraction,
              pattern: w.pattern,
            },
            content: { zeroFraction: w.zeroFraction },
          };
          const migration = { strategy, convergenceCheck, autoConverge: w.autoConverge, optimizations: { zeroPages: true } };
          const results = loneLink(vm, migration);
          const m = only(results);
          expect(m.status).toBe('completed');
          expect(m.to).toBe('b');
          expect(m.downtime).toBeGreaterThanOrEqual(0);
          expect(m.totalTime).toBeGreaterThanOrEqual(m.downtime);
          expect(m.degradedTime).toBeLessThanOrEqual(m.totalTime + 1e-12);
          // Each of the two links of the path carried every wire byte of the migration, once.
          for (const link of results.links.filter((l) => l.bytes > 0)) {
            expect(link.bytes / m.bytes.wire).toBeCloseTo(1, 9);
          }
          expect(results.links.filter((l) => l.bytes > 0)).toHaveLength(2);
          // The phases add up to the migration's totals.
          expect(m.phases.reduce((s, p) => s + p.bytes.wire, 0) / m.bytes.wire).toBeCloseTo(1, 12);
          expect(JSON.stringify(loneLink(vm, migration))).toBe(JSON.stringify(results));
        }),
        { numRuns: 25 },
      );
    });
  }
});
