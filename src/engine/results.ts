// The results of a run, exactly as ../shared/CONTRACT.md names them (SI base units: s, B, J, W), plus
// additions: each migration's phase trace, its shared-page savings and core bytes, the plan's metrics
// (peak core utilization, migrations in flight over time, traffic totals), energy (per host with its power
// over time, per migration, the published estimates when their coefficients are given), the bytes exposed on
// untrusted links, and a few run statistics.
import type { MigrationRecord, MigrationStatus, PhaseRecord } from '../migration/migration-process.js';
import { downtimeVerdict, nearestRankQuantile, pauseStartS, unionLengthS, type OverLimitCause } from './downtime-accounting.js';
import type { PrecopyStop } from '../migration/precopy-steps.js';
import { storageResult, type StorageResult } from '../migration/storage-process.js';
import type { VmOutcome } from './migration-faults.js';
import type { SwitchResult } from './network-energy.js';
import type { TrafficOutcome } from '../transport/application-traffic.js';
import type { UtilizationSeries } from '../transport/utilization-bins.js';

export interface MigrationBytes {
  memory: number;
  storage: number;
  wire: number;
}

/** Identical pages shared with other migrations of the same image (irlm, gang: src/migration/shared-pages.ts). */
export interface SharedPagesBytes {
  /** memory sent as references to identical pages another migration of its cohort sent */
  referenced: number;
  /** wire bytes those references kept off the migration's path (and its core links) */
  saved: number;
  /** wire bytes of the referenced pages' contents copied inside the destination rack (part of bytes.wire) */
  fetched: number;
}

/** One step of a migration: a precopy round, a stop-and-copy, a postcopy push (the per-round trace). */
export interface PhaseResult {
  phase: PhaseRecord['phase'];
  guest: PhaseRecord['guest'];
  start: number;
  end: number;
  /** memory: guest memory whose contents were sent; storage: disk bytes copied (storage phases); stream: after
   * optimizations, with page headers (for storage phases, the disk bytes) */
  bytes: { memory: number; storage: number; stream: number; wire: number };
  sharedPages: SharedPagesBytes;
  /** the guest's effective dirty rate during the step, B/s */
  dirtyRate: number;
  /** fraction of vCPU time auto-converge took from the guest */
  throttle: number;
}

export interface MigrationResult {
  vm: string;
  from: string;
  to: string;
  strategy: string;
  status: Exclude<MigrationStatus, 'pending' | 'running'>;
  reason?: string;
  start: number;
  end: number;
  totalTime: number;
  downtime: number;
  /** the pause lasted longer than the migration's downtimeLimit (a limit of 0: never), and which part went over
   * (src/engine/downtime-accounting.ts) */
  downtimeOverLimit: boolean;
  downtimeOverLimitCause?: OverLimitCause;
  /** when the guest first paused, s (absent: never paused) */
  pausedAt?: number;
  rounds: number;
  bytes: MigrationBytes;
  degradedTime: number;
  energy: number;
  sharedPages: SharedPagesBytes;
  /** wire bytes summed over the core links each of the migration's flows crossed */
  coreBytes: number;
  /** postcopy: expected pages fetched on demand, and the vCPU time spent waiting for them */
  faults: number;
  faultWait: number;
  /** why the precopy phase ended, when there was one */
  precopyStop?: PrecopyStop;
  phases: PhaseResult[];
  /** wire bytes of an unencrypted migration on untrusted links (src/engine/policy-gate.ts): the most any one
   * untrusted link carried, and the sum over them */
  exposure: { bytes: number; linkBytes: number };
  /** published per-migration energy estimates, J, when the scenario gives their coefficients (`energy`) */
  energyEstimates?: EnergyEstimates;
  /** the copy of the VM's local disk, when one moved (src/migration/storage-process.ts) */
  storage?: StorageResult;
  /** the addressing scheme and the switchover delay it added to downtime (src/transport/addressing.ts) */
  addressing?: { scheme: string; switchoverDelay: number };
  /** failed with the VM lost (a fault after a postcopy or hybrid switchover, or its source crashed) */
  lost?: true;
  /** attempts made, when the migration has a `retry` policy */
  attempts?: number;
}

/** Liu et al. 2011 and Strunk 2013 (src/power/migration-energy.ts): their coefficients are the scenario's. */
export interface EnergyEstimates {
  liu?: number;
  strunk?: number;
}

