// `mignet run FILE --seeds N|A..B|A,B,C`: the scenario once per seed (ECMP hashing is the seed's; one seed is
// an anecdote), and the statistics of each figure over the seeds (study-rows.ts): a table of mean, p95 and
// worst, one line per figure, or with --json `{ scenario, seeds, statistics: { M_mean, M_p95, M_worst },
// runs: [{ seed, figures }] }`. The scenario's warnings are printed once.
import { DEFAULT_SCENARIO_FILE } from '../config/index.js';
import { loadScenario, loadScenarioWithWarnings } from './load-scenario.js';
import { runWithLimits } from './run-limits.js';
import { formatFigure, STUDY_COLUMNS, studyTotals, type Totals } from './study-metrics.js';
import { parseSeeds, seedStatistics, STATISTICS } from './study-rows.js';

export interface SeedRuns {
  scenario: string;
  seeds: number[];
  statistics: Record<string, number>;
  runs: { seed: number; figures: Totals }[];
}

export function runSeeds(file: string | undefined, seedsOption: string): SeedRuns {
  const seeds = parseSeeds(seedsOption);
  const name = file ?? DEFAULT_SCENARIO_FILE;
  const runs = seeds.map((seed, i) => {
    const scenario = i === 0 ? loadScenarioWithWarnings(file, seed).scenario : loadScenario(file, seed, { quiet: true });
    return { seed, figures: studyTotals(runWithLimits(scenario, name), scenario), name: scenario.name };
  });
  return {
    scenario: runs[0]?.name ?? '',
    seeds,
    statistics: seedStatistics(runs.map((run) => run.figures)),
    runs: runs.map(({ seed, figures }) => ({ seed, figures })),
  };
}

export function formatSeedRuns(result: SeedRuns): string {
  const rows = STUDY_COLUMNS.map((column) => [column, ...STATISTICS.map((statistic) => formatFigure(column, result.statistics[`${column}_${statistic}`] ?? NaN))]);
  const header = ['figure', ...STATISTICS];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: string[]): string => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  return [`scenario ${result.scenario}, seeds ${result.seeds.join(',')}`, '', line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
