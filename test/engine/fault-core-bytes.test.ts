// Core bytes follow re-routed flows (src/engine/run-scenario.ts, migration-faults.ts, application-traffic.ts):
// a migration's and an application flow's wire bytes count on the core links of the path each byte was sent
// on, path segment by path segment, not on the path the flow started on; and what the core links carried is
// what the migrations and the traffic say they put there (src/engine/invariants.ts).
import { describe, expect, test } from 'vitest';
import { expectClose, GBIT, GIB, ROUND_END_RULES, run, WIRE_PER_MEMORY_BYTE } from '../end-to-end/helpers.js';
import { oneRoadTopology, twoPathsTopology } from '../support/two-paths.js';

/** The two-path graph (a ─x─ b at 10 Gbit/s and 1 us, a ─y─ b at 1 Gbit/s and 1 ms; routes take x) with the two
 * links of switch `core` marked core links. */
function twoPathsWithCore(core: 'x' | 'y'): Record<string, unknown> {
  const topology = twoPathsTopology();
  const links = (topology.links as Record<string, unknown>[]).map((link) => (link.from === core || link.to === core ? { ...link, core: true } : link));
  return { ...topology, links };
}

/** Stop-and-copy of an idle 1 GiB VM from a to b: one flow of W = 1 GiB × WIRE_PER_MEMORY_BYTE wire bytes. */
function twoPaths(core: 'x' | 'y', faults: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    topology: twoPathsWithCore(core),
    vms: [{ id: 'v', host: 'a', memory: '1 GiB' }],
    migrations: [{ vm: 'v', to: 'b', strategy: 'stop-and-copy', ...ROUND_END_RULES }],
    faults,
    ...extra,
  };
}

/** 1 GiB × 4104/4096 × 1538/1460 = 1.1333153e9 B */
const W = GIB * WIRE_PER_MEMORY_BYTE;
const B1 = 10 * GBIT;
const B2 = GBIT;
const CABLE = { from: 'x', to: 'b' };
/** a cut of x ─ b at TC: the stream sent B1·TC = 6.25e8 B over x before it, W − B1·TC = 5.0831530e8 B over y after */
const TC = 0.5;
const CUT = [{ at: TC, kind: 'link-down', target: CABLE }];
/** x ─ b down at T1 and up at T2: y carries B2·(T2 − T1) = 3.75e7 B in between (faults.test.ts works the times out) */
const T1 = 0.2;
const T2 = 0.5;
const DOWN_UP = [{ at: T1, kind: 'link-down', target: CABLE }, { at: T2, kind: 'link-up', target: CABLE }];

describe('a migration re-routed by a link-down', () => {
  test('from a path without core links onto a detour with two: the bytes sent after the cut, twice', () => {
    // coreBytes = 2·(W − B1·TC) = 2 × 5.0831530e8 = 1.0166306e9 B (on the path it started on: 0).
    const results = run(twoPaths('y', CUT));
    const m = results.migrations[0]!;
    expect(m.status).toBe('completed');
    const expected = 2 * (W - B1 * TC);
    expectClose(m.coreBytes, expected, 'coreBytes', 1e-9);
    expectClose(results.summary.coreBytesByClass.migration, expected, 'coreBytesByClass.migration', 1e-9);
    expectClose(results.summary.coreBytes, expected, 'summary.coreBytes (the links)', 1e-9);
  });

  test('from a path with two core links onto a detour without: the bytes sent before the cut, twice', () => {
    // coreBytes = 2·B1·TC = 1.25e9 B (on the path it started on: 2·W = 2.2666306e9 B).
    const results = run(twoPaths('x', CUT));
    const m = results.migrations[0]!;
    expect(m.status).toBe('completed');
    expectClose(m.coreBytes, 2 * B1 * TC, 'coreBytes', 1e-9);
    expectClose(results.summary.coreBytes, 2 * B1 * TC, 'summary.coreBytes (the links)', 1e-9);
  });

  test('a disk copy and the memory after it, both moved onto the core detour', () => {
    // The VM's 1 GiB disk (no writes) goes first, D = 1 GiB × 1538/1460 = 1.1311246e9 wire bytes, then the memory;
    // the cut at TC moves the disk's copy, and the memory's flow, which starts on the cut path, is moved as it
    // starts (fault-exposure.test.ts): coreBytes = 2·(D − B1·TC + W) = 2 × 1.6394399e9 = 3.2788798e9 B.
    const D = (GIB * 1538) / 1460;
    const document = twoPaths('y', CUT);
    const vm = (document.vms as Record<string, unknown>[])[0]!;
    vm.disk = { size: '1 GiB' };
    (document.migrations as Record<string, unknown>[])[0]!.storage = 'dirty-block';
    const results = run(document);
    const m = results.migrations[0]!;
    expect(m.status).toBe('completed');
    expectClose(m.coreBytes, 2 * (D - B1 * TC + W), 'coreBytes', 1e-9);
    expectClose(results.summary.coreBytes, 2 * (D - B1 * TC + W), 'summary.coreBytes (the links)', 1e-9);
  });

  test('an aborted stream counts what it sent before the cut', () => {
    // a — s — b at 1 Gbit/s, no latency, s → b a core link; a ─ s fails at tc = 1 s and nothing else leads to
    // b: the stream sent B2·tc = 1.25e8 wire bytes, and is aborted at tc + 30 s. coreBytes = 1.25e8 B (one core
    // link; the step never ended, so counting at its end gave 0).
    const results = run({
      topology: oneRoadTopology({ core: true }),
      vms: [{ id: 'v', host: 'a', memory: '1 GiB' }],
      migrations: [{ vm: 'v', to: 'b', strategy: 'stop-and-copy' }],
      faults: [{ at: 1, kind: 'link-down', target: { from: 'a', to: 's' } }],
    });
    const m = results.migrations[0]!;
    expect(m.status).toBe('failed');
    expectClose(m.coreBytes, B2 * 1, 'coreBytes', 1e-9);
    expectClose(results.summary.coreBytes, B2 * 1, 'summary.coreBytes (the links)', 1e-9);
  });
});

