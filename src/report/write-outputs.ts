// `mignet run --out DIR`: the run's files, the tables and the report rendered in memory first and then
// written (results.json streamed in pieces as it is written), so a failure while rendering leaves no
// half-written folder. Names and folder handling: output-dir.ts; atomic writes: output-stream.ts.
import type { Scenario } from '../config/scenario.js';
import type { Results } from '../engine/results.js';
import { hostsCsv, linkUtilizationCsv, linksCsv, migrationsCsv, switchesCsv, trafficCsv } from './csv-tables.js';
import { renderHtmlReport } from './html-report.js';
import { writeOutputFiles, type OutputFile } from './output-dir.js';
import { resultsJsonChunks } from './results-json.js';

export async function renderOutputs(scenario: Scenario, results: Results, pretty = false): Promise<Map<OutputFile, Iterable<string> | string>> {
  return new Map<OutputFile, Iterable<string> | string>([
    ['results.json', resultsJsonChunks(results, pretty)],
    ['migrations.csv', migrationsCsv(results)],
    ['links.csv', linksCsv(results)],
    ['hosts.csv', hostsCsv(results)],
    ['traffic.csv', trafficCsv(results)],
    ['link-utilization.csv', linkUtilizationCsv(results)],
    ['switches.csv', switchesCsv(results)],
    ['report.html', await renderHtmlReport(scenario, results)],
  ]);
}

/** Renders and writes every file of `--out DIR` (creating DIR); returns their paths. */
export async function writeOutputs(dir: string, scenario: Scenario, results: Results, pretty = false): Promise<string[]> {
  return writeOutputFiles(dir, await renderOutputs(scenario, results, pretty));
}
