// `mignet run --out DIR` as users run it: the built CLI (dist/cli/main.js, built once for every test file by
// test/global-setup.ts) in a child process.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { OUTPUT_FILES } from '../../src/report/output-dir.js';
import { ODD_DOCUMENT } from './helpers.js';
import { cli, STACK_FRAME, shown } from '../support/cli.js';


let root = '';
let scenarioFile = '';




beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'mignet-run-out-'));
  scenarioFile = join(root, 'odd.json');
  writeFileSync(scenarioFile, JSON.stringify(ODD_DOCUMENT, null, 2));
});

afterAll(() => {
  if (root !== '') rmSync(root, { recursive: true, force: true });
});

describe.concurrent('mignet run --out DIR', () => {
  it('creates DIR, writes every file, still prints the summary; results.json is `--json` byte for byte', async ({ expect }) => {
    const dir = join(root, 'a/new/folder');
    const [written, json] = await Promise.all([cli(['run', scenarioFile, '--out', dir]), cli(['run', scenarioFile, '--json'])]);
    expect(written.status, shown(written)).toBe(0);
    expect(json.status, shown(json)).toBe(0);
    expect(written.stdout).toMatch(/^scenario /);
    expect(written.stdout).toContain(`wrote ${OUTPUT_FILES.join(', ')} to ${dir}`);
    expect(written.stderr).toBe('');
    for (const file of OUTPUT_FILES) expect(existsSync(join(dir, file)), file).toBe(true);
    expect(readFileSync(join(dir, 'results.json'), 'utf8')).toBe(json.stdout);
  });

  it('with --json prints only the JSON, the same text as results.json', async ({ expect }) => {
    const dir = join(root, 'json');
    const result = await cli(['run', '--json', '--out', dir]);
    expect(result.status, shown(result)).toBe(0);
    expect(result.stdout).toBe(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(() => JSON.parse(result.stdout)).not.toThrow();
  });

  it('with --quiet prints nothing and writes every file', async ({ expect }) => {
    const dir = join(root, 'quiet');
    const result = await cli(['run', scenarioFile, '--quiet', '--out', dir]);
    expect(result.status, shown(result)).toBe(0);
    expect(result.stdout + result.stderr).toBe('');
    for (const file of OUTPUT_FILES) expect(existsSync(join(dir, file)), file).toBe(true);
  });

  it('a DIR that cannot be written exits 2 with one clear line and no stack trace', async ({ expect }) => {
    const file = join(root, 'plain-file');
    writeFileSync(file, 'not a folder');
    for (const [dir, reason] of [
      [file, 'exists and is not a folder'],
      [join(file, 'below'), 'a part of the path is a file, not a folder'],
    ] as const) {
      const result = await cli(['run', scenarioFile, '--out', dir]);
      expect(result.status, shown(result)).toBe(2);
      expect(result.stderr).toBe(`mignet: --out ${dir}: cannot write there (${reason})\n`);
      expect(result.stderr).not.toMatch(STACK_FRAME);
      expect(result.stdout).toBe('');
    }
  });
});
