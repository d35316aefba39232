// End-of-run invariants (issue 9): cheap checks that a run's results are self-consistent, on in the test
// suite (MIGNET_CHECKS=1, vitest.config.ts) and optional in production runs (`checks: true`). The engine's
// own assertions run always: time never goes backwards (simulator.ts), no link over capacity and no flow
// completing with bytes left (flow-network.ts). These add what can only be seen at the end:
//   every migration ended exactly once (a final status, start ≤ end, its phases inside [start, end]);
//   downtime and degraded time within the migration's time; no link above 100 % at its peak;
//   the summary's counts and bytes are the sums of the migrations';
//   core bytes are conserved: what the core links carried (summary.coreBytes, from the links' counters) is
//   what the migrations' flows and the application flows say they put there, path segment by path segment
//   (every flow on the network is one or the other: migration-faults.ts, application-traffic.ts), up to
//   the resolution of open-ended flows and of the clock (below);
//   each host's energy is the integral of its power series (energy = ∫ power, piecewise constant); the
//   switches' energies sum to summary.energy.network, and they forwarded what left them on links;
//   a utilization series covers the run, and in each bin 0 ≤ mean ≤ peak ≤ the link's peak utilization ≤ 1.
import { meanUtilization, type UtilizationSeries } from '../transport/utilization-bins.js';
import type { Results } from './results.js';
import { SimulationError } from './simulation-error.js';

/** Relative tolerance of sums of floats computed in different orders. */
const RELATIVE_TOLERANCE = 1e-9;

/**
 * What a flow's byte count can be off by, per event or re-solve, against the links' counters: open-ended
 * flows (application-traffic.ts, mirror-stream.ts) send in stretches of 2^40 B and count what they sent as
 * size − remaining, so each update of the remaining bytes rounds to the ulp of 2^40, 2^-12 B (a run of a few
 * KiB of mirrored writes is off by 1e-4 B, 4e-9 of its bytes).
 */
const OPEN_FLOW_RESOLUTION_BYTES = 2 ** -12;

function close(a: number, b: number, absoluteBytes = 0): boolean {
  return Math.abs(a - b) <= Math.max(absoluteBytes, RELATIVE_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b)));
}

function fail(what: string): never {
  throw new SimulationError('invariants', what);
}

/** What the checks need to know of the run beyond its results. */
export interface InvariantContext {
  /** the most the core links can carry at once, B/s (0: no allowance for the clock's resolution) */
  coreCapacityBytesPerS: number;
  /** each VM's vCPUs, for the fault-wait bound (absent: not checked) */
  vcpus?: ReadonlyMap<string, number>;
}

