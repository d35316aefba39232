// Storage migration (src/migration/storage-*.ts, disk-model.ts, switchover.ts) on a lone path a — s — b of
// 1 Gbit/s links, each case solved by hand before its assertions.
// Units: B = 1.25e8 B/s per link; a disk's blocks go as they are, so S bytes of disk are S·F on the wire,
// F = (1460 + 78)/1460; memory carries QEMU's page headers, K = (4096 + 8)/4096, so M is M·K·F on the wire.
// With latency '0 s' a flow's last byte arrives as it leaves and the switchover (l2: one path latency) is 0.
import { describe, expect, it } from 'vitest';
import type { MigrationRecord } from '../../src/migration/migration-process.js';
import { createStorageStrategy } from '../../src/migration/storage-strategies.js';
import { StorageProcess } from '../../src/migration/storage-process.js';
import { Switchover } from '../../src/migration/switchover.js';
import { parseScenarioDocument } from '../../src/config/index.js';
import { Simulator } from '../../src/engine/simulator.js';
import { FlowNetwork } from '../../src/transport/flow-network.js';
import { expectClose, GBIT, GIB, loneLinkDocument, MIB, PAGE_STREAM_FACTOR as K, run, WIRE_FACTOR as F } from '../end-to-end/helpers.js';
import type { MigrationResult, Results } from '../../src/engine/results.js';

const B = GBIT;

function loneLink(vm: Record<string, unknown>, migration: Record<string, unknown>, latency = '0 s'): Record<string, unknown> {
  return loneLinkDocument({ memory: '1 MiB', ...vm }, { strategy: 'precopy', ...migration }, latency);
}

const only = (results: Results): MigrationResult => results.migrations[0]!;
const storagePhases = (m: MigrationResult) => m.phases.filter((p) => p.phase.startsWith('storage-') || p.phase === 'mirror');
const linkBytes = (results: Results, id: string): number => results.links.find((l) => l.id === id)!.bytes;

describe('a quiet disk', () => {
  it.each(['snapshot', 'dirty-block', 'mirror'])('%s moves exactly S, before the memory', (storage) => {
    // S = 1 GiB, M = 64 MiB, nothing written; L = 2 × 10 us. The disk first: S·F/B, its last byte L later;
    // nothing is dirty, so it holds while the memory goes (M·K·F/B + L); then one pause for both empty final
    // copies (L) and the ARP (L): totalTime = (S + M·K)·F/B + 4L, downtime = 2L.
    const S = GIB;
    const M = 64 * MIB;
    const L = 20e-6;
    const results = run(loneLink({ memory: '64 MiB', disk: { size: '1 GiB' } }, { storage }, '10 us'));
    const m = only(results);
    expect(m.status).toBe('completed');
    expect(m.bytes.storage).toBe(S);
    expectClose(m.bytes.wire, (S + M * K) * F, 'bytes.wire');
    expectClose(m.totalTime, ((S + M * K) * F) / B + 4 * L, 'totalTime');
    expectClose(m.downtime, 2 * L, 'downtime', 1e-9); // a difference of ~9 s times
    expect(results.summary.bytes.storage).toBe(S);
    expect(m.storage).toMatchObject({ mode: storage, order: 'before', passes: 1, mirrored: 0, divergedSnapshots: false });
    // The mirror driver is on from the bulk pass to the pause, even when it has no writes to carry.
    const mirror = storage === 'mirror' ? [['mirror', 0]] : [];
    expect(storagePhases(m).map((p) => [p.phase, p.bytes.storage])).toEqual([['storage-bulk', S], ...mirror, ['storage-final', 0]]);
  });

  it('storage before memory: total time = storage time + memory time; concurrently, the two share the link', () => {
    // Before (as above): (S + M·K)·F/B + 4L. Concurrent: both streams at B/2 until the memory's last byte
    // leaves at 2·M·K·F/B; the memory holds (converged, nothing dirty) while the disk goes on alone at B,
    // its last byte leaving at (S + M·K)·F/B and arriving L later; then the final copies (L) and the ARP (L):
    // (S + M·K)·F/B + 3L. The memory's own last-byte latency overlapped the disk's copy.
    const S = GIB;
    const M = 64 * MIB;
    const L = 20e-6;
    const copy = ((S + M * K) * F) / B;
    const vm = { memory: '64 MiB', disk: { size: '1 GiB' } };
    const before = only(run(loneLink(vm, { storage: 'dirty-block', storageOrder: 'before' }, '10 us')));
    const concurrent = only(run(loneLink(vm, { storage: 'dirty-block', storageOrder: 'concurrent' }, '10 us')));
    expectClose(before.totalTime, copy + 4 * L, 'before totalTime');
    expectClose(concurrent.totalTime, copy + 3 * L, 'concurrent totalTime');
    const memoryRound = (m: MigrationResult) => m.phases.find((p) => p.phase === 'precopy')!;
    expectClose(memoryRound(before).start, (S * F) / B + L, 'before: the memory starts when the disk is in');
    expect(memoryRound(concurrent).start).toBe(0);
    expectClose(memoryRound(concurrent).end, (2 * M * K * F) / B + L, 'concurrent: the memory round at B/2');
    for (const m of [before, concurrent]) expectClose(m.downtime, 2 * L, 'downtime', 1e-9); // a difference of ~9 s times
  });
});