/** A host's energy and power over the run (src/engine/energy-accounting.ts). */
export interface HostResult {
  id: string;
  /** J, from time 0 to summary.energy.horizon */
  energy: number;
  /** of which the migrations on it were responsible for, J */
  migrationEnergy: number;
  /** power over time, W, from 0 to summary.energy.horizon: mean and peak watts in equal bins, as
   * links[].utilization (at most MAX_BINS of them); one bin when the power never changed */
  power: UtilizationSeries;
}

export interface Summary {
  completed: number;
  refused: number;
  failed: number;
  /** failed migrations that lost their VM (counted in failed too) */
  lost: number;
  totalMigrationTime: number;
  totalDowntime: number;
  maxDowntime: number;
  /** the time any VM was down: the union of the pauses (totalDowntime is their sum) */
  downtimeUnion: number;
  /** nearest-rank percentiles of the downtimes of the migrations that ran */
  downtimePercentiles: { p50: number; p95: number; p99: number };
  /** migrations whose pause went over their downtimeLimit */
  overLimit: number;
  bytes: MigrationBytes;
  coreBytes: number;
  /** J over every host up to `horizon` (s: the scenario's horizon, else the end of the run); migration: the
   * migrations' attributed energy; estimates: sums of the published estimates, when given */
  energy: { total: number; migration: number; horizon: number; estimates?: EnergyEstimates; network?: number };
  /** unencrypted migration bytes on untrusted links, summed over migrations, and how many migrations exposed any */
  exposure: { bytes: number; linkBytes: number; migrations: number };
  sharedPages: SharedPagesBytes;
  /** core bytes by who put them there: migrations (their streams and in-rack copies) and application traffic */
  coreBytesByClass: { migration: number; traffic: number };
  /** the highest utilization any core link reached, 0..1 */
  peakCoreUtilization: number;
  /** the core links together over time: their summed load over their summed capacity; absent when the
   * topology has no core links */
  coreUtilization?: UtilizationSeries;
  /** migrations in flight over time, binned as links[].utilization: the mean and peak count per bin */
  inFlight: UtilizationSeries;
  maxInFlight: number;
  /** application traffic: payload, wire and core bytes, and the time flows spent stalled, summed over flows */
  traffic: { flows: number; payload: number; wire: number; coreBytes: number; stalledTime: number };
}

/** What summarize needs beyond the migrations: the plan's traffic, core links and concurrency. */
export interface PlanMetrics {
  flows: readonly TrafficResult[];
  /** wire bytes application flows put on core links, summed over the links */
  trafficCoreBytes: number;
  peakCoreUtilization: number;
  coreUtilization?: UtilizationSeries | undefined;
  inFlight: UtilizationSeries;
  maxInFlight: number;
  energy?: Summary['energy'];
}

export interface LinkResult {
  id: string;
  from: string;
  to: string;
  bytes: number;
  peakUtilization: number;
  /** over time, for the busiest links and the busiest core links only (link-results.ts) */
  utilization?: UtilizationSeries;
}

/** An application flow exactly as CONTRACT.md names its fields; its core bytes go to the summary. */
export type TrafficResult = Omit<TrafficOutcome, 'coreBytes'>;

export interface RunStatistics {
  /** simulated time of the last event, s */
  simulatedTime: number;
  events: number;
  resolves: number;
}

export interface Results {
  scenario: string;
  seed: number;
  migrations: MigrationResult[];
  summary: Summary;
  traffic: TrafficResult[];
  links: LinkResult[];
  hosts: HostResult[];
  /** with `switches` power: every switch and gateway, its ports, bytes forwarded and energy (network-energy.ts) */
  switches?: SwitchResult[];
  /** every VM at the end of the run: where it runs, or was lost (src/engine/migration-faults.ts) */
  vms: VmOutcome[];
  run: RunStatistics;
}

