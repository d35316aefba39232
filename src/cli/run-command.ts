// `mignet run`: one scenario, its summary table or its results JSON.
import { DEFAULT_SCENARIO_FILE } from '../config/index.js';
import { formatSummary } from '../report/summary-table.js';
import { loadScenario } from './load-scenario.js';
import { runWithLimits } from './run-limits.js';

export interface RunOptions {
  json?: boolean;
  seed?: number;
  quiet?: boolean;
}

export function runCommand(file: string | undefined, options: RunOptions): void {
  const results = runWithLimits(loadScenario(file, options.seed), file ?? DEFAULT_SCENARIO_FILE);
  if (options.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  else if (!options.quiet) process.stdout.write(`${formatSummary(results)}\n`);
}