describe('snapshot: iterative deltas', () => {
  it('shrink geometrically like precopy rounds for a uniform writer, the last delta during the pause', () => {
    // A sequential writer over the whole 4 GiB disk writes W·t unique bytes while W·t < S. With latency 0 a
    // copy of V bytes takes V·F/B, during which the next delta gathers V·ρ, ρ = W·F/B = 1/4:
    //   bulk 4 GiB, deltas 1 GiB, 256 MiB, 64 MiB; the pending 16 MiB fits the budget (B/F)·0.3 s =
    //   35.6 MB: converged. The disk holds while the 1 MiB memory goes (M·K·F/B); the last delta gathers
    //   S·ρ^4 + W·M·K·F/B and goes while the guest is paused: downtime = that × F/B (the memory's final
    //   copy is empty, and the ARP takes 0 s).
    const S = 4 * GIB;
    const rho = 0.25;
    const W = (rho * B) / F;
    const m = only(run(loneLink({ disk: { size: '4 GiB', writeRate: W, pattern: 'sequential' } }, { storage: 'snapshot' })));
    const steps = storagePhases(m);
    expect(steps.map((p) => p.phase)).toEqual(['storage-bulk', 'storage-iteration', 'storage-iteration', 'storage-iteration', 'storage-final']);
    for (let i = 0; i < 4; i++) expectClose(steps[i]!.bytes.storage, S * rho ** i, `delta ${i}`, 1e-12);
    const last = S * rho ** 4 + (W * MIB * K * F) / B;
    expectClose(steps[4]!.bytes.storage, last, 'the last delta');
    expect(steps[4]!.guest).toBe('paused');
    expectClose(m.downtime, (last * F) / B, 'downtime');
    expect(m.storage).toMatchObject({ mode: 'snapshot', stop: 'converged', passes: 5, snapshots: 4, divergedSnapshots: false });
    expectClose(m.bytes.storage, S * (1 + rho + rho ** 2 + rho ** 3) + last, 'bytes.storage');
  });
});

