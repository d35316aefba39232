// `mignet compare FILE --vary KEY=V1,V2,... [--vary ...] [--seeds N] [--where EXPR] [--sort KEY] [--json]`:
// the scenario once per value — with several --vary, once per combination of their values, the first varying
// slowest, as sweep does (sweep-grid.ts) — one row per run with the plan's figures (study-metrics.ts), or with
// --json the array of results, each with the value(s) it ran with. A value the scenario refuses does not stop
// the others, as in sweep: its row says why, stderr counts such rows, and the exit code is 2 only when no
// value was valid. With --seeds each row is the statistics over the seeds (study-rows.ts).
import type { Scenario } from '../config/scenario.js';
import { ConfigError, formatConfigError, parseScenarioDocument, readScenarioDocument } from '../config/index.js';
import { formatWarnings, scenarioWarnings } from '../config/warnings.js';
import type { Results } from '../engine/results.js';
import { runWithLimits } from './run-limits.js';
import { formatFigure, STUDY_COLUMNS, studyTotals, type StudyColumn } from './study-metrics.js';
import { parseSeeds, SEED_COLUMNS, seedStatistics, selectRows } from './study-rows.js';
import { SweepGrid } from './sweep-grid.js';
import { UsageError } from './usage-error.js';
import { parseVariation, withValueAt } from './vary.js';

export interface CompareOptions {
  /** one `KEY=V1,V2` or several (repeated --vary) */
  vary: string | string[];
  json?: boolean;
  seed?: number;
  seeds?: string;
  where?: string;
  sort?: string;
}

/** A key and the value it had in a run. */
export interface VaryValue {
  key: string;
  value: unknown;
}

/** A row of the comparison: the values it varied (one `{key, value}`, or a list with several --vary), and its
 * results (one seed), its statistics over seeds, or why it did not run. */
export interface CompareRow {
  vary: VaryValue | VaryValue[];
  texts: string[];
  /** the figures of the row: study columns for one seed, M_mean/M_p95/M_worst with --seeds */
  values?: Record<string, number>;
  results?: Results;
  seeds?: number[];
  /** why the row did not run: the scenario's problems with this value, as printed */
  error?: string;
  problem?: ConfigError;
}

/** A run of the comparison (one seed): the value it varied, and its results. */
export type ComparedResults = Results & { vary: VaryValue | VaryValue[] };

function runOne(document: Record<string, unknown>, file: string, warn: (text: string) => void): { scenario: Scenario; results: Results } {
  const scenario = parseScenarioDocument(document, file);
  warn(formatWarnings(file, scenarioWarnings(document, scenario)));
  return { scenario, results: runWithLimits(scenario, file) };
}

/** Every row, in run order, before --where and --sort. `warn` gets each distinct warning once. */
export function compareRows(file: string, options: CompareOptions, warn: (text: string) => void = () => undefined): CompareRow[] {
  const grid = new SweepGrid((typeof options.vary === 'string' ? [options.vary] : options.vary).map(parseVariation));
  const seeds = options.seeds === undefined ? undefined : parseSeeds(options.seeds);
  const document = readScenarioDocument(file);
  if (options.seed !== undefined) document.seed = options.seed;
  const seen = new Set<string>();
  const warnOnce = (text: string): void => {
    for (const line of text.split('\n').filter((l) => l !== '' && !seen.has(l))) {
      seen.add(line);
      warn(`${line}\n`);
    }
  };
  return Array.from({ length: grid.total }, (_, index) => {
    const settings = grid.settings(index);
    const vary: VaryValue[] = grid.axes.map((axis, a) => ({ key: axis.key, value: settings[a]!.value }));
    const row: CompareRow = { vary: vary.length === 1 ? vary[0]! : vary, texts: grid.texts(index).map(({ text }) => text) };
    try {
      const varied = settings.reduce((doc, { path, value }) => withValueAt(doc, path, value, file), document);
      if (seeds === undefined) {
        const { scenario, results } = runOne(varied, file, warnOnce);
        return { ...row, results, values: studyTotals(results, scenario) };
      }
      const perSeed = seeds.map((seed) => {
        const { scenario, results } = runOne({ ...varied, seed }, file, warnOnce);
        return studyTotals(results, scenario);
      });
      return { ...row, seeds, values: seedStatistics(perSeed) };
    } catch (error) {
      if (error instanceof ConfigError) return { ...row, error: formatConfigError(error), problem: error };
      throw error;
    }
  });
}

/** The rows --where and --sort keep, in their order. */
function selected(rows: readonly CompareRow[], options: CompareOptions): CompareRow[] {
  const columns = options.seeds === undefined ? STUDY_COLUMNS : SEED_COLUMNS;
  return selectRows(rows, (row) => row.values, columns, options.where, options.sort);
}

/** The runs of a comparison of one seed each, as `--json` prints them; throws the first row's problem when
 * no value was valid. */
