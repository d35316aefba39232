// `mignet sweep` and `mignet merge` as users run them: the built CLI (dist/, built once by
// test/global-setup.ts) in a child process, because the sweep's worker threads load the built
// dist/cli/sweep-worker.js. The grid's order, run ids and shard slices are checked in-process first.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvRecords } from '../../src/cli/merge-command.js';
import { runSweep, type SweepOptions } from '../../src/cli/sweep-command.js';
import { parseShard, SweepGrid } from '../../src/cli/sweep-grid.js';
import { UsageError } from '../../src/cli/usage-error.js';
import { parseVariation } from '../../src/cli/vary.js';
import { ROOT, CLI, cli, STACK_FRAME, type CliResult, shown } from '../support/cli.js';





// Two guests leave a for b over a — s — b (1 Gbit/s, 10 us); one dirties memory, so precopy needs rounds.
const SCENARIO = `name: sweep-test
topology:
  kind: graph
  nodes: [{ id: a, kind: host }, { id: s, kind: switch }, { id: b, kind: host }]
  links:
    - { from: a, to: s, capacity: 1 Gbit/s, latency: 10 us }
    - { from: s, to: b, capacity: 1 Gbit/s, latency: 10 us, core: true }
defaults: { migration: { strategy: precopy } }
vms:
  - { id: v1, host: a, memory: 256 MiB, workload: { dirtyRate: 20 MiB/s, hotSet: 32 MiB, hotFraction: 0.9 } }
  - { id: v2, host: a, memory: 128 MiB }
migrations: [{ vm: v1, to: b }, { vm: v2, to: b }]
schedule: { policy: parallel }
`;

/** 2 × 2 × 3 = 12 runs; `bogus` is not a strategy, so 4 of them are invalid. */
const GRID = [
  '--vary', 'schedule.policy=parallel,sequential',
  '--vary', 'vms[0].memory=256 MiB,512 MiB',
  '--vary', 'defaults.migration.strategy=precopy,bogus,stop-and-copy',
];
const HEADER = 'run,schedule.policy,vms[0].memory,defaults.migration.strategy,completed,refused,failed,totalMigrationTime,totalDowntime,maxDowntime,bytes_memory,bytes_storage,bytes_wire,coreBytes,energy_total,lost,energy_migration,peakCoreUtilization,maxInFlight,overLimit,downtimeP95,degradedTime,faults,stalledTime,energyMigration,error';

let dir = '';
let file = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mignet-sweep-'));
  file = join(dir, 'two.yaml');
  writeFileSync(file, SCENARIO);
});
afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('the grid (in-process)', () => {
  const grid = new SweepGrid(['a=1,2'].concat('b=x,y,z').map(parseVariation));

  it('is the cross product, the first --vary varying slowest', () => {
    expect(grid.total).toBe(6);
    const runs = grid.indices().map((i) => grid.texts(i).map(({ text }) => text).join(''));
    expect(runs).toEqual(['1x', '1y', '1z', '2x', '2y', '2z']);
    expect(grid.settings(4)).toEqual([{ path: ['a'], value: 2 }, { path: ['b'], value: 'y' }]);
  });

  it('names each run by its index and a hash of its values, the same in any grid holding them at that index', () => {
    expect(grid.runId(0)).toMatch(/^0000-[0-9a-f]{8}$/);
    expect(grid.runId(5)).toMatch(/^0005-[0-9a-f]{8}$/);
    expect(new Set(grid.indices().map((i) => grid.runId(i).slice(5))).size).toBe(6);
    const again = new SweepGrid(['a=1,2', 'b=x,y,z'].map(parseVariation));
    expect(again.runId(4)).toBe(grid.runId(4));
    // the same index with other values is another run
    expect(new SweepGrid(['a=1,3', 'b=x,y,z'].map(parseVariation)).runId(4)).not.toBe(grid.runId(4));
  });

  it('shard I of N takes the runs whose index is I−1 modulo N: disjoint slices whose union is the grid', () => {
    const shards = [1, 2, 3, 4].map((i) => grid.indices({ index: i, count: 4 }));
    expect(shards).toEqual([[0, 4], [1, 5], [2], [3]]);
    expect(shards.flat().sort()).toEqual(grid.indices());
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['0/3', '4/3', '1/0', '1', 'a/b', '-1/2', '1.5/2']) expect(() => parseShard(bad), bad).toThrow(UsageError);
  });

  it('refuses a key varied twice and a grid past a million runs', () => {
    expect(() => new SweepGrid(['a=1,2', 'a=3'].map(parseVariation))).toThrow(/varied twice/);
    const big = Array.from({ length: 1001 }, (_, i) => i).join(',');
    expect(() => new SweepGrid([`a=${big}`, `b=${big}`].map(parseVariation))).toThrow(/1002001 runs/);
  });

  it('csvRecords splits records at newlines outside quotes only', () => {
    expect(csvRecords('a,b\n1,"x\ny"\n2,"q""r"\n')).toEqual(['a,b', '1,"x\ny"', '2,"q""r"']);
  });
});