describe('dirty-block', () => {
  it('detects that writes faster than the copy never converge, and says so', () => {
    // W = 2·B/F sweeps the whole disk (S = 1 GiB) during the bulk pass (W·S·F/B = 2·S ≥ S): the pass dirtied
    // as much as it sent, the stop rule of precopy ('no-progress'). The disk holds, but what a pass would
    // send is already over the budget: it keeps copying (the whole disk, at B but for the memory's share)
    // while the 1 MiB memory goes at B/2; the memory then waits for the disk, which ends its pass at
    //   t = S·F/B (bulk) + (S + M·K)·F/B (the second pass and the memory together on the link)
    // and the pause sends the whole disk once more: downtime = S·F/B, totalTime = t + S·F/B.
    const S = GIB;
    const W = (2 * B) / F;
    const m = only(run(loneLink({ disk: { size: '1 GiB', writeRate: W, pattern: 'sequential' } }, { storage: 'dirty-block' })));
    expect(m.status).toBe('completed');
    expect(m.storage?.stop).toBe('no-progress');
    expect(storagePhases(m).map((p) => [p.phase, p.bytes.storage])).toEqual([
      ['storage-bulk', S],
      ['storage-iteration', S],
      ['storage-final', S],
    ]);
    expectClose(m.downtime, (S * F) / B, 'downtime');
    expectClose(m.totalTime, ((3 * S + MIB * K) * F) / B, 'totalTime');
  });

  it('with Bradford write throttling converges as a slower writer does, the guest degraded meanwhile', () => {
    // The same 2·B/F writer held to diskWriteLimit = B/(4F) writes as the snapshot case's writer: the same
    // deltas (1/4 each time); its writes are throttled from the start until the pause.
    const W = (2 * B) / F;
    const limit = B / (4 * F);
    const m = only(run(loneLink({ disk: { size: '4 GiB', writeRate: W, pattern: 'sequential' } }, { storage: 'dirty-block', diskWriteLimit: limit })));
    expect(m.storage?.stop).toBe('converged');
    const steps = storagePhases(m);
    for (let i = 0; i < 4; i++) expectClose(steps[i]!.bytes.storage, 4 * GIB * 0.25 ** i, `delta ${i}`, 1e-12);
    const pauseS = steps[4]!.start;
    expectClose(m.storage?.throttledTime, pauseS, 'throttledTime');
    expectClose(m.degradedTime, pauseS, 'degradedTime');
  });

  it('copies hot blocks last: iterations send only cold blocks', () => {
    // 90 % of the writes into a 256 MiB hot set of a 4 GiB disk: dirty hot blocks wait for the final copy
    // (Mashtizadeh et al. §4), so the iterations carry only cold blocks and the final copy carries the hot
    // ones dirtied since the bulk pass.
    const disk = { size: '4 GiB', writeRate: '20 MiB/s', hotSet: '256 MiB', hotFraction: 0.9 };
    const dirty = only(run(loneLink({ disk }, { storage: 'dirty-block' })));
    const snapshot = only(run(loneLink({ disk }, { storage: 'snapshot' })));
    const iterations = (m: MigrationResult) => storagePhases(m).filter((p) => p.phase === 'storage-iteration');
    expect(iterations(dirty)[0]!.bytes.storage).toBeLessThan(iterations(snapshot)[0]!.bytes.storage);
    const final = (m: MigrationResult) => storagePhases(m).find((p) => p.phase === 'storage-final')!.bytes.storage;
    expect(final(dirty)).toBeGreaterThan(final(snapshot));
  });
});

describe('mirror', () => {
  it('moves the disk once plus the writes mirrored during the copy, and converges', () => {
    // W = B/(4F). During the bulk pass half the writes, on average, hit copied regions: the mirror flow is
    // capped at (W/2)·F = B/8 on the wire and the bulk gets 7B/8: its last byte leaves at Tb = 8·S·F/(7B)
    // and arrives L later, when the mirror goes to all writes (W·F = B/4). The memory then runs at 3B/4 for
    // Tm = M·K·F/(3B/4) (+ L), converges, and the guest pauses at t2 = Tb + L + Tm + L: the mirror stops.
    //   mirrored = (W/2)·(Tb + L) + W·(Tm + L); bytes.storage = S + mirrored; nothing is left to copy.
    // Each mirrored write of 4 KiB waited one RTT (4 × 10 us); the guest is degraded from 0 to t2.
    const S = GIB;
    const M = 64 * MIB;
    const L = 20e-6;
    const W = B / (4 * F);
    const Tb = (8 * S * F) / (7 * B);
    const Tm = (M * K * F) / ((3 * B) / 4);
    const t2 = Tb + L + Tm + L;
    const mirrored = (W / 2) * (Tb + L) + W * (Tm + L);
    const results = run(loneLink({ memory: '64 MiB', disk: { size: '1 GiB', writeRate: W } }, { storage: 'mirror' }, '10 us'));
    const m = only(results);
    expectClose(m.storage?.mirrored, mirrored, 'mirrored', 1e-9);
    expectClose(m.bytes.storage, S + mirrored, 'bytes.storage', 1e-9);
    expect(m.storage?.stop).toBeUndefined();
    expectClose(m.storage?.mirrorWriteLatency, 40e-6, 'mirrorWriteLatency');
    expectClose(m.storage?.mirroredWrites, mirrored / 4096, 'mirroredWrites', 1e-9);
    expectClose(m.degradedTime, t2, 'degradedTime', 1e-9);
    const mirror = m.phases.find((p) => p.phase === 'mirror')!;
    expectClose(mirror.end, t2, 'the mirror stops at the pause', 1e-9);
    expect(storagePhases(m).find((p) => p.phase === 'storage-final')!.bytes.storage).toBe(0);
    // Network bytes: the disk once, the mirrored writes, the memory.
    expectClose(linkBytes(results, 'a->s'), (S + mirrored + M * K) * F, 'a->s bytes', 1e-9);
    expectClose(m.downtime, 2 * L, 'downtime', 1e-9); // a difference of ~9 s times
  });

  it('converges even when the guest writes faster than the link', () => {
    // W = 4·B/F: the mirror (cap 2B) and the bulk copy share the link at B/2 each; the guest's writes wait
    // for the mirror, and the disk still arrives in one pass with nothing left for the pause.
    const m = only(run(loneLink({ disk: { size: '1 GiB', writeRate: (4 * B) / F } }, { storage: 'mirror' })));
    expect(m.status).toBe('completed');
    const bulk = storagePhases(m).find((p) => p.phase === 'storage-bulk')!;
    expectClose(bulk.end, (2 * GIB * F) / B, 'the bulk pass at B/2');
    expect(m.storage?.passes).toBe(1);
    expectClose(m.downtime, 0, 'downtime');
  });
});

