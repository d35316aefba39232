// Host power and energy, end to end: closed forms on a lone link, written out before each assertion.
//
// The lone link: hosts a and b joined through switch s by 1 Gbit/s links (B = 1.25e8 B/s of wire, 10 us
// each); host c hangs off s and never takes part. Every host: 4 cores, linear power 100 W idle, 200 W at
// full load. One 1 GiB VM, idle (cpuLoad 0), moved a → b by stop-and-copy with one core each end and copy
// throughputs set to round numbers: sending 1e9 B/s per core, receiving 5e8 B/s per core; no cipher.
//   stream bytes S = M·4104/4096 = 1073741824·4104/4096 = 1075838976 B (an 8-byte header per page)
//   payload rate r = B / f, f = 1538/1460; the CPU caps (1e9 and 5e8 B/s) are above r = 1.1866e8 B/s
//   sender demand r/1e9 cores, receiver r/5e8 cores, for S·f/B seconds (then the last byte's 20 us flight)
//   attributed power on a host = (200 − 100)·demand / 4 cores (the linear model: each core-second costs
//   100/4 = 25 J)
//   ⇒ migration energy E = 25 J/core-s × S × (1/1e9 + 1/5e8) s/B = 25 × 1075838976 × 3e-9 = 80.6879232 J,
//     whatever the rate; of it, 25 × S / 1e9 = 26.8959744 J on a and 25 × S / 5e8 = 53.7919488 J on b.
// Over a horizon T = 100 s: c uses P_idle·T = 10000 J; a uses 100·T + 26.8959744 J; b 100·T + 53.7919488 J.
import { describe, expect, it } from 'vitest';
import type { Results } from '../../src/engine/results.js';
import type { UtilizationSeries } from '../../src/transport/utilization-bins.js';
import { expectClose, graph, migrationOf, run, WIRE_FACTOR } from './helpers.js';

const S = (2 ** 30 * 4104) / 4096;
const B = 1.25e8;
const T = 100;
const JOULES_PER_CORE_SECOND = (200 - 100) / 4;

function loneLink(overrides: Record<string, unknown> = {}, migration: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    topology: graph(['a', 'b', 'c'], ['s'], [['a', 's'], ['s', 'b'], ['c', 's']]),
    hosts: { cores: 4, power: { idle: '100 W', max: '200 W' } },
    defaults: { migration: { strategy: 'stop-and-copy', copyThroughput: { send: '1 GB/s', receive: '500 MB/s' } } },
    vms: [{ id: 'vm1', host: 'a', memory: '1 GiB' }],
    migrations: [{ vm: 'vm1', to: 'b', ...migration }],
    horizon: `${T} s`,
    ...overrides,
  };
}

function host(results: Results, id: string): Results['hosts'][number] {
  const found = results.hosts.find((h) => h.id === id);
  if (found === undefined) throw new Error(`no host ${id}`);
  return found;
}

/** ∫ power dt of a host's binned series (mean watts per bin), written out: Σ mean × the bin's length, the
 * last bin cut at the horizon. */
function integrate(power: UtilizationSeries, endS: number): number {
  let joules = 0;
  power.mean.forEach((watts, bin) => (joules += watts * (Math.min(endS, (bin + 1) * power.interval) - bin * power.interval)));
  return joules;
}

/** The mean watts of the bin that holds time `timeS`. */
function wattsAt(h: Results['hosts'][number], timeS: number): number {
  return h.power.mean[Math.min(h.power.mean.length - 1, Math.floor(timeS / h.power.interval))]!;
}

