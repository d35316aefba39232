// Faults during migrations (issue 9; src/engine/fault-injector.ts, migration-faults.ts): outcomes by technique,
// re-routing with the time worked out by hand, reconvergence on a link-up, a stalled disk copy, degrade, host
// crashes, retry, and determinism with faults. Exposure under re-routing: fault-exposure.test.ts.
import { describe, expect, test } from 'vitest';
import { parseScenarioDocument } from '../../src/config/index.js';
import { runScenario } from '../../src/engine/run-scenario.js';
import { expectClose, GBIT, GIB, MIB, ROUND_END_RULES, run, WIRE_PER_MEMORY_BYTE } from '../end-to-end/helpers.js';
import { twoPathsTopology } from '../support/two-paths.js';

/** a1 — s — b1 at 1 Gbit/s, no latency: one path and no other. */
function lonePath(migration: Record<string, unknown>, faults: unknown[] = []): Record<string, any> {
  return {
    topology: {
      kind: 'graph',
      nodes: [{ id: 'a1', kind: 'host' }, { id: 'b1', kind: 'host' }, { id: 's', kind: 'switch' }],
      links: [
        { from: 'a1', to: 's', capacity: '1 Gbit/s', latency: 0 },
        { from: 's', to: 'b1', capacity: '1 Gbit/s', latency: 0 },
      ],
    },
    vms: [{ id: 'v', host: 'a1', memory: '1 GiB', workload: { dirtyRate: '60 MiB/s', hotSet: '512 MiB', hotFraction: 0.5 } }],
    defaults: { migration: ROUND_END_RULES },
    migrations: [{ vm: 'v', to: 'b1', ...migration }],
    faults,
  };
}

const CUT = { from: 's', to: 'b1' };

describe('outcomes by technique', () => {
  test('precopy cut in round 2 on a lone path: aborted after the stall timeout, the VM running on its source', () => {
    const clean = run(lonePath({ strategy: 'precopy' })).migrations[0]!;
    const round2 = clean.phases[2]!;
    expect(round2.phase).toBe('precopy');
    const cutS = (round2.start + round2.end) / 2;
    const results = run(lonePath({ strategy: 'precopy' }, [{ at: cutS, kind: 'link-down', target: CUT }]));
    const m = results.migrations[0]!;
    expect(m.status).toBe('failed');
    expect(m.reason).toMatch(/^aborted: .*no working path from a1 to b1.*keeps running on a1/);
    // Nothing moves after the cut; libvirt's keepalive gives up 30 s later (fault-schema.ts).
    expectClose(m.end, cutS + 30, 'end');
    expect(m.lost).toBeUndefined();
    expect(results.vms).toEqual([{ id: 'v', host: 'a1', state: 'running' }]);
    expect(results.summary).toMatchObject({ failed: 1, lost: 0 });
    // the guest never paused: the cut came before the stop-and-copy
    expect(m.downtime).toBe(0);
  });

  test('the same cut after a postcopy switchover loses the VM', () => {
    const clean = run(lonePath({ strategy: 'postcopy' })).migrations[0]!;
    const push = clean.phases.find((phase) => phase.phase === 'postcopy')!;
    const cutS = (push.start + push.end) / 2;
    const results = run(lonePath({ strategy: 'postcopy', stallTimeout: '5 s' }, [{ at: cutS, kind: 'link-down', target: CUT }]));
    const m = results.migrations[0]!;
    expect(m.status).toBe('failed');
    expect(m.reason).toMatch(/^lost: .*after the switchover \(postcopy\)/);
    expectClose(m.end, cutS + 5, 'end');
    expect(m.lost).toBe(true);
    expect(results.vms).toEqual([{ id: 'v', host: 'b1', state: 'lost' }]);
    expect(results.summary).toMatchObject({ failed: 1, lost: 1 });
  });

  test('hybrid before its switchover behaves like precopy', () => {
    const results = run(lonePath({ strategy: 'hybrid', hybrid: { rounds: 3 } }, [{ at: 1, kind: 'link-down', target: CUT }]));
    expect(results.migrations[0]!.reason).toMatch(/^aborted/);
    expect(results.vms[0]!.state).toBe('running');
  });

  test('destination crash during precopy fails the migration; the VM stays on its source', () => {
    const results = run(lonePath({ strategy: 'precopy' }, [{ at: 2, kind: 'host-crash', target: 'b1' }]));
    const m = results.migrations[0]!;
    expect(m.status).toBe('failed');
    expect(m.reason).toMatch(/destination b1 crashed; the VM keeps running on a1/);
    expect(m.end).toBe(2);
    expect(results.vms).toEqual([{ id: 'v', host: 'a1', state: 'running' }]);
  });

  test('source crash loses the VM, even before the switchover', () => {
    const results = run(lonePath({ strategy: 'precopy' }, [{ at: 2, kind: 'host-crash', target: 'a1' }]));
    expect(results.migrations[0]!.reason).toMatch(/^lost: the source a1 crashed/);
    expect(results.summary.lost).toBe(1);
    expect(results.vms[0]).toEqual({ id: 'v', host: 'a1', state: 'lost' });
  });
});

