// The folder of `mignet run --out DIR` and its fixed file names (CONTRACT.md). DIR is created when missing;
// a DIR that cannot be created or written is an OutputDirError (the command line's fault, not the model's).
// Kept apart from write-outputs.ts so a command can check DIR without loading Vega.
import { accessSync, constants, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomically, writeReason } from './output-stream.js';

export const OUTPUT_FILES = ['results.json', 'migrations.csv', 'links.csv', 'hosts.csv', 'traffic.csv', 'link-utilization.csv', 'switches.csv', 'report.html'] as const;
export type OutputFile = (typeof OUTPUT_FILES)[number];

/** DIR cannot be created or written: the message names DIR and the system's reason. */
export class OutputDirError extends Error {}

/** Creates DIR if missing and checks it can be written. */
export function prepareOutputDir(dir: string): void {
  if (dir.trim() === '') throw new OutputDirError(`--out ${JSON.stringify(dir)}: an empty path (expected a folder)`);
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new OutputDirError(`--out ${dir}: cannot write there (${writeReason(error)})`);
  }
}

/** Creates DIR if missing and writes each file into it, each atomically (output-stream.ts: a failure leaves
 * the file's old complete version or none, and throws OutputWriteError naming it); returns their paths. */
export function writeOutputFiles(dir: string, files: ReadonlyMap<OutputFile, Iterable<string> | string>): string[] {
  prepareOutputDir(dir);
  return [...files].map(([name, chunks]) => {
    const path = join(dir, name);
    writeFileAtomically(path, chunks);
    return path;
  });
}
