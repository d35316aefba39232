// One row of sweep.csv per run (src/report/csv.ts writes it): the run id, the value of each varied key as
// written on the command line, then the run's figures in SI base units (study-metrics.ts: the summary's
// totals with the CONTRACT.md names, nested ones flattened with an underscore as run --out's CSV files do,
// then the study columns), then `error`:
//
//   run,<key 1>,...,<key n>,completed,refused,failed,totalMigrationTime,totalDowntime,maxDowntime,
//   bytes_memory,bytes_storage,bytes_wire,coreBytes,energy_total,lost,energy_migration,peakCoreUtilization,
//   maxInFlight,overLimit,downtimeP95,degradedTime,faults,stalledTime,energyMigration,error
//
// `error` is empty for a run that ran; a run whose scenario is invalid (a value the schema refuses, a key
// that does not fit the document), or that a limit of `limits` stopped, or that broke inside, has the
// message there and every total empty.
import { csvRecord, type CsvValue } from '../report/csv.js';
import { STUDY_COLUMNS, type Totals } from './study-metrics.js';

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
  return csvRecord(['run', ...keys, ...STUDY_COLUMNS, 'error']);
}

export function sweepRecord(row: SweepRow): string {
  const totals: CsvValue[] = STUDY_COLUMNS.map((column) => row.totals?.[column]);
  // One line per record: a message of several problems keeps them apart with "; ".
  return csvRecord([row.run, ...row.texts, ...totals, row.error?.replaceAll('\n', '; ')]);
}