/**
 * a ─x─ b over 10 Gbit/s links of 1 us, and a ─y─ b over 1 Gbit/s links of 1 ms: routes take x (least latency).
 * Stop-and-copy of an idle 1 GiB VM: one flow of W = 1 GiB × WIRE_PER_MEMORY_BYTE wire bytes.
 */
function twoPaths(faults: unknown[]): Record<string, any> {
  return {
    topology: twoPathsTopology(),
    vms: [{ id: 'v', host: 'a', memory: '1 GiB' }],
    defaults: { migration: ROUND_END_RULES },
    migrations: [{ vm: 'v', to: 'b', strategy: 'stop-and-copy' }],
    faults,
  };
}

describe('re-routing and capacity changes', () => {
  const W = GIB * WIRE_PER_MEMORY_BYTE;
  const B1 = 10 * GBIT;
  const B2 = GBIT;

  test('a cut with another path completes after the re-route, by hand', () => {
    // Before the cut at tc = 0.5 s the flow sends B1·tc; the rest, W − B1·tc, goes over y at B2 (its TCP window
    // bound, 4 MiB / 4 ms ≈ 1.05 GB/s, is above B2), and its last byte arrives 2 ms (y's latency) later:
    //   copy ends at tc + (W − B1·tc) / B2 + 2 ms   (without the cut: W / B1 + 2 us over x).
    // The migration ends after the copy by the l2 switchover delay (src/transport/addressing.ts).
    const tc = 0.5;
    const results = run(twoPaths([{ at: tc, kind: 'link-down', target: { from: 'x', to: 'b' } }]));
    const m = results.migrations[0]!;
    expect(m.status).toBe('completed');
    expectClose(m.phases[0]!.end, tc + (W - B1 * tc) / B2 + 2e-3, 'copy end', 1e-9);
    const clean = run(twoPaths([])).migrations[0]!;
    expectClose(clean.phases[0]!.end, W / B1 + 2e-6, 'copy end without the cut', 1e-9);
    expectClose(m.end - m.phases[0]!.end, clean.end - clean.phases[0]!.end, 'switchover after the copy', 1e-6);
    expect(m.end).toBeGreaterThan(clean.end);
    // bytes conserved: what x carried before the cut and y after add up to W
    const bytes = new Map(results.links.map((link) => [link.id, link.bytes]));
    expectClose((bytes.get('a->x') ?? NaN) + (bytes.get('a->y') ?? NaN), W, 'bytes over both paths', 1e-9);
  });

  test('degrade halves the only path: the rest goes at half the rate', () => {
    // 1 Gbit/s until td = 1 s, then 0.5 Gbit/s: end = td + (W − B·td) / (B/2).
    const td = 1;
    const results = run({ ...lonePath({ strategy: 'stop-and-copy' }), faults: [{ at: td, kind: 'degrade', target: CUT, capacity: '500 Mbit/s' }] });
    expectClose(results.migrations[0]!.phases[0]!.end, td + (W - GBIT * td) / (GBIT / 2), 'copy end', 1e-9);
  });

  test('a link-up before the stall timeout lets a stalled migration go on', () => {
    // cut at 1 s, up at 11 s (< 30 s): the 10 s stall adds exactly 10 s
    const clean = run({ ...lonePath({ strategy: 'stop-and-copy' }) }).migrations[0]!;
    const results = run(lonePath({ strategy: 'stop-and-copy' }, [
      { at: 1, kind: 'link-down', target: CUT },
      { at: 11, kind: 'link-up', target: CUT },
    ]));
    expect(results.migrations[0]!.status).toBe('completed');
    expectClose(results.migrations[0]!.end, clean.end + 10, 'end', 1e-9);
  });
});