export function compareScenarios(file: string, options: Omit<CompareOptions, 'seeds'>): ComparedResults[] {
  const rows = compareRows(file, options);
  const problem = rows.find((row) => row.problem !== undefined)?.problem;
  if (problem !== undefined && rows.every((row) => row.problem !== undefined)) throw problem;
  return selected(rows, options).flatMap((row) => (row.results === undefined ? [] : [{ ...row.results, vary: row.vary }]));
}

export function compareCommand(file: string, options: CompareOptions): void {
  const all = compareRows(file, options, (text) => process.stderr.write(text));
  const rows = selected(all, options);
  if (options.json) {
    const entries = rows.map((row) =>
      row.error !== undefined ? { vary: row.vary, error: row.error } : row.results !== undefined ? { ...row.results, vary: row.vary } : { vary: row.vary, seeds: row.seeds, statistics: row.values },
    );
    process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
  } else {
    process.stdout.write(`${formatComparison(rows, options.seeds !== undefined)}\n`);
  }
  const invalid = all.filter((row) => row.error !== undefined);
  if (invalid.length === 0) return;
  const first = (invalid[0]!.error ?? '').split('\n')[0];
  if (invalid.length === all.length) throw new UsageError(`no value of the comparison was valid; the first: ${first}`);
  process.stderr.write(`mignet: ${invalid.length} of ${all.length} runs invalid (their rows say why); the first: ${first}\n`);
}

/** The figures the table shows (every one is in --json and usable by --where and --sort). */
const SHOWN: readonly { title: string; column: StudyColumn }[] = [
  { title: 'total time', column: 'totalMigrationTime' },
  { title: 'downtime (sum)', column: 'totalDowntime' },
  { title: 'downtime (max)', column: 'maxDowntime' },
  { title: 'downtime p95', column: 'downtimeP95' },
  { title: 'over limit', column: 'overLimit' },
  { title: 'degraded', column: 'degradedTime' },
  { title: 'stalled', column: 'stalledTime' },
  { title: 'wire', column: 'bytes_wire' },
  { title: 'core', column: 'coreBytes' },
  { title: 'migration energy', column: 'energyMigration' },
];

/** With --seeds the table shows fewer figures, each as mean, p95 and worst. */
const SHOWN_OVER_SEEDS: readonly StudyColumn[] = ['totalMigrationTime', 'maxDowntime', 'overLimit'];

/** One row per run: the values, then the plan's figures in human units. */
export function formatComparison(rows: readonly CompareRow[], overSeeds = false): string {
  const keys = rows[0] === undefined ? ['value'] : (Array.isArray(rows[0].vary) ? rows[0].vary : [rows[0].vary]).map((v) => v.key);
  const shown = overSeeds
    ? SHOWN.filter((s) => SHOWN_OVER_SEEDS.includes(s.column)).flatMap((s) => (['mean', 'p95', 'worst'] as const).map((statistic) => ({ ...s, title: `${s.title} ${statistic}`, key: `${s.column}_${statistic}` })))
    : SHOWN.map((s) => ({ ...s, key: s.column as string }));
  const header = [...keys, 'migrations', ...shown.map((s) => s.title)];
  const lines = rows.map((row) => {
    if (row.values === undefined) return [...row.texts, `invalid: ${(row.error ?? '').split('\n')[0]}`];
    const v = row.values;
    const completed = overSeeds ? v.completed_worst! : v.completed!;
    const notDone = overSeeds ? (v.refused_worst ?? 0) + (v.failed_worst ?? 0) : (v.refused ?? 0) + (v.failed ?? 0);
    const refused = notDone > 0 ? ` (${overSeeds ? 'worst seed: ' : ''}${overSeeds ? v.refused_worst : v.refused} refused, ${overSeeds ? v.failed_worst : v.failed} failed)` : '';
    return [...row.texts, `${completed}${refused}${completed === 0 ? ' none completed' : ''}`, ...shown.map((s) => formatFigure(s.column, v[s.key] ?? NaN))];
  });
  const widths = header.map((h, c) => Math.max(h.length, ...lines.filter((r) => r.length === header.length).map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.map((text, c) => (c < keys.length || cells.length !== header.length ? text.padEnd(widths[c] ?? 0) : text.padStart(widths[c]!))).join('  ').trimEnd();
  const scenario = rows.find((row) => row.results !== undefined)?.results?.scenario;
  const seeds = overSeeds ? `, over seeds ${rows.find((row) => row.seeds !== undefined)?.seeds?.join(',') ?? ''}` : '';
  const title = `${scenario === undefined ? '' : `scenario ${scenario}, `}varying ${keys.join(', ')}${seeds}`;
  return [title, '', line(header), line(widths.map((w) => '-'.repeat(w))), ...lines.map(line)].join('\n');
}
