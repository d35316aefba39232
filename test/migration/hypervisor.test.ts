// Hypervisor profiles (src/migration/hypervisor.ts), each rule checked against the source line it cites, and the
// migration timeout (libvirt's virsh migrate --timeout). Every case runs one VM over a ─ s ─ b, 1 Gbit/s links
// of 50 us each (path latency L = 100 us), B = 1.25e8 B/s of wire.
import { describe, expect, it } from 'vitest';
import { parseScenarioDocument } from '../../src/config/index.js';
import type { MigrationResult } from '../../src/engine/results.js';
import { runScenario } from '../../src/engine/run-scenario.js';
import { HYPERVISOR_NAMES, HYPERVISOR_PROFILES } from '../../src/migration/hypervisor.js';
import { PAGE_BYTES } from '../../src/migration/memory-model.js';
import { NOT_CONVERGED_CHECKS } from '../../src/migration/precopy-steps.js';
import { GBIT, GIB, graph, MIB, WIRE_PER_MEMORY_BYTE } from '../end-to-end/helpers.js';

/** One VM v (1 GiB unless told) moving a → b; `scenario` adds top-level fields (e.g. hypervisor). */
function migrate(vm: Record<string, unknown>, migration: Record<string, unknown>, scenario: Record<string, unknown> = {}): MigrationResult {
  const document = {
    topology: graph(['a', 'b'], ['s'], [['a', 's'], ['s', 'b']], { capacity: '1 Gbit/s', latency: '50 us' }),
    vms: [{ id: 'v', host: 'a', memory: '1 GiB', ...vm }],
    migrations: [{ vm: 'v', to: 'b', ...migration }],
    checks: true,
    ...scenario,
  };
  return runScenario(parseScenarioDocument(document, 'hypervisor.yaml')).migrations[0]!;
}

const finalPhase = (m: MigrationResult) => m.phases.find((phase) => phase.phase === 'stop-and-copy')!;

describe('the profile registry', () => {
  it('is the one list of names, and every profile states its source', () => {
    expect(Object.keys(HYPERVISOR_PROFILES)).toEqual([...HYPERVISOR_NAMES]);
    for (const profile of Object.values(HYPERVISOR_PROFILES)) expect(profile.citation.length).toBeGreaterThan(10);
  });

  it('a written knob overrides its profile, per migration and in defaults', () => {
    const parse = (document: Record<string, unknown>) =>
      parseScenarioDocument({ topology: graph(['a', 'b'], [], [['a', 'b']]), vms: [{ id: 'v', host: 'a', memory: '1 GiB' }], ...document }, 'x.yaml')
        .migrations[0]!;
    expect(parse({ migrations: [{ vm: 'v', to: 'b' }] })).toMatchObject({ hypervisor: 'qemu', maxRounds: Infinity });
    expect(parse({ hypervisor: 'xen', migrations: [{ vm: 'v', to: 'b' }] })).toMatchObject({ hypervisor: 'xen', maxRounds: 29, downtimeLimitS: 0 });
    expect(parse({ hypervisor: 'xen', migrations: [{ vm: 'v', to: 'b', maxRounds: 5, hypervisor: 'vmware' }] })).toMatchObject({
      hypervisor: 'vmware',
      maxRounds: 5,
      autoConverge: true,
    });
    expect(parse({ defaults: { migration: { hypervisor: 'xen', downtimeLimit: '1 s' } }, migrations: [{ vm: 'v', to: 'b' }] })).toMatchObject({
      hypervisor: 'xen',
      downtimeLimitS: 1,
      convergenceCheck: 'round-end',
    });
  });
});