export function migrationResult(record: MigrationRecord): MigrationResult {
  if (record.status === 'pending' || record.status === 'running') {
    throw new Error(`results: migration of ${record.vm} never ended (status ${record.status})`);
  }
  return {
    vm: record.vm,
    from: record.from,
    to: record.to,
    strategy: record.strategy,
    status: record.status,
    // A completed migration has no reason: a retry that completed drops its failed attempts' (issue 17).
    ...(record.reason === undefined || record.status === 'completed' ? {} : { reason: record.reason }),
    start: record.startS,
    end: record.endS,
    totalTime: record.endS - record.startS,
    downtime: record.downtimeS,
    ...downtimeVerdict(record),
    ...withPausedAt(pauseStartS(record)),
    rounds: record.rounds,
    bytes: { memory: record.memoryBytes, storage: record.storageBytes ?? 0, wire: record.wireBytes },
    degradedTime: record.degradedTimeS,
    energy: 0,
    sharedPages: { referenced: record.referencedBytes, saved: record.savedWireBytes, fetched: record.fetchWireBytes },
    coreBytes: record.coreWireBytes,
    faults: record.faults,
    faultWait: record.faultWaitS,
    ...(record.precopyStop === undefined ? {} : { precopyStop: record.precopyStop }),
    // In start order: the disk's steps run beside the memory's (storage-process.ts).
    phases: [...record.phases].sort((a, b) => a.startS - b.startS).map((p) => ({
      phase: p.phase,
      guest: p.guest,
      start: p.startS,
      end: p.endS,
      bytes: { memory: p.sentMemoryBytes, storage: p.storageBytes ?? 0, stream: p.streamBytes, wire: p.wireBytes },
      sharedPages: { referenced: p.referencedBytes, saved: p.savedWireBytes, fetched: p.fetchWireBytes },
      dirtyRate: p.dirtyRateBytesPerS,
      throttle: p.throttle,
    })),
    exposure: { bytes: 0, linkBytes: 0 },
    ...(record.storage === undefined ? {} : { storage: storageResult(record.storage) }),
    ...(record.addressing === undefined ? {} : { addressing: { scheme: record.addressing.scheme, switchoverDelay: record.addressing.switchoverDelayS } }),
  };
}

function withPausedAt(startS: number | undefined): { pausedAt?: number } {
  return startS === undefined ? {} : { pausedAt: startS };
}

export function summarize(migrations: MigrationResult[], coreBytes: number, plan?: PlanMetrics): Summary {
  const ran = migrations.filter((m) => m.status !== 'refused');
  const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
  const flows = plan?.flows ?? [];
  const inFlight = plan?.inFlight ?? { interval: 0, mean: [0], peak: [0] };
  return {
    completed: migrations.filter((m) => m.status === 'completed').length,
    refused: migrations.length - ran.length,
    failed: migrations.filter((m) => m.status === 'failed').length,
    lost: migrations.filter((m) => m.lost === true).length,
    // Loops, not Math.max(...list): a spread of 100,000 migrations can overflow the call stack.
    totalMigrationTime: ran.length === 0 ? 0 : ran.reduce((last, m) => Math.max(last, m.end), -Infinity) - ran.reduce((first, m) => Math.min(first, m.start), Infinity),
    totalDowntime: sum(ran.map((m) => m.downtime)),
    maxDowntime: ran.reduce((most, m) => Math.max(most, m.downtime), 0),
    downtimeUnion: unionLengthS(ran.map((m) => [m.pausedAt ?? m.end, m.downtime] as const)),
    downtimePercentiles: {
      p50: nearestRankQuantile(ran.map((m) => m.downtime), 0.5),
      p95: nearestRankQuantile(ran.map((m) => m.downtime), 0.95),
      p99: nearestRankQuantile(ran.map((m) => m.downtime), 0.99),
    },
    overLimit: ran.filter((m) => m.downtimeOverLimit).length,
    bytes: {
      memory: sum(ran.map((m) => m.bytes.memory)),
      storage: sum(ran.map((m) => m.bytes.storage)),
      wire: sum(ran.map((m) => m.bytes.wire)),
    },
    coreBytes,
    energy: plan?.energy ?? { total: 0, migration: 0, horizon: 0 },
    exposure: {
      bytes: sum(ran.map((m) => m.exposure.bytes)),
      linkBytes: sum(ran.map((m) => m.exposure.linkBytes)),
      migrations: ran.filter((m) => m.exposure.bytes > 0).length,
    },
    sharedPages: {
      referenced: sum(ran.map((m) => m.sharedPages.referenced)),
      saved: sum(ran.map((m) => m.sharedPages.saved)),
      fetched: sum(ran.map((m) => m.sharedPages.fetched)),
    },
    coreBytesByClass: { migration: sum(ran.map((m) => m.coreBytes)), traffic: plan?.trafficCoreBytes ?? 0 },
    peakCoreUtilization: plan?.peakCoreUtilization ?? 0,
    ...(plan?.coreUtilization === undefined ? {} : { coreUtilization: plan.coreUtilization }),
    inFlight,
    maxInFlight: plan?.maxInFlight ?? 0,
    traffic: {
      flows: flows.length,
      payload: sum(flows.map((f) => f.bytes.payload)),
      wire: sum(flows.map((f) => f.bytes.wire)),
      coreBytes: plan?.trafficCoreBytes ?? 0,
      stalledTime: sum(flows.map((f) => f.stalledTime)),
    },
  };
}
