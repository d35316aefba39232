// The figures of one run that compare and sweep put in their rows (CONTRACT.md, "Study workflow"), in SI base
// units: the summary's totals, then what a capacity plan asks besides time and downtime.
//
//   overLimit       completed migrations whose downtime exceeded their downtimeLimit
//   downtimeP95     the 95th percentile of the completed migrations' downtimes (nearest rank: the
//                   ⌈0.95·n⌉-th smallest; the largest when n < 20)
//   degradedTime    postcopy's degraded guest time (and a mirror's slowed writes), summed over migrations
//   faults          postcopy's demand faults, summed over migrations
//   stalledTime     time application flows spent stalled (no path, no capacity), summed over flows
//   energyMigration the energy the migrations caused, J (the same figure as energy_migration)
//
// A run in which no migration completed (every one refused or failed) has nothing to time: its time and
// downtime figures are NaN, not 0, so that a filter such as "maxDowntime < 0.3" or a sort by time never
// picks it as the best row (NaN compares false; sorted, it goes last).
import type { Scenario } from '../config/scenario.js';
import type { Results } from '../engine/results.js';
import { formatBytes, formatDuration, formatEnergy } from '../report/summary-table.js';

export const STUDY_COLUMNS = [
  'completed',
  'refused',
  'failed',
  'totalMigrationTime',
  'totalDowntime',
  'maxDowntime',
  'bytes_memory',
  'bytes_storage',
  'bytes_wire',
  'coreBytes',
  'energy_total',
  'lost',
  'energy_migration',
  'peakCoreUtilization',
  'maxInFlight',
  'overLimit',
  'downtimeP95',
  'degradedTime',
  'faults',
  'stalledTime',
  'energyMigration',
] as const;

export type StudyColumn = (typeof STUDY_COLUMNS)[number];
export type Totals = Record<StudyColumn, number>;

/** The columns that time something: NaN when nothing completed. */
const TIMED: readonly StudyColumn[] = ['totalMigrationTime', 'totalDowntime', 'maxDowntime', 'downtimeP95'];

/** A migration's downtime over its limit by more than this is over it: the clock's resolution. */
const OVER_LIMIT_TOLERANCE_S = 1e-9;

/** Nearest-rank percentile `p` (0..1) of `values`; NaN for none. */
export function nearestRank(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length))) - 1]!;
}

/**
 * The row figures of a run of `scenario`. Read through JSON first, so that a row rebuilt from a stored run
 * file (sweep --skip-existing) is byte for byte the row of the run that wrote it.
 */
export function studyTotals(results: Results, scenario: Scenario): Totals {
  const r = JSON.parse(JSON.stringify({ summary: results.summary, migrations: results.migrations })) as Pick<Results, 'summary' | 'migrations'>;
  const s = r.summary;
  const limitOf = new Map(scenario.migrations.map((m) => [m.vm, m.downtimeLimitS]));
  const completed = r.migrations.filter((m) => m.status === 'completed');
  const totals: Totals = {
    completed: s.completed,
    refused: s.refused,
    failed: s.failed,
    totalMigrationTime: s.totalMigrationTime,
    totalDowntime: s.totalDowntime,
    maxDowntime: s.maxDowntime,
    bytes_memory: s.bytes.memory,
    bytes_storage: s.bytes.storage,
    bytes_wire: s.bytes.wire,
    coreBytes: s.coreBytes,
    energy_total: s.energy.total,
    lost: s.lost,
    energy_migration: s.energy.migration,
    peakCoreUtilization: s.peakCoreUtilization,
    maxInFlight: s.maxInFlight,
    // A downtimeLimit of 0 is no target (src/migration/hypervisor.ts: Xen has none): never over it.
    overLimit: completed.filter((m) => m.downtime > (limitOf.get(m.vm) || Infinity) + OVER_LIMIT_TOLERANCE_S).length,
    downtimeP95: nearestRank(completed.map((m) => m.downtime), 0.95),
    degradedTime: r.migrations.reduce((sum, m) => sum + m.degradedTime, 0),
    faults: r.migrations.reduce((sum, m) => sum + m.faults, 0),
    stalledTime: s.traffic.stalledTime,
    energyMigration: s.energy.migration,
  };
  if (s.completed === 0) for (const column of TIMED) totals[column] = NaN;
  return totals;
}

const DURATIONS: ReadonlySet<StudyColumn> = new Set(['totalMigrationTime', 'totalDowntime', 'maxDowntime', 'downtimeP95', 'degradedTime', 'stalledTime']);

/** A figure in human units for the terminal; NaN (nothing completed) as a dash. */
export function formatFigure(column: StudyColumn, value: number): string {
  if (Number.isNaN(value)) return '-';
  if (DURATIONS.has(column)) return formatDuration(value);
  if (column.startsWith('bytes_') || column === 'coreBytes') return formatBytes(value);
  if (column.startsWith('energy')) return formatEnergy(value);
  if (column === 'peakCoreUtilization') return `${(value * 100).toFixed(1)} %`;
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}