describe('a cancelled snapshot copy', () => {
  it('leaves its snapshots behind on the source (not atomic), a dirty-block one does not', () => {
    // The disk's copy alone on a lone 1 Gbit/s link, stopped 2 s into its 8.6 s bulk pass.
    const scenario = parseScenarioDocument(loneLink({ disk: { size: '1 GiB', writeRate: '10 MiB/s' } }, { storage: 'snapshot' }), 't.yaml');
    const vm = scenario.vms[0]!;
    for (const mode of ['snapshot', 'dirty-block'] as const) {
      const sim = new Simulator();
      const links = { count: 1, capacityBytesPerS: Float64Array.of(B), latencyS: Float64Array.of(0) };
      const network = new FlowNetwork(sim, links, 4 * MIB);
      const migration = { ...scenario.migrations[0]!, storage: mode };
      const switchover = new Switchover(sim, { storage: true, order: 'before', delayS: 0 });
      const strategy = createStorageStrategy(mode, { vm, migration, pathRttS: 0, switchoverReady: () => switchover.mayPause('storage') }, vm.disk!);
      const record = { phases: [], wireBytes: 0, coreWireBytes: 0, degradedTimeS: 0 } as unknown as MigrationRecord;
      const plan = { mode, disk: vm.disk!, migration, path: Int32Array.of(0), wireFactor: F, pathRttS: 0, coreLinks: 0 };
      const process = new StorageProcess(sim, network, plan, strategy, record, switchover);
      switchover.start(() => {});
      sim.at(2, () => process.abort());
      sim.run();
      expect(record.storage?.snapshots, mode).toBe(mode === 'snapshot' ? 1 : 0);
      expect(record.storage?.divergedSnapshots, mode).toBe(mode === 'snapshot');
      expect(record.storageBytes, mode).toBe(0);
      expect(network.activeFlowCount, mode).toBe(0);
    }
  });
});

describe('with other parts of the run', () => {
  it('largest-first by bytes counts the disk', () => {
    // Two 1 GiB VMs, one with a 4 GiB disk to move: it is the larger migration and goes first.
    const document = loneLink({ memory: '1 GiB' }, {});
    Object.assign(document, {
      vms: [{ id: 'plain', host: 'a', memory: '1 GiB' }, { id: 'disk', host: 'a', memory: '1 GiB', disk: { size: '4 GiB' } }],
      migrations: [{ vm: 'plain', to: 'b' }, { vm: 'disk', to: 'b', storage: 'mirror' }],
      schedule: { policy: 'largest-first', orderBy: 'bytes', maxConcurrent: 1 },
    });
    const results = run(document);
    const start = (vm: string) => results.migrations.find((m) => m.vm === vm)!.start;
    expect(start('disk')).toBe(0);
    expect(start('plain')).toBeGreaterThan(0);
  });

  it('an aborted switchover neither waits nor wakes any more', () => {
    // The memory holds for the disk; the migration is then given up: the hold's timer never fires.
    const sim = new Simulator();
    const switchover = new Switchover(sim, { storage: true, order: 'concurrent', delayS: 0 });
    let woken = 0;
    switchover.hold('memory', 5, () => woken++);
    sim.at(1, () => switchover.abort());
    sim.run();
    expect(woken).toBe(0);
    expect(sim.nowS).toBe(1);
  });
});