export function checkInvariants(results: Results, context: InvariantContext = { coreCapacityBytesPerS: 0 }): void {
  for (const m of results.migrations) {
    if (!['completed', 'refused', 'failed'].includes(m.status)) fail(`migration of ${m.vm} ended as ${m.status}`);
    if (!(m.start <= m.end)) fail(`migration of ${m.vm} ends (${m.end} s) before it starts (${m.start} s)`);
    if (m.downtime < 0 || m.downtime > m.totalTime * (1 + RELATIVE_TOLERANCE) + 1e-12) {
      fail(`migration of ${m.vm}: downtime ${m.downtime} s outside 0..${m.totalTime} s`);
    }
    if (m.degradedTime < 0 || m.degradedTime > m.totalTime * (1 + RELATIVE_TOLERANCE) + 1e-12) {
      fail(`migration of ${m.vm}: degraded time ${m.degradedTime} s outside 0..${m.totalTime} s`);
    }
    // A vCPU waits for at most one page at a time (src/migration/postcopy.ts pushFaults).
    const vcpus = context.vcpus?.get(m.vm);
    if (vcpus !== undefined && m.faultWait > Math.max(1, vcpus) * m.degradedTime * (1 + RELATIVE_TOLERANCE) + 1e-12) {
      fail(`migration of ${m.vm}: fault wait ${m.faultWait} s over ${Math.max(1, vcpus)} vCPUs × ${m.degradedTime} s degraded`);
    }
    for (const p of m.phases) {
      if (p.start < m.start - 1e-12 || p.end > m.end + 1e-12 || p.end < p.start) {
        fail(`migration of ${m.vm}: phase ${p.phase} [${p.start}, ${p.end}] s outside [${m.start}, ${m.end}] s`);
      }
    }
  }
  for (const link of results.links) {
    if (link.bytes < 0 || link.peakUtilization > 1 + RELATIVE_TOLERANCE) {
      fail(`link ${link.id}: ${link.bytes} B at a peak utilization of ${link.peakUtilization}`);
    }
    if (link.utilization !== undefined) checkSeries(`link ${link.id}`, link.utilization, link.peakUtilization, results.run.simulatedTime);
  }
  const { summary, migrations } = results;
  if (summary.coreUtilization !== undefined) {
    checkSeries('summary.coreUtilization', summary.coreUtilization, summary.peakCoreUtilization, results.run.simulatedTime);
  }
  if (summary.completed + summary.refused + summary.failed !== migrations.length) {
    fail(`summary counts ${summary.completed} + ${summary.refused} + ${summary.failed} ≠ ${migrations.length} migrations`);
  }
  for (const key of ['memory', 'storage', 'wire'] as const) {
    const sum = migrations.reduce((s, m) => s + m.bytes[key], 0);
    if (!close(sum, summary.bytes[key])) fail(`summary.bytes.${key} ${summary.bytes[key]} ≠ Σ migrations ${sum}`);
  }
  const migrationCoreBytes = migrations.reduce((s, m) => s + m.coreBytes, 0);
  if (!close(migrationCoreBytes, summary.coreBytesByClass.migration)) {
    fail(`summary.coreBytesByClass.migration ${summary.coreBytesByClass.migration} ≠ Σ migrations ${migrationCoreBytes}`);
  }
  // A flow completes at a time rounded to the clock's resolution there (flow-network.ts complete: up to 4ε·t
  // apart), so at each event the links' counters may differ from the flows' sizes by the rate × that: far into
  // a run (1.7e7 s, a stream held to 1 bit/s) a short burst at 1 Gbit/s is off by a fraction of a byte.
  const clockBytes = context.coreCapacityBytesPerS * 4 * Number.EPSILON * Math.max(1, results.run.simulatedTime);
  const roundingBytes = (OPEN_FLOW_RESOLUTION_BYTES + clockBytes) * (results.run.events + results.run.resolves);
  if (!close(migrationCoreBytes + summary.traffic.coreBytes, summary.coreBytes, roundingBytes)) {
    fail(`summary.coreBytes ${summary.coreBytes} (the core links' counters) ≠ Σ migrations ${migrationCoreBytes} + traffic ${summary.traffic.coreBytes}`);
  }
  for (const host of results.hosts) {
    // ∫ power = the bins' mean watts times their lengths, the last cut at the end of accounting.
    const energy = meanUtilization(host.power, summary.energy.horizon) * summary.energy.horizon;
    if (!close(energy, host.energy)) fail(`host ${host.id}: energy ${host.energy} J ≠ ∫ power ${energy} J`);
  }
  if (results.switches !== undefined) {
    const switchEnergy = results.switches.reduce((sum, s) => sum + s.energy, 0);
    if (!close(switchEnergy, summary.energy.network ?? Number.NaN)) fail(`summary.energy.network ${summary.energy.network} J ≠ Σ switches ${switchEnergy} J`);
    // every byte a switch forwarded left it on one of its links
    const hosts = new Set(results.hosts.map((h) => h.id));
    const leaving = results.links.reduce((sum, l) => sum + (hosts.has(l.from) ? 0 : l.bytes), 0);
    const forwarded = results.switches.reduce((sum, s) => sum + s.forwarded, 0);
    if (!close(forwarded, leaving)) fail(`switches forwarded ${forwarded} B ≠ ${leaving} B on the links leaving them`);
  }
}

function checkSeries(what: string, series: UtilizationSeries, peakUtilization: number, endS: number): void {
  const { interval, mean, peak } = series;
  if (mean.length !== peak.length || (mean.length - 1) * interval > endS || mean.length * interval < endS) {
    fail(`${what}: ${mean.length} bins of ${interval} s do not end at the run's end (${endS} s)`);
  }
  for (let bin = 0; bin < mean.length; bin++) {
    const m = mean[bin]!;
    const p = peak[bin]!;
    if (!(m >= 0) || m > p * (1 + RELATIVE_TOLERANCE) + 1e-12 || p > peakUtilization * (1 + RELATIVE_TOLERANCE)) {
      fail(`${what}: bin ${bin} has mean ${m} and peak ${p} (expected 0 ≤ mean ≤ peak ≤ ${peakUtilization})`);
    }
  }
}
