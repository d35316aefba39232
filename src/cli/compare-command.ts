// `mignet compare FILE --vary KEY=V1,V2,...`: the scenario once per value of KEY (vary.ts), one row per value
// with the plan's totals — migrations completed and refused, first start to last end, the sum and the maximum
// of the downtimes, wire bytes, core bytes — or with `--json` the array of results, each with the value it
// ran with (`vary: { key, value }`). Every variant is validated before any runs, so a bad value exits 2
// without output.
import type { Scenario } from '../config/scenario.js';
import { parseScenarioDocument, readScenarioDocument } from '../config/index.js';
import type { Results } from '../engine/results.js';
import { formatBytes, formatDuration } from '../report/summary-table.js';
import { runWithLimits } from './run-limits.js';
import { parseVariation, withValueAt } from './vary.js';

export interface CompareOptions {
  vary: string;
  json?: boolean;
  seed?: number;
}

/** A run of the comparison: the value it varied, and its results. */
export type ComparedResults = Results & { vary: { key: string; value: unknown } };

export function compareScenarios(file: string, options: CompareOptions): ComparedResults[] {
  const variation = parseVariation(options.vary);
  const document = readScenarioDocument(file);
  if (options.seed !== undefined) document.seed = options.seed;
  const scenarios: Scenario[] = variation.values.map((value) =>
    parseScenarioDocument(withValueAt(document, variation.path, value, file), file),
  );
  return scenarios.map((scenario, i) => ({
    ...runWithLimits(scenario, file),
    vary: { key: variation.key, value: variation.values[i] },
  }));
}

export function compareCommand(file: string, options: CompareOptions): void {
  const runs = compareScenarios(file, options);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
    return;
  }
  process.stdout.write(`${formatComparison(runs)}\n`);
}

/** One row per run: the value, then the plan's totals in human units. */
export function formatComparison(runs: readonly ComparedResults[]): string {
  const key = runs[0]?.vary.key ?? 'value';
  const header = [key, 'migrations', 'total time', 'downtime (sum)', 'downtime (max)', 'wire', 'core'];
  const rows = runs.map((run) => {
    const s = run.summary;
    const value = typeof run.vary.value === 'string' ? run.vary.value : JSON.stringify(run.vary.value);
    const refused = s.refused + s.failed > 0 ? ` (${s.refused} refused, ${s.failed} failed)` : '';
    return [
      value,
      `${s.completed}${refused}`,
      formatDuration(s.totalMigrationTime),
      formatDuration(s.totalDowntime),
      formatDuration(s.maxDowntime),
      formatBytes(s.bytes.wire),
      formatBytes(s.coreBytes),
    ];
  });
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd();
  return [`scenario ${runs[0]?.scenario ?? ''}, varying ${key}`, '', line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
