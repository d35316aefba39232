// What compare and sweep do with their rows beyond running them (CONTRACT.md, "Study workflow"):
// - `--seeds N` (seeds 1..N), `--seeds A..B` or `--seeds A,B,C`: each row is run once per seed and its figures
//   become, for each figure M, `M_mean`, `M_p95` (nearest rank over the seeds) and `M_worst` — the largest for
//   every figure (times, downtimes, bytes, energy, counts of refused, failed, lost or over-limit migrations)
//   but `completed`, whose worst is the smallest. One seed is an anecdote: ECMP hashing alone moves the worst
//   downtime of a bounded evacuation by an order of magnitude.
// - `--where EXPR`: rows whose figures satisfy every comparison of EXPR, `NAME<VALUE` joined by `,` (and),
//   with <, <=, >, >=, = or !=; a NaN figure (nothing completed) satisfies none.
// - `--sort KEY`: ascending by the figure KEY, `-KEY` descending; NaN last either way; ties keep run order.
import { closest } from '../config/fields.js';
import { nearestRank, STUDY_COLUMNS, type Totals } from './study-metrics.js';
import { UsageError } from './usage-error.js';

/** The most seeds one option may ask for: more is a typo (a million seeds of one scenario). */
const MAX_SEEDS = 10_000;

export function parseSeeds(text: string): number[] {
  const fail = (): never => {
    throw new UsageError(`--seeds ${JSON.stringify(text)}: expected N (seeds 1..N), A..B, or a list A,B,C of seeds from 0 to 4294967295`);
  };
  const seed = (part: string): number => {
    if (!/^\d+$/.test(part.trim())) fail();
    const value = Number(part.trim());
    if (value > 2 ** 32 - 1) fail();
    return value;
  };
  const range = /^\s*(\d+)\s*\.\.\s*(\d+)\s*$/.exec(text);
  let seeds: number[];
  if (range !== null) {
    const [from, to] = [seed(range[1]!), seed(range[2]!)];
    if (to < from || to - from + 1 > MAX_SEEDS) fail();
    seeds = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  } else if (text.includes(',')) {
    seeds = text.split(',').map(seed);
  } else {
    const count = seed(text);
    if (count < 1 || count > MAX_SEEDS) fail();
    seeds = Array.from({ length: count }, (_, i) => i + 1);
  }
  if (new Set(seeds).size !== seeds.length) throw new UsageError(`--seeds ${JSON.stringify(text)}: a seed is listed twice (expected distinct seeds)`);
  return seeds;
}

export const STATISTICS = ['mean', 'p95', 'worst'] as const;

/** The column names of rows over seeds: M_mean, M_p95, M_worst for each figure M. */
export const SEED_COLUMNS: readonly string[] = STUDY_COLUMNS.flatMap((column) => STATISTICS.map((statistic) => `${column}_${statistic}`));

/** The statistics over seeds of each figure. NaN figures (a seed in which nothing completed) make the mean and
 * the p95 NaN, and the worst NaN too: such a row is never the best one. */
export function seedStatistics(perSeed: readonly Totals[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const column of STUDY_COLUMNS) {
    const values = perSeed.map((totals) => totals[column]);
    const nan = values.some(Number.isNaN);
    out[`${column}_mean`] = values.reduce((sum, v) => sum + v, 0) / values.length;
    out[`${column}_p95`] = nan ? NaN : nearestRank(values, 0.95);
    out[`${column}_worst`] = nan ? NaN : column === 'completed' ? Math.min(...values) : Math.max(...values);
  }
  return out;
}

type Comparison = '<' | '<=' | '>' | '>=' | '=' | '!=';

const TESTS: Record<Comparison, (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '=': (a, b) => a === b,
  '!=': (a, b) => !Number.isNaN(a) && a !== b,
};

function checkColumn(option: string, name: string, columns: readonly string[]): string {
  if (columns.includes(name)) return name;
  const guess = closest(name, columns);
  throw new UsageError(`${option}: unknown column "${name}" (${guess === undefined ? '' : `did you mean "${guess}"? `}expected one of: ${columns.join(', ')})`);
}

/** A row filter from `--where EXPR`; `columns` are the names the rows have. */
export function parseWhere(expression: string, columns: readonly string[]): (values: Record<string, number>) => boolean {
  const tests = expression.split(',').map((part) => {
    const match = /^\s*([A-Za-z_][\w.]*)\s*(<=|>=|!=|==|<|>|=)\s*([^\s]+)\s*$/.exec(part);
    const bound = match === null ? NaN : Number(match[3]);
    if (match === null || !Number.isFinite(bound)) {
      throw new UsageError(`--where ${JSON.stringify(part.trim())}: expected NAME<VALUE with <, <=, >, >=, = or != and a number in SI base units (e.g. maxDowntime<0.3), joined by commas`);
    }
    const column = checkColumn('--where', match[1]!, columns);
    const test = TESTS[(match[2] === '==' ? '=' : match[2]) as Comparison];
    return (values: Record<string, number>) => test(values[column] ?? NaN, bound);
  });
  return (values) => tests.every((test) => test(values));
}

/** A row order from `--sort KEY` (ascending) or `--sort -KEY` (descending). */
export function parseSort(key: string, columns: readonly string[]): (a: Record<string, number>, b: Record<string, number>) => number {
  const descending = key.startsWith('-');
  const column = checkColumn('--sort', descending ? key.slice(1) : key, columns);
  return (a, b) => {
    const [x, y] = [a[column] ?? NaN, b[column] ?? NaN];
    if (Number.isNaN(x) || Number.isNaN(y)) return Number(Number.isNaN(x)) - Number(Number.isNaN(y));
    return descending ? y - x : x - y;
  };
}

/** Rows that pass `--where`, in `--sort` order (stable), each with its figures as `values`. */
export function selectRows<Row>(rows: readonly Row[], valuesOf: (row: Row) => Record<string, number> | undefined, columns: readonly string[], where?: string, sort?: string): Row[] {
  const keep = where === undefined ? undefined : parseWhere(where, columns);
  const order = sort === undefined ? undefined : parseSort(sort, columns);
  // A row without figures (an invalid run) passes no --where, and sorts last.
  const selected = keep === undefined ? [...rows] : rows.filter((row) => {
    const values = valuesOf(row);
    return values !== undefined && keep(values);
  });
  if (order === undefined) return selected;
  const missing = (row: Row): number => Number(valuesOf(row) === undefined);
  return selected
    .map((row, position) => ({ row, position }))
    .sort((a, b) => missing(a.row) - missing(b.row) || order(valuesOf(a.row) ?? {}, valuesOf(b.row) ?? {}) || a.position - b.position)
    .map(({ row }) => row);
}

