// The folder of `mignet run --out DIR` and its fixed file names (CONTRACT.md). DIR is created when missing;
// a DIR that cannot be created or written is an OutputDirError (the command line's fault, not the model's).
// Kept apart from write-outputs.ts so a command can check DIR without loading Vega.
import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const OUTPUT_FILES = ['results.json', 'migrations.csv', 'links.csv', 'hosts.csv', 'traffic.csv', 'link-utilization.csv', 'switches.csv', 'report.html'] as const;
export type OutputFile = (typeof OUTPUT_FILES)[number];

/** DIR cannot be created or written: the message names DIR and the system's reason. */
export class OutputDirError extends Error {}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EEXIST: 'exists and is not a folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'is a folder',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
};

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return (code === undefined ? undefined : REASONS[code]) ?? (error instanceof Error ? error.message : String(error));
}

/** Creates DIR if missing and checks it can be written. */
export function prepareOutputDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new OutputDirError(`--out ${dir}: cannot write there (${reason(error)})`);
  }
}

/** Creates DIR if missing and writes each file into it; returns their paths. */
export function writeOutputFiles(dir: string, files: ReadonlyMap<OutputFile, string>): string[] {
  prepareOutputDir(dir);
  return [...files].map(([name, text]) => {
    const path = join(dir, name);
    try {
      writeFileSync(path, text);
    } catch (error) {
      throw new OutputDirError(`--out ${dir}: cannot write ${name} (${reason(error)})`);
    }
    return path;
  });
}
