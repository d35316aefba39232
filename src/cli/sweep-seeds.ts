// `mignet sweep --seeds`: the seeds are one more axis of the grid, the last and fastest-varying, at the key
// `seed` (so every run is still one scenario with one seed: its run file, shard, --skip-existing and merge
// work as for any axis), and the runs of one combination of the other keys are then folded into one row of
// statistics (study-rows.ts seedStatistics): the other keys' values, `seeds`, and M_mean, M_p95, M_worst for
// each figure M, then `error` (the first seed's problem when a run of the row did not run; its figures empty).
import { csvRecord } from '../report/csv.js';
import type { GridAxis } from './sweep-grid.js';
import type { SweepRow } from './sweep-row.js';
import { SEED_COLUMNS, seedStatistics } from './study-rows.js';

/** DIR/seeds.csv, beside sweep.csv's run per seed. */
export const SEEDS_CSV = 'seeds.csv';

export function seedAxis(seeds: readonly number[]): GridAxis {
  return { key: 'seed', path: ['seed'], texts: seeds.map(String), values: [...seeds] };
}

export interface SeedRow {
  /** the values of the varied keys but the seed, as written */
  texts: string[];
  seeds: string[];
  values?: Record<string, number>;
  error?: string;
}

/** The rows of the whole grid (run-id order, the seed fastest), one per combination of the other keys. A
 * combination some of whose seeds are missing (another shard ran them) gets no row. */
export function seedRows(rows: readonly SweepRow[], seedCount: number): SeedRow[] {
  const groups = new Map<number, SweepRow[]>();
  for (const row of rows) {
    const group = Math.floor(row.index / seedCount);
    groups.set(group, [...(groups.get(group) ?? []), row]);
  }
  return [...groups.values()]
    .filter((group) => group.length === seedCount)
    .map((group) => {
      const first = group[0]!;
      const base = { texts: first.texts.slice(0, -1), seeds: group.map((row) => row.texts[row.texts.length - 1]!) };
      const failed = group.find((row) => row.totals === undefined);
      if (failed !== undefined) return { ...base, error: `seed ${failed.texts[failed.texts.length - 1]}: ${failed.error ?? failed.status}` };
      return { ...base, values: seedStatistics(group.map((row) => row.totals!)) };
    });
}

export function seedHeader(keys: readonly string[]): string {
  return csvRecord([...keys, 'seeds', ...SEED_COLUMNS, 'error']);
}

export function seedRecord(row: SeedRow): string {
  return csvRecord([...row.texts, row.seeds.join(' '), ...SEED_COLUMNS.map((column) => row.values?.[column]), row.error?.replaceAll('\n', '; ')]);
}