describe('host energy', () => {
  it('an idle host over a horizon uses P_idle·T', () => {
    // c: no VM, no migration: 100 W × 100 s = 10000 J, a flat series from 0 to the horizon.
    const results = run(loneLink());
    expectClose(host(results, 'c').energy, 100 * T, 'c energy');
    // A power that never changed is one bin over the whole horizon.
    expect(host(results, 'c').power).toEqual({ interval: T, mean: [100], peak: [100] });
    expect(host(results, 'c').migrationEnergy).toBe(0);
    expect(results.summary.energy.horizon).toBe(T);
  });

  it('a migration\'s energy is its attributed power integrated: 25 J per core-second on a lone link', () => {
    const results = run(loneLink());
    const migration = migrationOf(results, 'vm1');
    expect(migration.status).toBe('completed');
    // The stream ran at the link's rate the whole time: S·f/B, then the last byte's 20 us of flight and the
    // gratuitous ARP's 20 us (addressing l2).
    expectClose(migration.totalTime, (S * WIRE_FACTOR) / B + 40e-6, 'totalTime');
    expectClose(migration.energy, JOULES_PER_CORE_SECOND * S * (1 / 1e9 + 1 / 5e8), 'migration energy', 1e-9);
    expectClose(host(results, 'a').migrationEnergy, (JOULES_PER_CORE_SECOND * S) / 1e9, 'a migration energy', 1e-9);
    expectClose(host(results, 'b').migrationEnergy, (JOULES_PER_CORE_SECOND * S) / 5e8, 'b migration energy', 1e-9);
    expectClose(host(results, 'a').energy, 100 * T + (JOULES_PER_CORE_SECOND * S) / 1e9, 'a energy', 1e-9);
    expectClose(host(results, 'b').energy, 100 * T + (JOULES_PER_CORE_SECOND * S) / 5e8, 'b energy', 1e-9);
    expectClose(results.summary.energy.migration, migration.energy, 'summary migration energy');
    expectClose(results.summary.energy.total, 3 * 100 * T + migration.energy, 'summary total', 1e-9);
    // While the stream runs, a draws 100 + 25·r/1e9 W and b 100 + 25·r/5e8 W; both are back to idle after.
    const r = B / WIRE_FACTOR;
    // Over T = 100 s the bins are 1 s wide (128 × 1 s is the first power-of-two cover): the first holds the
    // stream throughout, the last none of it.
    expect(host(results, 'a').power.interval).toBe(1);
    expectClose(wattsAt(host(results, 'a'), 0), 100 + (25 * r) / 1e9, 'a power while streaming');
    expectClose(host(results, 'a').power.peak[0]!, 100 + (25 * r) / 1e9, 'a peak while streaming');
    expect(wattsAt(host(results, 'a'), T - 1)).toBe(100);
    expectClose(wattsAt(host(results, 'b'), 0), 100 + (25 * r) / 5e8, 'b power while streaming');
  });

  it('energy = ∫ power: every host\'s series integrates to its energy (1e-9 relative)', () => {
    // A busier run: two VMs with CPU load, precopy with dirtying, sharing the link, and a loaded table model.
    const document = loneLink({
      hosts: { cores: 4, power: 'hp-ml110-g5' },
      vms: [
        { id: 'vm1', host: 'a', memory: '1 GiB', vcpus: 2, cpuLoad: 0.5, workload: { dirtyRate: '20 MiB/s', hotSet: '64 MiB', hotFraction: 0.9 } },
        { id: 'vm2', host: 'c', memory: '512 MiB', vcpus: 1, cpuLoad: 1 },
      ],
      migrations: [{ vm: 'vm1', to: 'b', strategy: 'precopy' }, { vm: 'vm2', to: 'b', at: '1 s', encryption: 'aes-128-gcm' }],
    });
    const results = run(document);
    expect(results.summary.completed).toBe(2);
    for (const h of results.hosts) {
      expectClose(integrate(h.power, T), h.energy, `∫ power of ${h.id}`, 1e-9);
      // the bins end at the horizon: the last one holds it
      expect((h.power.mean.length - 1) * h.power.interval < T && h.power.mean.length * h.power.interval >= T).toBe(true);
    }
    // The migrations' energy adds up over hosts and over migrations.
    const byHosts = results.hosts.reduce((sum, h) => sum + h.migrationEnergy, 0);
    const byMigrations = results.migrations.reduce((sum, m) => sum + m.energy, 0);
    expectClose(byHosts, byMigrations, 'migration energy by hosts and by migrations', 1e-9);
    expectClose(results.summary.energy.total, results.hosts.reduce((sum, h) => sum + h.energy, 0), 'total', 1e-12);
  });

  it('raising P_idle and P_max by 100 W adds exactly 100 W × T to every host', () => {
    const base = run(loneLink());
    const raised = run(loneLink({ hosts: { cores: 4, power: { idle: '200 W', max: '300 W' } } }));
    for (const h of base.hosts) expectClose(host(raised, h.id).energy - h.energy, 100 * T, `${h.id} +100 W`, 1e-9);
    expectClose(migrationOf(raised, 'vm1').energy, migrationOf(base, 'vm1').energy, 'migration energy unchanged', 1e-9);
  });

  it('a VM\'s CPU load counts on the host it runs on: on a before the switchover, on b after', () => {
    // vm1 with 2 vCPUs at 50 %: 1 core of 4, u = 0.25, 125 W. Stop-and-copy pauses it for the whole move.
    const results = run(loneLink({ vms: [{ id: 'vm1', host: 'a', memory: '1 GiB', vcpus: 2, cpuLoad: 0.5 }] }));
    const end = migrationOf(results, 'vm1').end;
    // a: 125 W until the pause at 0, idle after; b: idle, then 125 W from the end to T.
    expectClose(host(results, 'b').energy, 100 * T + 25 * (T - end) + (JOULES_PER_CORE_SECOND * S) / 5e8, 'b energy', 1e-9);
    expectClose(host(results, 'a').energy, 100 * T + (JOULES_PER_CORE_SECOND * S) / 1e9, 'a energy', 1e-9);
  });

  it('without a horizon, energy is accounted to the end of the run', () => {
    const { horizon: _, ...document } = loneLink();
    const results = run(document);
    const end = migrationOf(results, 'vm1').end;
    expect(results.summary.energy.horizon).toBe(end);
    expectClose(host(results, 'c').energy, 100 * end, 'c energy');
  });

  it('a horizon before the end cuts every meter there', () => {
    const results = run(loneLink({ horizon: '2 s' }));
    const r = B / WIRE_FACTOR;
    // The stream runs from 0 past 2 s: the migration's energy is 2 s of 25·r·(1/1e9 + 1/5e8) W.
    expectClose(migrationOf(results, 'vm1').energy, 2 * 25 * r * (1 / 1e9 + 1 / 5e8), 'energy to 2 s', 1e-9);
    expectClose(host(results, 'c').energy, 200, 'c energy to 2 s');
  });
});