describe('qemu (QEMU 8.2)', () => {
  it('defaults: downtime-limit 300 ms (options.c DEFAULT_MIGRATE_SET_DOWNTIME), max-bandwidth 128 MiB/s (options.c MAX_THROTTLE), no iteration cap, check in migration_iteration_run', () => {
    expect(HYPERVISOR_PROFILES.qemu.knobs).toEqual({
      downtimeLimitS: 0.3,
      convergenceCheck: 'qemu',
      maxRounds: Infinity,
      maxBandwidthBytesPerS: 128 * MIB,
      autoConverge: false,
    });
  });

  it('the completion is not rate-limited (migration_completion_precopy: migration_rate_set(RATE_LIMIT_DISABLED))', () => {
    // An idle 1 GiB guest held to 32 MiB/s of stream on a 1 Gbit/s link: the threshold is 32 MiB/s × 300 ms ≈ 9.6 MiB;
    // the pause sends what is left at the link's rate B, not at 32 MiB/s: its final phase lasts its wire bytes / B
    // plus the path latency. Under Xen's profile with the same limit the final copy is held to 32 MiB/s.
    const qemu = migrate({}, { maxBandwidth: '32 MiB/s' });
    const final = finalPhase(qemu);
    expect(final.bytes.memory).toBeGreaterThan(MIB);
    expect(final.bytes.memory).toBeLessThan(0.3 * 32 * MIB);
    expect(final.end - final.start).toBeCloseTo(final.bytes.wire / GBIT + 100e-6, 9);
    const xen = migrate({ workload: { dirtyRate: '1 MiB/s' } }, { maxBandwidth: '32 MiB/s', downtimeLimit: '300 ms' }, { hypervisor: 'xen' });
    const xenFinal = finalPhase(xen);
    // 32 MiB/s of stream: its payload (memory × 4104/4096) at 32 MiB/s, plus L.
    expect(xenFinal.end - xenFinal.start).toBeCloseTo((xenFinal.bytes.memory * (4104 / 4096)) / (32 * MIB) + 100e-6, 6);
  });

  it('a guest dirtying 48 MiB/s on a 32 MiB/s stream never converges: failed, "not converged", at the documented bound', () => {
    // QEMU has no stop rule but the threshold: it iterates until cancelled. mignet gives up after NOT_CONVERGED_CHECKS
    // checks without a new low of the pending bytes; the VM stays on its source, and was never paused.
    const m = migrate({ workload: { dirtyRate: '48 MiB/s' } }, { maxBandwidth: '32 MiB/s' });
    expect(m.status).toBe('failed');
    expect(m.reason).toContain('not converged');
    expect(m.downtime).toBe(0);
    expect(m.rounds).toBeGreaterThan(NOT_CONVERGED_CHECKS);
    expect(m.phases.every((phase) => phase.phase === 'precopy')).toBe(true);
    // Every round after the first pass sends about the same pending set: far above the 9.6 MiB threshold.
    expect(m.bytes.memory).toBeGreaterThan(NOT_CONVERGED_CHECKS * 100 * MIB);
  });

  it('with timeout {after: 60 s, action: pause} it completes with the pause that follows (virsh migrate --timeout --timeout-suspend)', () => {
    // The timeout cuts the running pass at 60 s of precopy (to the 50 ms iteration); the guest pauses and the
    // whole dirty set goes, unpaced, at the link's rate: seconds of downtime, honestly reported.
    const m = migrate({ workload: { dirtyRate: '48 MiB/s' } }, { maxBandwidth: '32 MiB/s', timeout: { after: '60 s', action: 'pause' } });
    expect(m.status).toBe('completed');
    expect(m.precopyStop).toBe('timeout');
    const final = finalPhase(m);
    expect(final.start - m.start).toBeGreaterThanOrEqual(60 - 1e-6);
    expect(final.start - m.start).toBeLessThan(60.2);
    expect(final.bytes.memory).toBeGreaterThan(300 * MIB);
    // the pause = the final copy at B, its latency, and l2's gratuitous ARP (one more L)
    expect(m.downtime).toBeCloseTo(final.bytes.wire / GBIT + 200e-6, 6);
    expect(m.downtime).toBeGreaterThan(2);
  });

  it('with action postcopy it completes as postcopy (--timeout-postcopy): a short pause, the rest pushed', () => {
    const m = migrate({ workload: { dirtyRate: '48 MiB/s' } }, { maxBandwidth: '32 MiB/s', timeout: { after: '60 s', action: 'postcopy' } });
    expect(m.status).toBe('completed');
    expect(m.precopyStop).toBe('timeout');
    expect(m.phases.some((phase) => phase.phase === 'postcopy')).toBe(true);
    expect(m.downtime).toBeLessThan(0.1);
    expect(m.degradedTime).toBeGreaterThan(2);
  });

  it('with action abort it fails at the timeout and the VM stays on its source', () => {
    const m = migrate({ workload: { dirtyRate: '48 MiB/s' } }, { maxBandwidth: '32 MiB/s', timeout: { after: '60 s', action: 'abort' } });
    expect(m.status).toBe('failed');
    expect(m.reason).toMatch(/^aborted: timeout after 60 s/);
    expect(m.end - m.start).toBeGreaterThanOrEqual(60 - 1e-6);
    expect(m.end - m.start).toBeLessThan(60.2);
    expect(m.downtime).toBe(0);
  });
});

