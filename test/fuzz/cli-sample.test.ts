// Hostile files through the real CLI (dist/cli/main.js in a child process, CONTRACT.md "Bad input"): a sample
// of fuzz cases that the config layer refuses in-process, written as files, and a few files picked by hand
// (a device that never ends, a nesting and an alias bomb, a binary file, a run stopped by its event limit).
// Each must exit 2 with only `FILE: path: message` lines on stderr, nothing on stdout, and no stack trace.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, it } from 'vitest';
import * as config from '../../src/config/index.js';
import { RunLimitError } from '../../src/engine/run-limit-error.js';
import { runScenario } from '../../src/engine/run-scenario.js';
import { builtInBases, fuzzCase, type FuzzCase } from './arbitraries.mjs';
import { checkCase, type FuzzApi } from './check-case.mjs';
import { cli, STACK_FRAME, type CliResult } from '../support/cli.js';

const api: FuzzApi = { ...config, runScenario, RunLimitError };
const SAMPLE = 5;



let dir = '';

/** The file content of a case the config layer refused: its text or bytes; a document as YAML. */
function fileContent(testCase: FuzzCase): string | Uint8Array {
  if (testCase.kind === 'text') return testCase.text;
  if (testCase.kind === 'bytes') return testCase.bytes;
  return stringify(testCase.document, { aliasDuplicateObjects: false, lineWidth: 0 });
}

/** Fuzz cases, from a fixed seed, that are config errors in-process both as drawn and once written as a file. */
function refusedSample(): { name: string; content: string | Uint8Array }[] {
  const budget = { maxEvents: 100_000, maxWallTimeS: 2, hangS: 10, clock: () => performance.now() / 1000 };
  const drawn = fc.sample(fuzzCase(builtInBases()), { seed: 4242, numRuns: 200 });
  const sample: { name: string; content: string | Uint8Array }[] = [];
  for (const [i, testCase] of drawn.entries()) {
    if (sample.length === SAMPLE) break;
    if (testCase.kind === 'document' && JSON.stringify(testCase.document)?.length > 100_000) continue;
    let content: string | Uint8Array;
    try {
      content = fileContent(testCase);
    } catch {
      continue; // a document too deep for the YAML writer: the text cases cover deep nesting
    }
    if (checkCase(testCase, api, budget).outcome !== 'config-error') continue;
    const asFile: FuzzCase = typeof content === 'string' ? { kind: 'text', file: 'f.yaml', text: content, origin: '' } : { kind: 'bytes', file: 'f.yaml', bytes: content, origin: '' };
    if (checkCase(asFile, api, budget).outcome !== 'config-error') continue;
    sample.push({ name: `fuzz-${i}-${testCase.kind}.yaml`, content });
  }
  return sample;
}

/** exit 2; stderr only `FILE: path: message` lines; stdout empty; no stack trace. */
function expectRefused(result: CliResult, file: string, expect: (typeof import('vitest'))['expect']): void {
  const shown = `exit ${result.status}\n--- stdout\n${result.stdout.slice(0, 1000)}\n--- stderr\n${result.stderr.slice(0, 3000)}`;
  expect(result.status, shown).toBe(2);
  expect(result.stdout, shown).toBe('');
  expect(result.stderr, shown).not.toMatch(STACK_FRAME);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines.length, shown).toBeGreaterThan(0);
  for (const line of lines) expect(line.startsWith(`${file}: `) && /^\S.*?: \S/.test(line.slice(file.length + 2)), `${line}\n${shown}`).toBe(true);
}

// dist/ is built once for every test file by test/global-setup.ts.
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mignet-fuzz-cli-'));
});

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

// One spawn at a time: each costs most of a CPU second, and running them together only slows them all down.
describe('hostile files through the CLI: exit 2, one line per problem, no stack trace', () => {
  const sample = refusedSample();

  it(`the sample holds ${SAMPLE} refused fuzz cases`, ({ expect }) => {
    expect(sample).toHaveLength(SAMPLE);
  });

  for (const [index, { name }] of sample.entries()) {
    // `run`, which reads and checks the file exactly as `validate` does, then would run it.
    it(`${name}: mignet run`, async ({ expect }) => {
      const file = join(dir, name);
      writeFileSync(file, sample[index]!.content);
      expectRefused(await cli(['run', file]), file, expect);
    });
  }

  it.skipIf(!existsSync('/dev/zero'))('a device that never ends (/dev/zero)', async ({ expect }) => {
    const result = await cli(['run', '/dev/zero']);
    expectRefused(result, '/dev/zero', expect);
    expect(result.stderr).toMatch(/cannot read the file: it is larger than 64 MiB/);
  });

  it('a million nested lists, an alias bomb, a PNG', async ({ expect }) => {
    const files = {
      'deep.yaml': `topology: ${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}\n`,
      'laughs.yaml': ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]', ...Array.from({ length: 8 }, (_, i) => `${'bcdefghi'[i]}: &${'bcdefghi'[i]} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(',')}]`), 'topology: *i'].join('\n'),
      'image.yaml': Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]),
    };
    for (const [name, content] of Object.entries(files)) {
      const file = join(dir, name);
      writeFileSync(file, content);
      expectRefused(await cli(['run', file]), file, expect);
    }
  });

  it('a run stopped by limits.maxEvents', async ({ expect }) => {
    const file = join(dir, 'endless.yaml');
    writeFileSync(
      file,
      `topology:
  kind: graph
  nodes: [{ id: a, kind: host }, { id: b, kind: host }]
  links: [{ from: a, to: b, capacity: 1 Gbit/s, latency: 10 us }]
vms: [{ id: v, host: a, memory: 1 GiB, workload: { dirtyRate: 60 MiB/s } }]
migrations: [{ vm: v, to: b, strategy: precopy }]
limits: { maxEvents: 3 }
`,
    );
    const result = await cli(['run', file]);
    expectRefused(result, file, expect);
    expect(result.stderr).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: limits\\.maxEvents: run stopped: more than 3 events`));
  });
});
