// One row of sweep.csv per run (src/report/csv.ts writes it): the run id, the value of each varied key as
// written on the command line, then the plan's totals from the results' summary in SI base units, with the
// CONTRACT.md names (nested ones flattened with an underscore, as run --out's CSV files do):
//
//   run,<key 1>,...,<key n>,completed,refused,failed,totalMigrationTime,totalDowntime,maxDowntime,
//   bytes_memory,bytes_storage,bytes_wire,coreBytes,energy_total,lost,energy_migration,peakCoreUtilization,
//   maxInFlight,error
//
// The columns after energy_total are additions beyond CONTRACT.md's summary: what a capacity plan asks
// besides time and downtime — VMs lost to faults, the energy migrations cost, how close the core came to
// full, and the concurrency reached.
//
// `error` is empty for a run that ran; a run whose scenario is invalid (a value the schema refuses, a key
// that does not fit the document), or that a limit of `limits` stopped, or that broke inside, has the
// message there and every total empty.
import type { Summary } from '../engine/results.js';
import { csvRecord, type CsvValue } from '../report/csv.js';

export const TOTAL_COLUMNS = [
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
] as const;

export type Totals = Record<(typeof TOTAL_COLUMNS)[number], number>;

/**
 * How a run ended: `ran`; `invalid` (the varied document is bad input, what `mignet run` exits 2 on);
 * `stopped` (a limit of `limits` stopped it, also exit 2 for `run`, but maxWallTime depends on the machine,
 * so such a run is not kept for --skip-existing); `internal` (a bug: the sweep exits 1).
 */
export type RunStatus = 'ran' | 'invalid' | 'stopped' | 'internal';

export interface SweepRow {
  index: number;
  run: string;
  texts: string[];
  status: RunStatus;
  totals?: Totals;
  error?: string;
}

export function sweepHeader(keys: readonly string[]): string {
  return csvRecord(['run', ...keys, ...TOTAL_COLUMNS, 'error']);
}

export function sweepRecord(row: SweepRow): string {
  const totals: CsvValue[] = TOTAL_COLUMNS.map((column) => row.totals?.[column]);
  // One line per record: a message of several problems keeps them apart with "; ".
  return csvRecord([row.run, ...row.texts, ...totals, row.error?.replaceAll('\n', '; ')]);
}

/**
 * The totals of a summary as they read back from a run file: through JSON, so that a row rebuilt from
 * runs/<id>.json by --skip-existing is byte for byte the row of the run that wrote it.
 */
export function totalsOf(summary: Summary): Totals {
  const s = JSON.parse(JSON.stringify(summary)) as Summary;
  return {
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
  };
}