describe('faults', () => {
  it('a crashed host draws nothing from the crash on, and its VMs are gone', () => {
    // c crashes at 10 s: 100 W × 10 s. a crashes at 50 s, long after vm1 left it for b (about 9 s): a draws
    // its idle power and its share of the stream until then, nothing after; b keeps the VM to the horizon.
    const results = run(loneLink({ faults: [{ at: '10 s', kind: 'host-crash', target: 'c' }, { at: '50 s', kind: 'host-crash', target: 'a' }] }));
    expectClose(host(results, 'c').energy, 100 * 10, 'c until its crash');
    // 1 s bins: c's bin before 10 s is at idle, every bin from 10 s on at 0 W.
    expect(wattsAt(host(results, 'c'), 9.5)).toBe(100);
    expect(wattsAt(host(results, 'c'), 10.5)).toBe(0);
    expect(host(results, 'c').power.peak.at(-1)).toBe(0);
    expectClose(host(results, 'a').energy, 100 * 50 + (JOULES_PER_CORE_SECOND * S) / 1e9, 'a until its crash', 1e-9);
    expectClose(host(results, 'b').energy, 100 * T + (JOULES_PER_CORE_SECOND * S) / 5e8, 'b', 1e-9);
  });

  it('a VM lost with its host stops loading it; a retried migration keeps one energy over its attempts', () => {
    // The source a crashes at 1 s while a precopy of a busy VM (2 vCPUs at 100 %) is under way: the VM is
    // lost, a draws nothing after 1 s, and b never gets the VM's load.
    const results = run(
      loneLink(
        { vms: [{ id: 'vm1', host: 'a', memory: '1 GiB', vcpus: 2, cpuLoad: 1 }], faults: [{ at: '1 s', kind: 'host-crash', target: 'a' }] },
        { strategy: 'precopy' },
      ),
    );
    expect(migrationOf(results, 'vm1').status).toBe('failed');
    expect(wattsAt(host(results, 'a'), 1.5)).toBe(0);
    expect(host(results, 'a').power.peak.at(-1)).toBe(0);
    expect(host(results, 'b').power.mean.at(-1)).toBe(100);
    const r = B / WIRE_FACTOR;
    // Until 1 s: a at 150 W plus its share of the stream, b idle plus its share; the migration 1 s of both.
    expectClose(migrationOf(results, 'vm1').energy, 25 * r * (1 / 1e9 + 1 / 5e8), 'one second of stream', 1e-9);
  });
});

describe('migration energy grows with the work', () => {
  it('with encryption (cipher CPU on both hosts) and with bytes moved', () => {
    const plain = migrationOf(run(loneLink()), 'vm1').energy;
    const encrypted = migrationOf(run(loneLink({}, { encryption: 'aes-256-gcm' })), 'vm1').energy;
    // AES-256-GCM adds 1/5.376e9 s/B sending and 1/5.366e9 s/B receiving per payload byte: 25·S·(that) J.
    const cipher = JOULES_PER_CORE_SECOND * S * (1 / (43.011e9 / 8) + 1 / (42.925e9 / 8));
    expectClose(encrypted - plain, cipher, 'cipher energy', 1e-9);
    const bigger = migrationOf(run(loneLink({ vms: [{ id: 'vm1', host: 'a', memory: '2 GiB' }] })), 'vm1').energy;
    expectClose(bigger, 2 * plain, 'twice the memory, twice the energy', 1e-9);
  });

  it('with compression: its CPU work is charged to the hosts', () => {
    const vms = [{ id: 'vm1', host: 'a', memory: '1 GiB', content: { compressRatio: 0.5 } }];
    const plain = migrationOf(run(loneLink({ vms })), 'vm1');
    const compressed = migrationOf(run(loneLink({ vms }, { optimizations: { compression: true } })), 'vm1');
    expect(compressed.bytes.wire).toBeLessThan(plain.bytes.wire);
    expect(compressed.energy).toBeGreaterThan(plain.energy);
  });
});