describe('a link-up brings flows back, and their core bytes with them', () => {
  test('a migration on the core detour only between the cut and the link-up', () => {
    // coreBytes = 2·B2·(T2 − T1) = 2 × 3.75e7 = 7.5e7 B; with the core links on x instead, the rest:
    // 2·(W − B2·(T2 − T1)) = 2 × 1.0958153e9 = 2.1916306e9 B.
    const onDetour = run(twoPaths('y', DOWN_UP)).migrations[0]!;
    expect(onDetour.status).toBe('completed');
    expectClose(onDetour.coreBytes, 2 * B2 * (T2 - T1), 'coreBytes, core on the detour', 1e-9);
    const onMain = run(twoPaths('x', DOWN_UP));
    expectClose(onMain.migrations[0]!.coreBytes, 2 * (W - B2 * (T2 - T1)), 'coreBytes, core on the main path', 1e-9);
    expectClose(onMain.summary.coreBytes, 2 * (W - B2 * (T2 - T1)), 'summary.coreBytes (the links)', 1e-9);
  });

  test('an application flow too', () => {
    // A sized flow of P = 1e9 B payload a → b alone, wire P·1538/1460 = 1.0534247e9 B, over the same cut and
    // link-up: traffic coreBytes = 2·B2·(T2 − T1) = 7.5e7 B with the core on y; 2·(P·1538/1460 − B2·(T2 − T1))
    // = 2.0318493e9 B with the core on x.
    const traffic = { migrations: [], vms: [], traffic: [{ from: 'a', to: 'b', size: '1 GB' }] };
    const onDetour = run(twoPaths('y', DOWN_UP, traffic)).summary;
    expectClose(onDetour.traffic.coreBytes, 2 * B2 * (T2 - T1), 'traffic.coreBytes, core on the detour', 1e-9);
    expectClose(onDetour.coreBytesByClass.traffic, 2 * B2 * (T2 - T1), 'coreBytesByClass.traffic', 1e-9);
    expectClose(onDetour.coreBytes, 2 * B2 * (T2 - T1), 'summary.coreBytes (the links)', 1e-9);
    const wire = (1e9 * 1538) / 1460;
    const onMain = run(twoPaths('x', DOWN_UP, traffic)).summary;
    expectClose(onMain.traffic.coreBytes, 2 * (wire - B2 * (T2 - T1)), 'traffic.coreBytes, core on the main path', 1e-9);
  });
});

