// `mignet run`: one scenario, its summary table or its results JSON, and with `--out DIR` the results as
// files (results.json, migrations.csv, links.csv, hosts.csv, traffic.csv, report.html; src/report/).
import { DEFAULT_SCENARIO_FILE } from '../config/index.js';
import { writeStdout } from '../report/output-stream.js';
import { jsonDocumentChunks, resultsJsonChunks } from '../report/results-json.js';
import { formatSummary } from '../report/summary-table.js';
import { OUTPUT_FILES, OutputDirError, prepareOutputDir } from '../report/output-dir.js';
import { loadScenario } from './load-scenario.js';
import { runWithLimits } from './run-limits.js';
import { formatSeedRuns, runSeeds } from './run-seeds.js';
import { UsageError } from './usage-error.js';

export interface RunOptions {
  json?: boolean;
  /** indent the JSON (stdout and results.json) for reading; compact otherwise */
  pretty?: boolean;
  seed?: number;
  quiet?: boolean;
  out?: string;
  seeds?: string;
}

/** An --out DIR that cannot be written is a wrong command line: exit 2 with one line, no stack trace. */
async function onOutputDir<T>(step: () => T | Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw error instanceof OutputDirError ? new UsageError(error.message) : error;
  }
}

export async function runCommand(file: string | undefined, options: RunOptions): Promise<void> {
  if (options.seeds !== undefined) {
    if (options.seed !== undefined || options.out !== undefined) throw new UsageError('--seeds runs the scenario once per seed: it takes neither --seed nor --out');
    const result = runSeeds(file, options.seeds);
    if (options.json) writeStdout(jsonDocumentChunks(result, options.pretty));
    else if (!options.quiet) writeStdout(`${formatSeedRuns(result)}\n`);
    return;
  }
  const scenario = loadScenario(file, options.seed);
  const { out } = options;
  // Checked before the run, so a long run does not end in an unwritable folder.
  if (out !== undefined) await onOutputDir(() => prepareOutputDir(out));
  const results = runWithLimits(scenario, file ?? DEFAULT_SCENARIO_FILE);
  if (options.json) writeStdout(resultsJsonChunks(results, options.pretty));
  else if (!options.quiet) writeStdout(`${formatSummary(results, scenario.schedule)}\n`);
  if (out === undefined) return;
  // Loaded only here: Vega takes about 0.4 s to load, which a run without --out need not pay.
  const { writeOutputs } = await import('../report/write-outputs.js');
  await onOutputDir(() => writeOutputs(out, scenario, results, options.pretty));
  if (!options.json && !options.quiet) writeStdout(`\nwrote ${OUTPUT_FILES.join(', ')} to ${out}\n`);
}