describe('a link-up moves flows back (routing reconverges)', () => {
  const W = GIB * WIRE_PER_MEMORY_BYTE;
  const B1 = 10 * GBIT;
  const B2 = GBIT;

  test('a copy sent round a cut comes back to the shorter, faster path when the cable is up again, by hand', () => {
    // x ─ b fails at t1 = 0.2 s and is back at t2 = 0.5 s. The flow sends B1·t1 over x, then B2·(t2 − t1) over
    // y (its window bound, 4 MiB / 4 ms ≈ 1.05e9 B/s, is above B2), then at t2 routing gives it x again (the
    // same ECMP key, the same least-latency route) and the rest goes at B1; its last byte arrives 2 us (x's
    // latency) later:
    //   copy ends at t2 + (W − B1·t1 − B2·(t2 − t1)) / B1 + 2 us
    // (W = 1 GiB × 4104/4096 × 1538/1460 = 1.13332e9 B: 0.5 + (1.13332e9 − 2.5e8 − 3.75e7) / 1.25e9 + 2 us
    // = 1.17665 s; left on y, as before the fix, it would end at 0.2 + (1.13332e9 − 2.5e8) / 1.25e8 + 2 ms = 7.27 s).
    const t1 = 0.2;
    const t2 = 0.5;
    const cable = { from: 'x', to: 'b' };
    const results = run(twoPaths([{ at: t1, kind: 'link-down', target: cable }, { at: t2, kind: 'link-up', target: cable }]));
    const m = results.migrations[0]!;
    expect(m.status).toBe('completed');
    const endS = t2 + (W - B1 * t1 - B2 * (t2 - t1)) / B1 + 2e-6;
    expectClose(m.phases[0]!.end, endS, 'copy end', 1e-9);
    // y carried exactly what was sent between the cut and the link-up; x the rest.
    const bytes = new Map(results.links.map((link) => [link.id, link.bytes]));
    expectClose(bytes.get('a->y') ?? NaN, B2 * (t2 - t1), 'bytes over y', 1e-9);
    expectClose(bytes.get('y->b') ?? NaN, B2 * (t2 - t1), 'bytes over y', 1e-9);
    expectClose(bytes.get('a->x') ?? NaN, W - B2 * (t2 - t1), 'bytes over x', 1e-9);
    expectClose(bytes.get('x->b') ?? NaN, W - B2 * (t2 - t1), 'bytes over x', 1e-9);
  });

  test('an application flow comes back too', () => {
    // A sized flow of P = 1e9 B payload (wire P·1538/1460) a → b alone, over the same cut and link-up:
    //   ends at t2 + (P·1538/1460 − B1·t1 − B2·(t2 − t1)) / B1 + 2 us.
    const t1 = 0.2;
    const t2 = 0.5;
    const cable = { from: 'x', to: 'b' };
    const document = { ...twoPaths([{ at: t1, kind: 'link-down', target: cable }, { at: t2, kind: 'link-up', target: cable }]), migrations: [], vms: [] };
    const results = run({ ...document, traffic: [{ from: 'a', to: 'b', size: '1 GB' }] });
    const wire = (1e9 * 1538) / 1460;
    expectClose(results.traffic[0]!.end, t2 + (wire - B1 * t1 - B2 * (t2 - t1)) / B1 + 2e-6, 'flow end', 1e-9);
  });

  test('on a fat-tree, a flow cut off its core link returns to that link, the route of its own ECMP key', () => {
    // k = 4, 10 Gbit/s and 2 us everywhere: h0-0-0 → h1-0-0 crosses one aggregation–core cable, every
    // detour is as fast and as long. Cut that cable at t1, bring it back at t2: the core link carried the
    // flow before t1 and after t2, the detour B·(t2 − t1) in between, and the end does not move.
    const document = (faults: unknown[]): Record<string, any> => ({
      topology: { kind: 'fat-tree', k: 4, link: { capacity: '10 Gbit/s', latency: '2 us' } },
      vms: [{ id: 'v', host: 'h0-0-0', memory: '1 GiB' }],
      defaults: { migration: ROUND_END_RULES },
      migrations: [{ vm: 'v', to: 'h1-0-0', strategy: 'stop-and-copy' }],
      faults,
    });
    const clean = run(document([]));
    const up = clean.links.find((link) => /^a0-\d->c\d+$/.test(link.id) && link.bytes > 0)!;
    const [aggregation, core] = up.id.split('->') as [string, string];
    const t1 = 0.2;
    const t2 = 0.5;
    const B = 10 * GBIT;
    const cable = { from: aggregation, to: core };
    const results = run(document([{ at: t1, kind: 'link-down', target: cable }, { at: t2, kind: 'link-up', target: cable }]));
    expectClose(results.migrations[0]!.end, clean.migrations[0]!.end, 'end', 1e-9);
    const bytes = new Map(results.links.map((link) => [link.id, link.bytes]));
    expectClose(bytes.get(up.id) ?? NaN, W - B * (t2 - t1), 'the core link: all but the outage', 1e-9);
    const detour = results.links.filter((link) => /^a0-\d->c\d+$/.test(link.id) && link.bytes > 0 && link.id !== up.id);
    expect(detour).toHaveLength(1);
    expectClose(detour[0]!.bytes, B * (t2 - t1), 'the detour: the outage', 1e-9);
  });
});

