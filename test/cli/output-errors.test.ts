// Output that cannot be written (issue 17), one test per class of output: a reader that closes the pipe
// (EPIPE), a full disk (/dev/full: ENOSPC on every write), a file of --out that cannot be replaced, and a
// sweep whose run files cannot be written. Each ends with one line on stderr (or none for EPIPE), no stack
// trace, the conventional status, and no half-written file or temporary left behind.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonChunks } from '../../src/report/results-json.js';
import { writeFileAtomically } from '../../src/report/output-stream.js';
import { CLI, cli, ROOT, STACK_FRAME, shown } from '../support/cli.js';

let root = '';
/** A fat-tree of k = 16: 1,024 hosts, so `--json` and `topology --format json` print far more than a pipe holds. */
let bigFile = '';

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'mignet-output-errors-'));
  bigFile = join(root, 'big.yaml');
  writeFileSync(
    bigFile,
    'topology: { kind: fat-tree, k: 16, link: { capacity: 10 Gbit/s, latency: 2 us } }\nvms: [{ id: vm1, host: h0-0-0, memory: 64 MiB }]\nmigrations: [{ vm: vm1, to: h1-0-0 }]\n',
  );
});

afterAll(() => {
  if (root !== '') rmSync(root, { recursive: true, force: true });
});

/** Runs the CLI with stdout on the file `stdoutPath` (a device such as /dev/full). */
function cliTo(stdoutPath: string, args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const out = openSync(stdoutPath, 'w');
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', out, 'pipe'], env: { ...process.env, MIGNET_DEBUG: '' } });
    closeSync(out);
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

/** Runs the CLI with its stdout a pipe whose reader is already gone, as `mignet ... | head -c 0` leaves it. */
function cliToClosedPipe(args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MIGNET_DEBUG: '' } });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

describe.concurrent('output to a closed pipe', () => {
  for (const args of [['run', 'BIG', '--json'], ['topology', 'BIG', '--format', 'json']]) {
    it(`mignet ${args.join(' ')} | (closed) ends quietly with 141`, async () => {
      const result = await cliToClosedPipe(args.map((a) => (a === 'BIG' ? bigFile : a)));
      expect(result.stderr).toBe('');
      // 128 + SIGPIPE: what a shell reports for `yes | head`.
      expect(result.status).toBe(141);
    });
  }
});

describe.concurrent('output to a full disk (/dev/full)', () => {
  it.skipIf(!existsSync('/dev/full'))('run --json > /dev/full: exit 2, one line naming stdout', async () => {
    const result = await cliTo('/dev/full', ['run', '--json']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('mignet: cannot write stdout (no space left on device)\n');
  });

  it.skipIf(!existsSync('/dev/full'))('run (the summary) > /dev/full: the same', async () => {
    const result = await cliTo('/dev/full', ['run']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('mignet: cannot write stdout (no space left on device)\n');
  });
});

describe('run --out: files replaced atomically', () => {
  it('a file that cannot be replaced: exit 2 naming it, the earlier files complete, no temporary left', async () => {
    const dir = join(root, 'blocked');
    mkdirSync(join(dir, 'links.csv'), { recursive: true }); // a folder where links.csv goes: rename(2) fails
    const result = await cli(['run', '--out', dir, '--quiet']);
    expect(result.status, shown(result)).toBe(2);
    expect(result.stderr).toBe(`mignet: cannot write ${join(dir, 'links.csv')} (is a folder)\n`);
    expect(result.stderr).not.toMatch(STACK_FRAME);
    // results.json and migrations.csv were written before it, whole; nothing half-written, no *.tmp.
    expect(() => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'))).not.toThrow();
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('a write that fails half-way keeps the old complete file and removes the temporary', () => {
    const dir = mkdtempSync(join(root, 'atomic-'));
    const path = join(dir, 'results.json');
    writeFileSync(path, '{"old":true}\n');
    function* failing(): Generator<string> {
      yield 'x'.repeat(100_000); // past the first write
      throw Object.assign(new Error('no space'), { code: 'ENOSPC' });
    }
    expect(() => writeFileAtomically(path, failing())).toThrow(`cannot write ${path} (no space left on device)`);
    expect(readFileSync(path, 'utf8')).toBe('{"old":true}\n');
    expect(readdirSync(dir)).toEqual(['results.json']);
  });

  it('--out "" is a wrong command line, not a raw system error', async () => {
    const result = await cli(['run', '--out', '', '--quiet']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('mignet: --out "": an empty path (expected a folder)\n');
  });
});

describe('sweep --out: run files that cannot be written', () => {
  it('stops the sweep with one line naming the file, exit 2, no temporaries and no sweep.csv', async () => {
    const dir = join(root, 'sweep-blocked');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'runs'), 'a file where the runs/ folder goes\n');
    const small = join(root, 'small.yaml');
    writeFileSync(small, 'topology: { kind: fat-tree, k: 2, link: { capacity: 10 Gbit/s, latency: 2 us } }\nvms: [{ id: vm1, host: h0-0-0, memory: 64 MiB }]\nmigrations: [{ vm: vm1, to: h1-0-0 }]\n');
    const result = await cli(['sweep', small, '--vary', 'seed=1,2', '--workers', '1', '--out', dir]);
    expect(result.status, shown(result)).toBe(2);
    expect(result.stderr).toMatch(/^mignet: cannot write .*runs\/\d+-[0-9a-f]{8}\.json \(exists and is not a folder\)\n$/);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(existsSync(join(dir, 'sweep.csv'))).toBe(false);
  });
});

describe('the results JSON in pieces', () => {
  it('is JSON.stringify byte for byte, compact and indented, whatever the values', () => {
    const value = { a: [1, { b: [undefined, 'x\ny'], c: undefined }, []], d: {}, e: 'é', f: null, g: [[1, [2]]] };
    for (const indent of ['', '  ']) {
      for (const depth of [0, 1, 2, 5]) expect([...jsonChunks(value, indent, depth)].join('')).toBe(JSON.stringify(value, null, indent));
    }
  });
});
