// `mignet run`: one scenario, its summary table or its results JSON.
import { runScenario } from '../engine/run-scenario.js';
import { formatSummary } from '../report/summary-table.js';
import { loadScenario } from './load-scenario.js';

export interface RunOptions {
  json?: boolean;
  seed?: number;
  quiet?: boolean;
}

export function runCommand(file: string | undefined, options: RunOptions): void {
  const results = runScenario(loadScenario(file, options.seed));
  if (options.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  else if (!options.quiet) process.stdout.write(`${formatSummary(results)}\n`);
}
