// `--seeds`, `--where` and `--sort` (src/cli/study-rows.ts, run-seeds.ts, compare-command.ts, sweep-seeds.ts):
// the statistics over seeds checked against the runs of each seed on its own, and a sweep's question answered
// in one line.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareRows } from '../../src/cli/compare-command.js';
import { runSeeds } from '../../src/cli/run-seeds.js';
import { nearestRank, STUDY_COLUMNS } from '../../src/cli/study-metrics.js';
import { parseSeeds, parseWhere, seedStatistics } from '../../src/cli/study-rows.js';
import { UsageError } from '../../src/cli/usage-error.js';
import { cli, shown } from '../support/cli.js';

// Four busy guests leave pod 0 of a k=4 fat-tree at once: ECMP's hash (salted by the seed) decides which
// aggregation and core links they share, so the total time and the downtimes change with the seed. No rate
// limit (QEMU's default 128 MiB/s would never converge at 300 MiB/s of dirtying).
const SCENARIO = `name: ecmp
topology: { kind: fat-tree, k: 4, link: { capacity: 10 Gbit/s, latency: 2 us } }
defaults: { migration: { strategy: precopy, maxBandwidth: none } }
vms:
  - { id: v1, host: h0-0-0, memory: 2 GiB, workload: { dirtyRate: 300 MiB/s, hotSet: 256 MiB, hotFraction: 0.9 } }
  - { id: v2, host: h0-0-1, memory: 2 GiB, workload: { dirtyRate: 300 MiB/s, hotSet: 256 MiB, hotFraction: 0.9 } }
  - { id: v3, host: h0-1-0, memory: 2 GiB, workload: { dirtyRate: 300 MiB/s, hotSet: 256 MiB, hotFraction: 0.9 } }
  - { id: v4, host: h0-1-1, memory: 2 GiB, workload: { dirtyRate: 300 MiB/s, hotSet: 256 MiB, hotFraction: 0.9 } }
migrations:
  - { vm: v1, to: h1-0-0 }
  - { vm: v2, to: h2-0-0 }
  - { vm: v3, to: h3-0-0 }
  - { vm: v4, to: h1-1-0 }
schedule: { policy: parallel }
`;

let dir = '';
let file = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mignet-seeds-'));
  file = join(dir, 'ecmp.yaml');
  writeFileSync(file, SCENARIO);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