describe('a stalled disk copy', () => {
  test.each(['snapshot', 'dirty-block', 'mirror'])('%s: a disk copy cut on its lone path aborts after the stall timeout', (storage) => {
    // The 4 GiB disk goes first (storageOrder before; the memory has not started). Its bulk pass takes
    // 4 GiB × 1538/1460 / 1.25e8 B/s = 36.2 s; the cable s ─ b fails at tc = 1 s with no other path. The
    // disk's flows (and the mirror's: 10 MiB/s of writes, half of them mirrored during the pass) stall; after
    // stallTimeout (30 s, libvirt's keepalive) the migration is aborted and the VM runs on:
    //   end = tc + 30 s = 31 s; wire bytes: the link was full until tc, B·tc = 1.25e8 B, mirror included.
    const tc = 1;
    const document = lonePath({ strategy: 'precopy', storage, storageOrder: 'before' }, [{ at: tc, kind: 'link-down', target: CUT }]);
    document.vms[0].disk = { size: '4 GiB', writeRate: '10 MiB/s' };
    const m = run(document).migrations[0]!;
    expect(m.status).toBe('failed');
    expect(m.reason).toMatch(/^aborted: the migration stream made no progress for 30 s \(no working path from a1 to b1: every link up and at least 1 kbit\/s\); the VM keeps running on a1/);
    expectClose(m.end, tc + 30, 'end', 1e-12);
    expectClose(m.bytes.wire, GBIT * tc, 'wire bytes until the cut', 1e-9);
    expect(m.bytes.memory).toBe(0);
    if (storage === 'mirror') {
      // the mirror ran at its cap, W/2 of payload, until the cut
      expectClose(m.storage!.mirrored, (10 * MIB) / 2 * tc, 'mirrored', 1e-9);
    }
  });

  test('with a shorter stall timeout the abort comes sooner, and a retry moves the disk once the link is back', () => {
    // cut at 1 s, stallTimeout 5 s: aborted at 6 s; link-up at 8 s; the second attempt starts at 6 + 10 = 16 s
    // and takes as long as a clean run.
    const disk = { size: '1 GiB' };
    const cleanDocument = lonePath({ strategy: 'stop-and-copy', storage: 'dirty-block' });
    cleanDocument.vms[0].disk = disk;
    const clean = run(cleanDocument).migrations[0]!;
    const document = lonePath({ strategy: 'stop-and-copy', storage: 'dirty-block', stallTimeout: '5 s', retry: { attempts: 1, backoff: '10 s' } }, [
      { at: 1, kind: 'link-down', target: CUT },
      { at: 8, kind: 'link-up', target: CUT },
    ]);
    document.vms[0].disk = disk;
    const m = run(document).migrations[0]!;
    expect(m.status).toBe('completed');
    expect(m.attempts).toBe(2);
    expectClose(m.end, 16 + clean.totalTime, 'end', 1e-9);
  });
});