describe('published estimates, side by side', () => {
  it('appear only when the scenario gives their coefficients', () => {
    const results = run(loneLink());
    expect(migrationOf(results, 'vm1').energyEstimates).toBeUndefined();
    expect(results.summary.energy.estimates).toBeUndefined();
  });

  it('Liu: α·V + β with V the wire bytes; Strunk: c0 + c_mem·M + c_bw·B with the path\'s bandwidth', () => {
    // Made-up coefficients (the published fits are unverified: src/power/migration-energy.ts).
    const energy = { liu: { alpha: 5e-8, beta: 20 }, strunk: { constant: 10, perMemoryByte: 1e-8, perBandwidth: 1e-7 } };
    const results = run(loneLink({ energy }));
    const migration = migrationOf(results, 'vm1');
    expectClose(migration.energyEstimates?.liu, 5e-8 * migration.bytes.wire + 20, 'liu');
    // Strunk: M = 2^30 B, B = 1.25e8 B/s (the path's narrowest link; the window bound 4 MiB / 40 us is above).
    expectClose(migration.energyEstimates?.strunk, 10 + 1e-8 * 2 ** 30 + 1e-7 * 1.25e8, 'strunk');
    expect(results.summary.energy.estimates).toEqual(migration.energyEstimates);
  });
});

describe('consolidation: switching off emptied hosts', () => {
  // Three hosts of 8 cores each with one VM (2 vCPUs at 50 %: 1 core, 112.5 W); v1 and v3 move onto h2 one
  // after the other, which then runs three VMs (3 cores of 8: 137.5 W). With hosts.switchOff, a and c draw 0 W once their VM has left.
  // The runs differ only there: the saving is P_idle × ((T − end of v1's move) + (T − end of v3's move)).
  function consolidation(switchOff: boolean): Results {
    return run({
      topology: graph(['h1', 'h2', 'h3'], ['s'], [['h1', 's'], ['h2', 's'], ['h3', 's']]),
      hosts: { cores: 8, power: { idle: '100 W', max: '200 W' }, switchOff },
      defaults: { migration: { strategy: 'precopy' } },
      vms: ['h1', 'h2', 'h3'].map((h, i) => ({ id: `v${i + 1}`, host: h, memory: '1 GiB', vcpus: 2, cpuLoad: 0.5 })),
      migrations: [{ vm: 'v1', to: 'h2' }, { vm: 'v3', to: 'h2' }],
      schedule: { policy: 'sequential' },
      horizon: '1 h',
    });
  }

  it('saves P_idle × the time each emptied host stays off, and nothing else changes', () => {
    const on = consolidation(false);
    const off = consolidation(true);
    expect(off.summary.completed).toBe(2);
    const ends = [migrationOf(off, 'v1').end, migrationOf(off, 'v3').end];
    expect(ends).toEqual([migrationOf(on, 'v1').end, migrationOf(on, 'v3').end]);
    const saving = 100 * (3600 - ends[0]!) + 100 * (3600 - ends[1]!);
    expectClose(on.summary.energy.total - off.summary.energy.total, saving, 'saving', 1e-9);
    expectClose(host(off, 'h2').energy, host(on, 'h2').energy, 'h2 unchanged', 1e-12);
    // h1 is off from its last VM's departure to the horizon (bins of 32 s over the hour).
    expect(wattsAt(host(off, 'h1'), ends[0]! + 64)).toBe(0);
    expect(host(off, 'h1').power.peak.at(-1)).toBe(0);
    // Three VMs at 1 core each on h2 after the moves: 100 + 100·3/8 = 137.5 W.
    expect(host(off, 'h2').power.mean.at(-1)).toBe(137.5);
  });

  it('hosts empty from the start are off, and on while a migration to them runs', () => {
    const results = run(loneLink({ hosts: { cores: 4, power: { idle: '100 W', max: '200 W' }, switchOff: true } }));
    const end = migrationOf(results, 'vm1').end;
    expect(host(results, 'c').energy).toBe(0);
    // b is off until the migration starts at 0, then on to the horizon; a is on until the VM has left.
    expectClose(host(results, 'b').energy, 100 * T + (JOULES_PER_CORE_SECOND * S) / 5e8, 'b', 1e-9);
    expectClose(host(results, 'a').energy, 100 * end + (JOULES_PER_CORE_SECOND * S) / 1e9, 'a', 1e-9);
  });
});