describe('xen (Xen 4.5 tools/libxc/xc_domain_save.c)', () => {
  it('DEF_MAX_ITERS 29: a guest that outruns the link stops after 29 live iterations, the 30th paused', () => {
    // 1 GB/s into a 64 MiB hot set: every round re-sends about 64 MiB, far from 50 pages, and 1 GiB + 28 × 64 MiB
    // stays under 3 GiB: the iteration cap is what stops it.
    const m = migrate({ workload: { dirtyRate: '1 GB/s', hotSet: '64 MiB', hotFraction: 1 } }, {}, { hypervisor: 'xen' });
    expect(m.precopyStop).toBe('max-rounds');
    expect(m.rounds).toBe(30);
  });

  it('DEF_MAX_FACTOR 3: it stops once the live rounds have sent 3× the memory', () => {
    const m = migrate({ workload: { dirtyRate: '100 MB/s' } }, {}, { hypervisor: 'xen' });
    expect(m.precopyStop).toBe('no-progress');
    const live = m.phases.filter((phase) => phase.phase === 'precopy').map((phase) => phase.bytes.memory);
    const sent = live.reduce((a, b) => a + b, 0);
    expect(sent).toBeGreaterThanOrEqual(3 * GIB);
    expect(sent - live.at(-1)!).toBeLessThan(3 * GIB);
  });

  it('sent_this_iter + skip_this_iter < 50: a round of fewer than 50 pages is the last live one (no downtime target)', () => {
    // A sequential writer of 10 pages/s: round 0 (1 GiB) lasts ≈ 9.2 s and dirties ≈ 92 pages; round 1 sends them in
    // ≈ 3 ms (92 ≥ 50: go on), during which the guest dirties a fraction of a page; round 2 sends that fraction:
    // fewer than 50 pages, so the next iteration is the last, paused one (Xen tests the iteration just done).
    const m = migrate({ workload: { dirtyRate: 10 * PAGE_BYTES, pattern: 'sequential' } }, {}, { hypervisor: 'xen' });
    expect(m.precopyStop).toBe('converged');
    const sizes = m.phases.map((phase) => phase.bytes.memory / PAGE_BYTES);
    expect(m.phases.map((phase) => phase.phase)).toEqual(['precopy', 'precopy', 'precopy', 'stop-and-copy']);
    expect(sizes[1]).toBeGreaterThanOrEqual(50);
    expect(sizes[2]).toBeLessThan(50);
  });
});

describe('vmware (ESX as published)', () => {
  it('Stun During Page Send is on: a guest that outruns the link converges, its vCPUs slowed', () => {
    const m = migrate({ workload: { dirtyRate: '1 GB/s', hotSet: '256 MiB', hotFraction: 1 } }, {}, { hypervisor: 'vmware' });
    expect(m.status).toBe('completed');
    expect(m.precopyStop).toBe('converged');
    expect(m.degradedTime).toBeGreaterThan(0);
  });

  it('without SDPS, insufficient forward progress ends the iteration (Nelson et al. 2005 §3)', () => {
    const m = migrate({ workload: { dirtyRate: '1 GB/s', hotSet: '256 MiB', hotFraction: 1 } }, { autoConverge: false }, { hypervisor: 'vmware' });
    // The hot set's rounds re-send ever closer to all of it; once a round dirties as much as it sent, it stops.
    expect(m.precopyStop).toBe('no-progress');
    expect(m.rounds).toBeLessThan(30);
  });
});

it('one scenario, three profiles: the wire bytes a page costs are the same, the rules differ', () => {
  const runs = HYPERVISOR_NAMES.map((hypervisor) => migrate({ workload: { dirtyRate: '50 MB/s', hotSet: '256 MiB', hotFraction: 0.9 } }, {}, { hypervisor }));
  for (const m of runs) {
    expect(m.status).toBe('completed');
    expect(m.bytes.wire).toBeCloseTo(m.phases.reduce((sum, phase) => sum + phase.bytes.wire, 0), 3);
    expect(m.bytes.wire).toBeGreaterThanOrEqual(GIB * WIRE_PER_MEMORY_BYTE);
  }
});

describe('postcopy faults block the vCPUs that take them (src/migration/postcopy.ts pushFaults)', () => {
  it('fault wait never exceeds vCPUs × degraded time, and a blocked guest touches fewer pages than a free one', () => {
    // 4 GiB, 1 GB/s into a 1 GiB hot set, pushed at 1 Gbit/s: unblocked, one vCPU would wait longer than the push
    // lasts. The fixed point p = 1 − W(p)/(v·T) keeps W ≤ v·T; with 4 vCPUs the guest is less blocked, so it touches
    // (and faults on) more pages.
    const one = migrate({ memory: '4 GiB', vcpus: 1, workload: { dirtyRate: '1 GB/s', hotSet: '1 GiB', hotFraction: 0.9 } }, { strategy: 'postcopy' });
    const four = migrate({ memory: '4 GiB', vcpus: 4, workload: { dirtyRate: '1 GB/s', hotSet: '1 GiB', hotFraction: 0.9 } }, { strategy: 'postcopy' });
    expect(one.faultWait).toBeLessThanOrEqual(one.degradedTime);
    expect(four.faultWait).toBeLessThanOrEqual(4 * four.degradedTime);
    expect(four.faults).toBeGreaterThan(one.faults);
  });
});