describe('retry', () => {
  test('a failed migration starts again after its backoff and completes once the link is back', () => {
    // cut at 1 s; stall timeout 5 s: attempt 1 fails at 6 s; link-up at 8 s; attempt 2 starts at 6 + 10 = 16 s
    // and takes as long as a clean run.
    const clean = run(lonePath({ strategy: 'stop-and-copy' })).migrations[0]!;
    const results = run(lonePath({ strategy: 'stop-and-copy', stallTimeout: '5 s', retry: { attempts: 2, backoff: '10 s' } }, [
      { at: 1, kind: 'link-down', target: CUT },
      { at: 8, kind: 'link-up', target: CUT },
    ]));
    const m = results.migrations[0]!;
    expect(m.status).toBe('completed');
    expect(m.attempts).toBe(2);
    expect(m.start).toBe(0);
    expectClose(m.end, 16 + clean.totalTime, 'end', 1e-9);
    expect(results.vms).toEqual([{ id: 'v', host: 'b1', state: 'running' }]);
  });

  test('no retry without a policy, and never for a lost VM', () => {
    const results = run(lonePath({ strategy: 'postcopy', stallTimeout: '1 s', retry: { attempts: 3 } }, [{ at: 0.5, kind: 'link-down', target: CUT }]));
    expect(results.migrations[0]!.attempts).toBe(1);
    expect(results.migrations[0]!.lost).toBe(true);
  });
});

describe('determinism with faults', () => {
  test('same file and seed: byte-identical results JSON, on a fat-tree with core cuts, a degrade and a crash', () => {
    const document = {
      seed: 7,
      topology: { kind: 'fat-tree', k: 4, link: { capacity: '10 Gbit/s', latency: '2 us' } },
      vms: ['h0-0-0', 'h0-0-1', 'h0-1-0', 'h0-1-1'].map((host, i) => ({
        id: `vm${i}`, host, memory: `${i + 1} GiB`, workload: { dirtyRate: '50 MiB/s', hotSet: '128 MiB', hotFraction: 0.8 },
      })),
      migrations: [0, 1, 2, 3].map((i) => ({ vm: `vm${i}`, to: `h${1 + (i % 3)}-0-${i % 2}`, strategy: ['precopy', 'postcopy', 'hybrid', 'precopy'][i] })),
      traffic: [{ from: 'h2-1-0', to: 'h3-1-1', rate: '2 Gbit/s' }],
      faults: [
        { at: 0.2, kind: 'link-down', target: { from: 'a0-0', to: 'c0' } },
        { at: 0.3, kind: 'link-down', target: { from: 'a0-1', to: 'c2' } },
        { at: 0.5, kind: 'degrade', target: { from: 'e0-0', to: 'a0-0' }, capacity: '2 Gbit/s' },
        { at: 1.5, kind: 'link-up', target: { from: 'a0-0', to: 'c0' } },
        { at: 2, kind: 'host-crash', target: 'h3-0-1' },
      ],
    };
    const text = (): string => JSON.stringify(runScenario(parseScenarioDocument(structuredClone(document), 'd.yaml')));
    const first = text();
    expect(text()).toBe(first);
    expect(text()).toBe(first);
    const results = JSON.parse(first);
    expect(results.migrations.every((m: { status: string }) => m.status !== 'pending')).toBe(true);
    void MIB;
  });
});
