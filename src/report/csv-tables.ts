// The CSV files of `mignet run --out DIR`: one row per migration, directed link, host and application flow,
// with the names and SI base units of the results JSON (CONTRACT.md); nested byte counts are flattened
// with an underscore (bytes.memory → bytes_memory, sharedPages.saved → sharedPages_saved). Headers, in order:
//
//   migrations.csv  vm,from,to,strategy,status,reason,start,end,totalTime,downtime,rounds,bytes_memory,
//                   bytes_storage,bytes_wire,degradedTime,energy,coreBytes,sharedPages_referenced,
//                   sharedPages_saved,sharedPages_fetched,faults,faultWait,precopyStop,exposure_bytes,
//                   exposure_linkBytes,energyEstimates_liu,energyEstimates_strunk
//   links.csv       id,from,to,bytes,peakUtilization
//   hosts.csv       id,energy,migrationEnergy
//   traffic.csv     from,to,start,end,bytes_payload,bytes_wire,stalledTime
//   link-utilization.csv  series,start,end,mean,peak
//   switches.csv    id,ports,forwarded,energy   (rows only with `switches` power in the scenario)
//
// link-utilization.csv is long-form: one row per bin of each utilization series in the results
// (links[].utilization, then summary.coreUtilization), `series` being the link id, or `core` for all core
// links together (link ids always contain "->"); start and end in s, mean and peak 0..1, the last bin of a
// series ending at the run's end.
//
// CONTRACT.md's fields come first, in its order; then the additions of src/engine/results.ts. Units: s for
// times, B for bytes, J for energy, 0..1 for utilization, counts for rounds and faults. `reason` is empty
// unless the migration was refused or failed; `precopyStop` is empty unless it had a precopy phase; an energy
// estimate is empty unless the scenario gives its coefficients. The per-phase trace (migrations[].phases) and
// each host's power over time (hosts[].power) are not flattened: they are in results.json.
import type { LinkResult, MigrationResult, Results, TrafficResult } from '../engine/results.js';
import type { SwitchResult } from '../engine/network-energy.js';
import type { UtilizationSeries } from '../transport/utilization-bins.js';
import { formatCsv, type CsvColumn } from './csv.js';

type HostResult = Results['hosts'][number];

export const MIGRATION_COLUMNS: readonly CsvColumn<MigrationResult>[] = [
  { name: 'vm', value: (m) => m.vm },
  { name: 'from', value: (m) => m.from },
  { name: 'to', value: (m) => m.to },
  { name: 'strategy', value: (m) => m.strategy },
  { name: 'status', value: (m) => m.status },
  { name: 'reason', value: (m) => m.reason },
  { name: 'start', value: (m) => m.start },
  { name: 'end', value: (m) => m.end },
  { name: 'totalTime', value: (m) => m.totalTime },
  { name: 'downtime', value: (m) => m.downtime },
  { name: 'rounds', value: (m) => m.rounds },
  { name: 'bytes_memory', value: (m) => m.bytes.memory },
  { name: 'bytes_storage', value: (m) => m.bytes.storage },
  { name: 'bytes_wire', value: (m) => m.bytes.wire },
  { name: 'degradedTime', value: (m) => m.degradedTime },
  { name: 'energy', value: (m) => m.energy },
  // additions beyond CONTRACT.md (see src/engine/results.ts)
  { name: 'coreBytes', value: (m) => m.coreBytes },
  { name: 'sharedPages_referenced', value: (m) => m.sharedPages.referenced },
  { name: 'sharedPages_saved', value: (m) => m.sharedPages.saved },
  { name: 'sharedPages_fetched', value: (m) => m.sharedPages.fetched },
  { name: 'faults', value: (m) => m.faults },
  { name: 'faultWait', value: (m) => m.faultWait },
  { name: 'precopyStop', value: (m) => m.precopyStop },
  { name: 'exposure_bytes', value: (m) => m.exposure.bytes },
  { name: 'exposure_linkBytes', value: (m) => m.exposure.linkBytes },
  { name: 'energyEstimates_liu', value: (m) => m.energyEstimates?.liu },
  { name: 'energyEstimates_strunk', value: (m) => m.energyEstimates?.strunk },
];

export const LINK_COLUMNS: readonly CsvColumn<LinkResult>[] = [
  { name: 'id', value: (l) => l.id },
  { name: 'from', value: (l) => l.from },
  { name: 'to', value: (l) => l.to },
  { name: 'bytes', value: (l) => l.bytes },
  { name: 'peakUtilization', value: (l) => l.peakUtilization },
];

export const HOST_COLUMNS: readonly CsvColumn<HostResult>[] = [
  { name: 'id', value: (h) => h.id },
  { name: 'energy', value: (h) => h.energy },
  { name: 'migrationEnergy', value: (h) => h.migrationEnergy },
];

export const TRAFFIC_COLUMNS: readonly CsvColumn<TrafficResult>[] = [
  { name: 'from', value: (t) => t.from },
  { name: 'to', value: (t) => t.to },
  { name: 'start', value: (t) => t.start },
  { name: 'end', value: (t) => t.end },
  { name: 'bytes_payload', value: (t) => t.bytes.payload },
  { name: 'bytes_wire', value: (t) => t.bytes.wire },
  { name: 'stalledTime', value: (t) => t.stalledTime },
];

export function migrationsCsv(results: Results): string {
  return formatCsv(MIGRATION_COLUMNS, results.migrations);
}

export function linksCsv(results: Results): string {
  return formatCsv(LINK_COLUMNS, results.links);
}

export const SWITCH_COLUMNS: readonly CsvColumn<SwitchResult>[] = [
  { name: 'id', value: (s) => s.id },
  { name: 'ports', value: (s) => s.ports },
  { name: 'forwarded', value: (s) => s.forwarded },
  { name: 'energy', value: (s) => s.energy },
];

export function switchesCsv(results: Results): string {
  return formatCsv(SWITCH_COLUMNS, results.switches ?? []);
}

export function hostsCsv(results: Results): string {
  return formatCsv(HOST_COLUMNS, results.hosts);
}

export function trafficCsv(results: Results): string {
  return formatCsv(TRAFFIC_COLUMNS, results.traffic);
}

interface UtilizationRow {
  series: string;
  start: number;
  end: number;
  mean: number;
  peak: number;
}

const UTILIZATION_COLUMNS: readonly CsvColumn<UtilizationRow>[] = [
  { name: 'series', value: (r) => r.series },
  { name: 'start', value: (r) => r.start },
  { name: 'end', value: (r) => r.end },
  { name: 'mean', value: (r) => r.mean },
  { name: 'peak', value: (r) => r.peak },
];

/** The `series` name of summary.coreUtilization in link-utilization.csv. */
export const CORE_SERIES = 'core';

export function linkUtilizationCsv(results: Results): string {
  const endS = results.run.simulatedTime;
  const series: [string, UtilizationSeries][] = results.links.flatMap((l) => (l.utilization === undefined ? [] : [[l.id, l.utilization] as [string, UtilizationSeries]]));
  if (results.summary.coreUtilization !== undefined) series.push([CORE_SERIES, results.summary.coreUtilization]);
  const rows = series.flatMap(([name, { interval, mean, peak }]) =>
    mean.map((value, bin) => ({ series: name, start: bin * interval, end: Math.min(endS, (bin + 1) * interval), mean: value, peak: peak[bin]! })),
  );
  return formatCsv(UTILIZATION_COLUMNS, rows);
}
