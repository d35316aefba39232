// Runs the built `mignet` (dist/, built once by test/global-setup.ts) the way a user's script does, for the
// test files that check the command line from the outside.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = join(ROOT, 'dist/cli/main.js');

/** A stack frame line, as Node prints them: `    at fn (file.js:12:34)`. */
export const STACK_FRAME = /^\s+at .*:\d+:\d+/m;

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], cwd = ROOT): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    // MIGNET_DEBUG would turn internal errors into stack traces; make sure it is off.
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, MIGNET_DEBUG: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Describes a run for assertion messages. */
export function shown(result: CliResult): string {
  return `exit ${result.status}\n--- stdout\n${result.stdout.slice(0, 2000)}\n--- stderr\n${result.stderr}`;
}