describe('the pieces', () => {
  it('--seeds N, A..B and A,B,C', () => {
    expect(parseSeeds('3')).toEqual([1, 2, 3]);
    expect(parseSeeds('4..6')).toEqual([4, 5, 6]);
    expect(parseSeeds('7,2,9')).toEqual([7, 2, 9]);
    for (const bad of ['0', '-1', '3..1', 'x', '1,1', '1.5']) expect(() => parseSeeds(bad)).toThrow(UsageError);
  });

  it('nearest-rank p95: the ⌈0.95 n⌉-th smallest', () => {
    // n = 5: ⌈4.75⌉ = 5, the largest; n = 20: ⌈19⌉ = 19, the 19th smallest.
    expect(nearestRank([5, 1, 4, 2, 3], 0.95)).toBe(5);
    expect(nearestRank(Array.from({ length: 20 }, (_, i) => 20 - i), 0.95)).toBe(19);
  });

  it('worst is the largest, but for completed the smallest; a NaN seed makes the row NaN', () => {
    const base = Object.fromEntries(STUDY_COLUMNS.map((c) => [c, 0])) as Record<(typeof STUDY_COLUMNS)[number], number>;
    const stats = seedStatistics([
      { ...base, completed: 4, maxDowntime: 0.2 },
      { ...base, completed: 3, maxDowntime: 0.5 },
    ]);
    expect([stats.completed_worst, stats.maxDowntime_worst, stats.maxDowntime_mean]).toEqual([3, 0.5, 0.35]);
    const none = seedStatistics([{ ...base, maxDowntime: 0.2 }, { ...base, maxDowntime: NaN }]);
    expect([none.maxDowntime_mean, none.maxDowntime_p95, none.maxDowntime_worst].every(Number.isNaN)).toBe(true);
  });

  it('--where: comparisons joined by commas; an unknown column is a usage error with a guess', () => {
    const keep = parseWhere('maxDowntime<0.3,overLimit=0', STUDY_COLUMNS);
    expect(keep({ maxDowntime: 0.2, overLimit: 0 })).toBe(true);
    expect(keep({ maxDowntime: 0.2, overLimit: 1 })).toBe(false);
    expect(keep({ maxDowntime: NaN, overLimit: 0 })).toBe(false);
    expect(() => parseWhere('maxDowntme<0.3', STUDY_COLUMNS)).toThrow(/unknown column "maxDowntme" \(did you mean "maxDowntime"\?/);
    expect(() => parseWhere('maxDowntime<<0.3', STUDY_COLUMNS)).toThrow(UsageError);
  });
});

describe('statistics over seeds match the runs of each seed', () => {
  it('compare --seeds 1..4: each row is the mean, p95 and worst of the four single-seed rows', () => {
    const vary = 'schedule.maxConcurrent=2,4';
    const over = compareRows(file, { vary, seeds: '1..4' });
    const single = [1, 2, 3, 4].map((seed) => compareRows(file, { vary, seed }));
    over.forEach((row, r) => {
      for (const column of ['totalMigrationTime', 'maxDowntime', 'totalDowntime', 'bytes_wire', 'coreBytes'] as const) {
        const values = single.map((rows) => rows[r]!.values![column]!);
        expect(row.values![`${column}_mean`]).toBeCloseTo(mean(values), 12);
        expect(row.values![`${column}_worst`]).toBe(Math.max(...values));
        // Four seeds: ⌈3.8⌉ = 4, the p95 is the largest.
        expect(row.values![`${column}_p95`]).toBe(Math.max(...values));
      }
    });
    // The seed matters here: otherwise the test proves little.
    const times = single.map((rows) => rows[1]!.values!.totalMigrationTime!);
    expect(new Set(times).size).toBeGreaterThan(1);
  });

  it('run --seeds 4: the same statistics as four runs with --seed', async () => {
    const result = runSeeds(file, '4');
    expect(result.seeds).toEqual([1, 2, 3, 4]);
    const each = await Promise.all([1, 2, 3, 4].map((seed) => cli(['run', file, '--seed', String(seed), '--json'])));
    const downtimes = each.map((run) => (JSON.parse(run.stdout) as { summary: { maxDowntime: number } }).summary.maxDowntime);
    expect(result.statistics.maxDowntime_mean).toBeCloseTo(mean(downtimes), 12);
    expect(result.statistics.maxDowntime_worst).toBe(Math.max(...downtimes));
    const table = await cli(['run', file, '--seeds', '4']);
    expect(table.status, shown(table)).toBe(0);
    expect(table.stdout).toMatch(/^scenario ecmp, seeds 1,2,3,4$/m);
    expect(table.stdout).toMatch(/^maxDowntime +\S+ ms +\S+ ms +\S+ ms$/m);
  });
});

describe('sweep --seeds, --where, --sort', () => {
  it('--seeds folds the runs of each combination into one row, equal to the statistics of the seed axis', async () => {
    const out = join(dir, 'seeds-sweep');
    const run = await cli(['sweep', file, '--vary', 'schedule.maxConcurrent=2,4', '--seeds', '3', '--workers', '2', '--out', out]);
    expect(run.status, shown(run)).toBe(0);
    // sweep.csv: one run per seed, the seed the last varied key; seeds.csv: one row per combination.
    const runs = parse(readFileSync(join(out, 'sweep.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(runs.map((r) => `${r['schedule.maxConcurrent']}/${r.seed}`)).toEqual(['2/1', '2/2', '2/3', '4/1', '4/2', '4/3']);
    const rows = parse(readFileSync(join(out, 'seeds.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r['schedule.maxConcurrent'], r.seeds])).toEqual([['2', '1 2 3'], ['4', '1 2 3']]);
    rows.forEach((row, r) => {
      const values = runs.slice(3 * r, 3 * r + 3).map((one) => Number(one.totalMigrationTime));
      expect(Number(row.totalMigrationTime_mean)).toBeCloseTo(mean(values), 12);
      expect(Number(row.totalMigrationTime_worst)).toBe(Math.max(...values));
    });
    // Without --out the same rows go to stdout.
    const printed = await cli(['sweep', file, '--vary', 'schedule.maxConcurrent=2,4', '--seeds', '3', '--workers', '2']);
    expect(printed.stdout).toBe(readFileSync(join(out, 'seeds.csv'), 'utf8'));
  });

  it('--where keeps the rows that meet the target, --sort orders them: the answer is the first line', async () => {
    const all = await cli(['sweep', file, '--vary', 'schedule.maxConcurrent=1,2,4', '--workers', '2']);
    const rows = parse(all.stdout, { columns: true }) as Record<string, string>[];
    const limit = Math.max(...rows.map((r) => Number(r.maxDowntime))) - 1e-9;
    const expected = rows.filter((r) => Number(r.maxDowntime) < limit).sort((a, b) => Number(a.totalMigrationTime) - Number(b.totalMigrationTime));
    const asked = await cli(['sweep', file, '--vary', 'schedule.maxConcurrent=1,2,4', '--workers', '2', '--where', `maxDowntime<${limit}`, '--sort', 'totalMigrationTime']);
    expect(asked.status, shown(asked)).toBe(0);
    const answered = parse(asked.stdout, { columns: true }) as Record<string, string>[];
    expect(answered.map((r) => r.run)).toEqual(expected.map((r) => r.run));
    expect(answered.length).toBeLessThan(rows.length);
    const descending = await cli(['sweep', file, '--vary', 'schedule.maxConcurrent=1,2,4', '--workers', '2', '--sort', '-totalMigrationTime']);
    const times = (parse(descending.stdout, { columns: true }) as Record<string, string>[]).map((r) => Number(r.totalMigrationTime));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('a misspelt column stops the sweep before anything runs', async () => {
    const run = await cli(['sweep', file, '--vary', 'schedule.maxConcurrent=1,2', '--where', 'maxDowntim<1']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--where: unknown column "maxDowntim" \(did you mean "maxDowntime"\?/);
    expect(run.stdout).toBe('');
  });
});