/** A CLI run started once, on first use, and shared by the tests that look at it. */
function shared(args: () => string[]): () => Promise<CliResult> {
  let started: Promise<CliResult> | undefined;
  return () => (started ??= cli(args()));
}
const withOneWorker = shared(() => ['sweep', file, ...GRID, '--workers', '1']);
const withFourWorkers = shared(() => ['sweep', file, ...GRID, '--workers', '4']);
const wholeOut = shared(() => ['sweep', file, ...GRID, '--out', join(dir, 'whole'), '--workers', '2']);

// Each spawned sweep starts its own worker threads, each loading the model (about a second of CPU): on a busy
// machine of two cores the whole of this block takes a minute or two, hence the generous timeout.
describe.concurrent('mignet sweep', { timeout: 240_000 }, () => {
  it('2 × 2 values give 4 rows in run-id order, with the varied values and the totals', async () => {
    const result = await cli(['sweep', file, '--vary', 'schedule.policy=parallel,sequential', '--vary', 'vms[0].memory=256 MiB,512 MiB', '--workers', '2']);
    expect(result.status, shown(result)).toBe(0);
    expect(result.stderr).toBe(''); // no progress bar: stderr is not a terminal
    const rows = parse(result.stdout, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.run!.slice(0, 4), r['schedule.policy'], r['vms[0].memory']])).toEqual([
      ['0000', 'parallel', '256 MiB'],
      ['0001', 'parallel', '512 MiB'],
      ['0002', 'sequential', '256 MiB'],
      ['0003', 'sequential', '512 MiB'],
    ]);
    for (const row of rows) {
      expect(row).toMatchObject({ completed: '2', refused: '0', failed: '0', bytes_storage: '0', lost: '0', error: '' });
      // one at a time, or both at once; the one core link s→b is full while a stream crosses it alone
      expect(row.maxInFlight).toBe(row['schedule.policy'] === 'parallel' ? '2' : '1');
      expect(Number(row.peakCoreUtilization)).toBe(1);
      expect(Number(row.energy_migration)).toBeGreaterThan(0);
      expect(Number(row.energy_migration)).toBeLessThan(Number(row.energy_total));
      expect(Number(row.totalMigrationTime)).toBeGreaterThan(0);
      expect(Number(row.bytes_wire)).toBeGreaterThan(Number(row.bytes_memory));
      // every byte crosses the one core link s→b
      expect(Number(row.coreBytes)).toBeCloseTo(Number(row.bytes_wire), 0);
    }
    // a bigger guest moves more memory
    expect(Number(rows[1]!.bytes_memory)).toBeGreaterThan(Number(rows[0]!.bytes_memory));
  });

  it('the CSV is byte for byte the same with 1 and 4 workers; invalid runs get an error row, the sweep goes on', async () => {
    const [one, four] = await Promise.all([withOneWorker(), withFourWorkers()]);
    expect(one.status, shown(one)).toBe(0);
    expect(four.status, shown(four)).toBe(0);
    expect(four.stdout).toBe(one.stdout);
    const lines = one.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(HEADER);
    expect(lines).toHaveLength(13);
    const rows = parse(one.stdout, { columns: true }) as Record<string, string>[];
    const invalid = rows.filter((r) => r['defaults.migration.strategy'] === 'bogus');
    expect(invalid.map((r) => r.run!.slice(0, 4))).toEqual(['0001', '0004', '0007', '0010']);
    for (const row of invalid) {
      expect(row.completed).toBe('');
      expect(row.error).toMatch(/two\.yaml: defaults\.migration\.strategy: .*bogus/);
    }
    expect(rows.filter((r) => r.error === '')).toHaveLength(8);
    expect(one.stderr).toMatch(/^mignet: 4 of 12 runs invalid or stopped \(see the error column\); the first, run 0001-/);
    expect(one.stderr).not.toMatch(STACK_FRAME);
  });

  it('--out DIR writes sweep.csv (the stdout CSV), sweep.json and runs/<id>.json; --skip-existing reads runs back', async () => {
    const whole = join(dir, 'whole');
    const [written, printed] = await Promise.all([wholeOut(), withOneWorker()]);
    expect(written.status, shown(written)).toBe(0);
    expect(written.stdout).toBe(`wrote sweep.csv (12 runs), sweep.json and runs/ to ${whole}\n`);
    // resumed below in a copy, so that the other tests see the sweep as written
    const out = join(dir, 'resumed');
    cpSync(whole, out, { recursive: true });
    const csv = readFileSync(join(out, 'sweep.csv'), 'utf8');
    expect(csv).toBe(printed.stdout);
    const manifest = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8'));
    expect(manifest).toMatchObject({ format: 'mignet-sweep/1', file, runs: 12, shard: null });
    expect(manifest.vary).toEqual([
      { key: 'schedule.policy', values: ['parallel', 'sequential'] },
      { key: 'vms[0].memory', values: ['256 MiB', '512 MiB'] },
      { key: 'defaults.migration.strategy', values: ['precopy', 'bogus', 'stop-and-copy'] },
    ]);
    const ids = (parse(csv, { columns: true }) as Record<string, string>[]).map((r) => r.run!);
    expect(readdirSync(join(out, 'runs')).sort()).toEqual(ids.map((id) => `${id}.json`));
    const first = JSON.parse(readFileSync(join(out, 'runs', `${ids[0]}.json`), 'utf8'));
    expect(first.sweep).toEqual({ run: ids[0], index: 0, vary: { 'schedule.policy': 'parallel', 'vms[0].memory': '256 MiB', 'defaults.migration.strategy': 'precopy' } });
    expect(first).toMatchObject({ scenario: 'sweep-test', summary: { completed: 2 } });
    expect(JSON.parse(readFileSync(join(out, 'runs', `${ids[1]}.json`), 'utf8')).error).toMatch(/bogus/);

    // Resume: one run file gone, another altered. --skip-existing runs the missing one again and reads the
    // altered one back as it is (which shows it was not run again).
    unlinkSync(join(out, 'runs', `${ids[3]}.json`));
    const altered = join(out, 'runs', `${ids[5]}.json`);
    const stored = JSON.parse(readFileSync(altered, 'utf8'));
    stored.summary.coreBytes = 42;
    writeFileSync(altered, JSON.stringify(stored));
    const resumed = await cli(['sweep', file, ...GRID, '--out', out, '--skip-existing', '--workers', '1']);
    expect(resumed.status, shown(resumed)).toBe(0);
    expect(resumed.stdout).toBe(`wrote sweep.csv (12 runs, 11 of them read back from runs/), sweep.json and runs/ to ${out}\n`);
    expect(existsSync(join(out, 'runs', `${ids[3]}.json`))).toBe(true);
    const after = readFileSync(join(out, 'sweep.csv'), 'utf8').split('\n');
    const before = csv.split('\n');
    // only the altered run's row changed (line 6: the header, then ids[0..5]), in its coreBytes column
    expect(after.map((line, i) => (line === before[i] ? -1 : i)).filter((i) => i >= 0)).toEqual([6]);
    expect(after[6]!.split(',')[13]).toBe('42');
  });

  it('shards 1/3, 2/3 and 3/3 are disjoint; merged they are the whole sweep byte for byte', async () => {
    const whole = join(dir, 'whole');
    const shards = [1, 2, 3].map((i) => join(dir, `shards/${i}`));
    const results = await Promise.all([
      wholeOut(),
      ...shards.map((out, i) => cli(['sweep', file, ...GRID, '--shard', `${i + 1}/3`, '--out', out, '--workers', '1'])),
    ]);
    for (const result of results) expect(result.status, shown(result)).toBe(0);
    const slices = shards.map((out) => (parse(readFileSync(join(out, 'sweep.csv'), 'utf8'), { columns: true }) as Record<string, string>[]).map((r) => Number(r.run!.slice(0, 4))));
    expect(slices).toEqual([[0, 3, 6, 9], [1, 4, 7, 10], [2, 5, 8, 11]]);
    expect(JSON.parse(readFileSync(join(shards[1]!, 'sweep.json'), 'utf8')).shard).toBe('2/3');
    // shard 2/3 holds only the runs of the bogus strategy: a shard cannot judge the sweep, so it exits 0
    expect(results[2]!.stderr).toMatch(/^mignet: 4 of 4 runs invalid or stopped/);

    const merged = join(dir, 'merged');
    const merge = await cli(['merge', ...[...shards].reverse(), '--out', merged]);
    expect(merge.status, shown(merge)).toBe(0);
    expect(merge.stdout).toBe(`merged 12 runs from 3 folders into ${merged}\n`);
    for (const name of ['sweep.csv', 'sweep.json']) expect(readFileSync(join(merged, name), 'utf8'), name).toBe(readFileSync(join(whole, name), 'utf8'));
    const runs = readdirSync(join(whole, 'runs')).sort();
    expect(readdirSync(join(merged, 'runs')).sort()).toEqual(runs);
    for (const run of runs) expect(readFileSync(join(merged, 'runs', run), 'utf8'), run).toBe(readFileSync(join(whole, 'runs', run), 'utf8'));

    // Shard 3/3 missing: its runs are listed, and the merge refuses unless --allow-missing.
    const partial = await cli(['merge', shards[0]!, shards[1]!, '--out', join(dir, 'partial')]);
    expect(partial.status, shown(partial)).toBe(2);
    expect(partial.stderr).toMatch(/^mignet: merge: 4 of 12 runs are in no folder: 0002-[0-9a-f]{8}, 0005-[0-9a-f]{8}, 0008-[0-9a-f]{8}, 0011-[0-9a-f]{8} \(/);
    expect(existsSync(join(dir, 'partial', 'sweep.csv'))).toBe(false);
    const allowed = await cli(['merge', shards[0]!, shards[1]!, '--out', join(dir, 'partial'), '--allow-missing']);
    expect(allowed.status, shown(allowed)).toBe(0);
    expect(allowed.stderr).toMatch(/^mignet: merge: 4 runs are in no folder: 0002-/);
    expect(readFileSync(join(dir, 'partial', 'sweep.csv'), 'utf8').trimEnd().split('\n')).toHaveLength(9);

    // The same run twice: fine when the rows agree, refused when they do not.
    const twice = await cli(['merge', ...shards, whole, '--out', join(dir, 'twice')]);
    expect(twice.status, shown(twice)).toBe(0);
    const forged = join(dir, 'forged');
    cpSync(shards[0]!, forged, { recursive: true });
    const csv = readFileSync(join(forged, 'sweep.csv'), 'utf8').split('\n');
    csv[1] = csv[1]!.replace(/,2,0,0,/, ',1,1,0,');
    writeFileSync(join(forged, 'sweep.csv'), csv.join('\n'));
    const conflict = await cli(['merge', ...shards, forged, '--out', join(dir, 'conflict')]);
    expect(conflict.status, shown(conflict)).toBe(2);
    expect(conflict.stderr).toMatch(/^mignet: merge: 1 run has different rows in two folders: 0000-[0-9a-f]{8} \(/);
    expect(existsSync(join(dir, 'conflict'))).toBe(false);
  });

  it('bad command lines exit 2 with one line and no stack trace', async () => {
    // Spawned: what commander refuses, and one case of each error class main.ts turns into exit 2.
    const cases: [string[], RegExp][] = [
      [['sweep', file, '--vary', 'schedule.policy'], /--vary "schedule.policy": expected KEY=V1,V2/],
      [['sweep', file], /required option '--vary/],
      [['sweep', file, '--vary', 'seed=1', '--shard', '4/3'], /expected I\/N with 1 ≤ I ≤ N/],
      [['sweep', file, '--vary', 'seed=1', '--workers', '0'], /expected an integer from 1/],
      [['sweep', join(dir, 'nowhere.yaml'), '--vary', 'seed=1'], /nowhere\.yaml: \(document\): cannot read the file/],
      [['merge', join(dir, 'nothing-here'), '--out', join(dir, 'm')], /no sweep\.json/],
    ];
    const results = await Promise.all(cases.map(([args]) => cli(args)));
    results.forEach((result, i) => {
      const [args, message] = cases[i]!;
      expect(result.status, `${args.join(' ')}\n${shown(result)}`).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(message);
      expect(result.stderr).not.toMatch(STACK_FRAME);
      expect(result.stdout).toBe('');
    });
  });

  it('the other bad command lines are usage errors before any run (in-process)', async () => {
    const refused = async (vary: string[], options: Partial<SweepOptions> = {}): Promise<string> => {
      const error: unknown = await runSweep(file, { vary, ...options }).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(UsageError);
      return (error as Error).message;
    };
    expect(await refused(['a..b=1'])).toMatch(/expected KEY=V1,V2/);
    expect(await refused(['seed=1,,2'])).toMatch(/a value is empty/);
    expect(await refused(['seed=1', 'seed=2'])).toMatch(/the key is varied twice/);
    expect(await refused(['seed=1'], { skipExisting: true })).toMatch(/--skip-existing needs --out DIR/);
    // DIR already holds another sweep (the GRID sweep of wholeOut): refused before sweep.json is touched
    await wholeOut();
    const whole = join(dir, 'whole');
    const manifest = readFileSync(join(whole, 'sweep.json'), 'utf8');
    expect(await refused(['seed=2'], { out: whole })).toMatch(/the folder holds runs of another sweep/);
    expect(readFileSync(join(whole, 'sweep.json'), 'utf8')).toBe(manifest);
  });

  it('a sweep none of whose runs is valid exits 2, with its rows all the same', async () => {
    const result = await cli(['sweep', file, '--vary', 'vms[0].memroy=1 GiB,2 GiB', '--workers', '1']);
    expect(result.status, shown(result)).toBe(2);
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(3);
    expect(result.stdout).toMatch(/vms\[0\]\.memroy: unknown key/);
    expect(result.stderr).toMatch(/^mignet: no run of the sweep was valid \(see the error column\); the first, run 0000-/);
    // as shards, each exits 0; their merge exits 2, having written the rows
    const shards = [1, 2].map((i) => join(dir, `invalid/${i}`));
    const parts = await Promise.all(shards.map((out, i) => cli(['sweep', file, '--vary', 'vms[0].memroy=1 GiB,2 GiB', '--shard', `${i + 1}/2`, '--out', out])));
    for (const part of parts) expect(part.status, shown(part)).toBe(0);
    const merged = await cli(['merge', ...shards, '--out', join(dir, 'invalid/merged')]);
    expect(merged.status, shown(merged)).toBe(2);
    expect(merged.stderr).toMatch(/^mignet: merge: no run of the sweep was valid/);
    expect(readFileSync(join(dir, 'invalid/merged/sweep.csv'), 'utf8')).toBe(result.stdout);
  });

  it.skipIf(!existsSync('/usr/bin/script'))('shows a progress bar on a terminal, on stderr', async () => {
    // script(1) gives the command a pseudo-terminal; its output is the terminal's.
    const command = [process.execPath, CLI, 'sweep', file, '--vary', 'seed=1,2', '--workers', '1'].map((arg) => `'${arg}'`).join(' ');
    const result = await new Promise<CliResult>((resolve, reject) => {
      const child = spawn('/usr/bin/script', ['-qec', command, '/dev/null'], { cwd: ROOT });
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, stdout, stderr: '' }));
    });
    expect(result.status, shown(result)).toBe(0);
    expect(result.stdout).toMatch(/sweep \|[█░]+\| 2\/2 runs/);
  });
});
