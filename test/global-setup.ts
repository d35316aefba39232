// Vitest's global setup: builds dist/ once, before any test file runs, for the test files that spawn the
// `mignet` command as users run it (test/cli/cli.test.ts, test/cli/sweep.test.ts, test/report/run-out.test.ts):
// `npx tsc -p tsconfig.build.json`, skipped when dist/cli/main.js is newer than every file the build reads.
// tsc exits 0 when clean and 2 when it found type errors but still wrote every output file (TypeScript's
// DiagnosticsPresent_OutputsGenerated): type errors are the business of `npm test`'s `tsc --noEmit`, the
// CLI's behaviour the tests'. Any other exit, or no fresh dist/cli/main.js, stops the run with tsc's messages.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist/cli/main.js');

/** Newest modification time of the files the build reads: src/, package.json, the tsconfig files. */
function newestSourceMs(): number {
  let newest = 0;
  const visit = (path: string): void => {
    const stat = statSync(path);
    if (stat.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const path of ['src', 'package.json', 'tsconfig.json', 'tsconfig.build.json']) visit(join(ROOT, path));
  return newest;
}

export function setup(): void {
  if (existsSync(CLI) && statSync(CLI).mtimeMs > newestSourceMs()) return;
  const started = Date.now();
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' });
  const emitted = existsSync(CLI) && statSync(CLI).mtimeMs >= started - 1000;
  if ((build.status !== 0 && build.status !== 2) || !emitted) {
    throw new Error(`npx tsc -p tsconfig.build.json failed (exit ${build.status}${emitted ? '' : ', dist/cli/main.js not written'}):\n${build.stdout}${build.stderr}`);
  }
}
