// `mignet run --out DIR`: the run's files, all rendered in memory first and then written, so a failure while
// rendering leaves no half-written folder. File names are fixed (CONTRACT.md). DIR is created when missing;
// a DIR that cannot be created or written is an OutputDirError (the command line's fault, not the model's).
import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from '../config/scenario.js';
import type { Results } from '../engine/results.js';
import { hostsCsv, linksCsv, migrationsCsv, trafficCsv } from './csv-tables.js';
import { renderHtmlReport } from './html-report.js';
import { formatResultsJson } from './results-json.js';

export const OUTPUT_FILES = ['results.json', 'migrations.csv', 'links.csv', 'hosts.csv', 'traffic.csv', 'report.html'] as const;
export type OutputFile = (typeof OUTPUT_FILES)[number];

/** DIR cannot be created or written: the message names DIR and the system's reason. */
export class OutputDirError extends Error {}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const known: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EEXIST: 'exists and is not a folder',
    ENOTDIR: 'a part of the path is a file, not a folder',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on device',
  };
  return (code === undefined ? undefined : known[code]) ?? (error instanceof Error ? error.message : String(error));
}

/** Creates DIR if missing and checks it can be written, before a long run rather than after. */
export function prepareOutputDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new OutputDirError(`--out ${dir}: cannot write there (${reason(error)})`);
  }
}

export async function renderOutputs(scenario: Scenario, results: Results): Promise<Map<OutputFile, string>> {
  return new Map<OutputFile, string>([
    ['results.json', formatResultsJson(results)],
    ['migrations.csv', migrationsCsv(results)],
    ['links.csv', linksCsv(results)],
    ['hosts.csv', hostsCsv(results)],
    ['traffic.csv', trafficCsv(results)],
    ['report.html', await renderHtmlReport(scenario, results)],
  ]);
}

/** Writes every file of `--out DIR` (creating DIR); returns their paths. */
export async function writeOutputs(dir: string, scenario: Scenario, results: Results): Promise<string[]> {
  const files = await renderOutputs(scenario, results);
  prepareOutputDir(dir);
  const paths: string[] = [];
  for (const [name, text] of files) {
    const path = join(dir, name);
    try {
      writeFileSync(path, text);
    } catch (error) {
      throw new OutputDirError(`--out ${dir}: cannot write ${name} (${reason(error)})`);
    }
    paths.push(path);
  }
  return paths;
}