describe('conservation on a fat-tree: the core links carry what the migrations and the traffic say they put there', () => {
  // k = 4 at 10 Gbit/s and 2 us: five migrations out of pod 0 (precopy, postcopy, hybrid with a mirrored disk,
  // and two VMs of one image with IRLM, whose shared pages are copied inside the destination rack) and two
  // application flows across pods. The busiest aggregation–core cable of the clean run fails at 0.2 s and is
  // back at 0.6 s: its flows go round by another core switch and come back. (Every detour of a fat-tree
  // crosses as many core links as the path it leaves, so counting on the starting path also balanced here;
  // what did not balance was an aborted attempt's bytes, the second case.)
  const document = (faults: unknown[]): Record<string, unknown> => ({
    seed: 3,
    topology: { kind: 'fat-tree', k: 4, link: { capacity: '10 Gbit/s', latency: '2 us' } },
    defaults: { migration: { optimizations: { irlm: true } } },
    vms: [
      { id: 'p', host: 'h0-0-0', memory: '2 GiB', workload: { dirtyRate: '100 MiB/s', hotSet: '256 MiB', hotFraction: 0.8 } },
      { id: 'q', host: 'h0-0-1', memory: '1 GiB', workload: { dirtyRate: '50 MiB/s', hotSet: '128 MiB', hotFraction: 0.8 } },
      { id: 'r', host: 'h0-1-0', memory: '1 GiB', disk: { size: '1 GiB', writeRate: '20 MiB/s' } },
      { id: 's', host: 'h0-1-1', memory: '1 GiB', content: { image: 'web', sharedFraction: 0.5 } },
      { id: 't', host: 'h0-1-1', memory: '1 GiB', content: { image: 'web', sharedFraction: 0.5 } },
    ],
    migrations: [
      { vm: 'p', to: 'h1-0-0', strategy: 'precopy' },
      { vm: 'q', to: 'h2-0-0', strategy: 'postcopy' },
      { vm: 'r', to: 'h3-1-0', strategy: 'hybrid', storage: 'mirror' },
      { vm: 's', to: 'h1-1-0', strategy: 'precopy' },
      { vm: 't', to: 'h1-1-1', strategy: 'precopy' },
    ],
    traffic: [
      { from: 'h2-1-0', to: 'h3-1-1', rate: '2 Gbit/s' },
      { from: 'p', to: 'h3-0-0', size: '500 MB' },
    ],
    faults,
  });
  const coreTotal = (results: ReturnType<typeof run>): number =>
    results.migrations.reduce((sum, m) => sum + m.coreBytes, 0) + results.summary.traffic.coreBytes;

  test('a core cable down at 0.2 s and up at 0.6 s', () => {
    const clean = run(document([]));
    const busiest = clean.links.filter((link) => /^a0-\d->c\d+$/.test(link.id)).sort((a, b) => b.bytes - a.bytes)[0]!;
    const [aggregation, core] = busiest.id.split('->') as [string, string];
    const cable = { from: aggregation, to: core };
    const results = run(document([{ at: 0.2, kind: 'link-down', target: cable }, { at: 0.6, kind: 'link-up', target: cable }]));
    expect(results.migrations.map((m) => m.status)).toEqual(['completed', 'completed', 'completed', 'completed', 'completed']);
    // The cut moved bytes: the cable carried less than in the clean run.
    const cut = results.links.find((link) => link.id === busiest.id)!;
    expect(cut.bytes).toBeLessThan(busiest.bytes);
    expect(results.summary.traffic.coreBytes).toBeGreaterThan(0);
    expect(results.summary.sharedPages.fetched).toBeGreaterThan(0);
    expectClose(coreTotal(results), results.summary.coreBytes, 'Σ migrations + traffic = summary.coreBytes', 1e-9);
    expectClose(coreTotal(clean), clean.summary.coreBytes, 'the same without faults', 1e-9);
  });

  test('and a destination that crashes mid-migration: its aborted attempt counts what it sent', () => {
    const results = run(document([
      { at: 0.2, kind: 'link-down', target: { from: 'a0-0', to: 'c0' } },
      { at: 0.6, kind: 'link-up', target: { from: 'a0-0', to: 'c0' } },
      { at: 0.3, kind: 'host-crash', target: 'h1-0-0' },
    ]));
    const p = results.migrations[0]!;
    expect(p.status).toBe('failed');
    expect(p.coreBytes).toBeGreaterThan(0);
    expectClose(coreTotal(results), results.summary.coreBytes, 'Σ migrations + traffic = summary.coreBytes', 1e-9);
  });
});
