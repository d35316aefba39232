// `mignet run --out DIR`: the run's files, all rendered in memory first and then written, so a failure while
// rendering leaves no half-written folder. Names and folder handling: output-dir.ts.
import type { Scenario } from '../config/scenario.js';
import type { Results } from '../engine/results.js';
import { hostsCsv, linkUtilizationCsv, linksCsv, migrationsCsv, switchesCsv, trafficCsv } from './csv-tables.js';
import { renderHtmlReport } from './html-report.js';
import { writeOutputFiles, type OutputFile } from './output-dir.js';
import { formatResultsJson } from './results-json.js';

export async function renderOutputs(scenario: Scenario, results: Results): Promise<Map<OutputFile, string>> {
  return new Map<OutputFile, string>([
    ['results.json', formatResultsJson(results)],
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
export async function writeOutputs(dir: string, scenario: Scenario, results: Results): Promise<string[]> {
  return writeOutputFiles(dir, await renderOutputs(scenario, results));
}
