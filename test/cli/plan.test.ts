// `mignet plan` as users run it: the built CLI in a child process (its worker threads load the built
// dist/plan/plan-worker.js). The plan file is the same byte for byte with 1 and 4 workers; `mignet run` of
// plan.yaml reproduces the figures plan.json gives for each seed exactly; a deadline no plan can meet gets
// exit 0, `feasible: false` and the constraint named; bad goals exit 2 with the problem's path.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, shown, STACK_FRAME } from '../support/cli.js';

// Three guests leave host a over one 10 Gbit/s path; `hot` converges only when it has most of the link.
const SCENARIO = (plan: string) => `name: plan-cli
topology:
  kind: graph
  nodes: [{ id: a, kind: host }, { id: s, kind: switch }, { id: b, kind: host }, { id: c, kind: host }]
  links:
    - { from: a, to: s, capacity: 10 Gbit/s, latency: 10 us }
    - { from: s, to: b, capacity: 10 Gbit/s, latency: 10 us, core: true }
    - { from: s, to: c, capacity: 10 Gbit/s, latency: 10 us, core: true }
defaults: { migration: { strategy: precopy, downtimeLimit: 300 ms, convergenceCheck: round-end, maxBandwidth: none } }
vms:
  - { id: hot, host: a, memory: 2 GiB, workload: { dirtyRate: 2 GiB/s, hotSet: 256 MiB, hotFraction: 1 } }
  - { id: calm, host: a, memory: 2 GiB }
  - { id: warm, host: a, memory: 1 GiB, workload: { dirtyRate: 100 MiB/s } }
migrations: [{ vm: hot, to: b }, { vm: calm, to: c }, { vm: warm, to: b }]
plan: ${plan}
`;

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mignet-plan-'));
  writeFileSync(join(dir, 'three.yaml'), SCENARIO('{ seeds: 2, deadline: 10 s }'));
  writeFileSync(join(dir, 'tight.yaml'), SCENARIO('{ seeds: 2, deadline: 1 s }'));
  writeFileSync(join(dir, 'bad.yaml'), SCENARIO('{ evacuate: { racks: [nowhere] }, objective: speed }'));
});
afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

interface PlanJson {
  feasible: boolean;
  objective: { name: string; value: number };
  plan: { name: string; figures: { seed: number; makespan: number; maxDowntime: number; totalDowntime: number; coreBytes: number; energy: number }[] };
  baselines: { name: string; feasible: boolean }[];
  violated?: string[];
}

describe('mignet plan', () => {
  it('writes the same plan.yaml and plan.json with 1 and 4 workers, and run of plan.yaml reproduces its figures', async () => {
    const one = await cli(['plan', join(dir, 'three.yaml'), '--out', join(dir, 'one'), '--workers', '1', '--budget', '40']);
    const four = await cli(['plan', join(dir, 'three.yaml'), '--out', join(dir, 'four'), '--workers', '4', '--budget', '40']);
    expect(one.status, shown(one)).toBe(0);
    expect(four.status, shown(four)).toBe(0);
    for (const name of ['plan.yaml', 'plan.json']) {
      expect(readFileSync(join(dir, 'four', name), 'utf8')).toBe(readFileSync(join(dir, 'one', name), 'utf8'));
    }
    expect(one.stdout).toMatch(/^feasible: /);
    const json = JSON.parse(readFileSync(join(dir, 'one', 'plan.json'), 'utf8')) as PlanJson;
    expect(json.feasible).toBe(true);
    expect(json.plan.figures.map((f) => f.seed)).toEqual([1, 2]);
    for (const figures of json.plan.figures) {
      const run = await cli(['run', join(dir, 'one', 'plan.yaml'), '--seed', String(figures.seed), '--json']);
      expect(run.status, shown(run)).toBe(0);
      const { summary } = JSON.parse(run.stdout) as { summary: { totalMigrationTime: number; maxDowntime: number; totalDowntime: number; coreBytes: number; energy: { total: number } } };
      expect([summary.totalMigrationTime, summary.maxDowntime, summary.totalDowntime, summary.coreBytes, summary.energy.total]).toEqual([
        figures.makespan, figures.maxDowntime, figures.totalDowntime, figures.coreBytes, figures.energy,
      ]);
    }
    const html = readFileSync(join(dir, 'one', 'report.html'), 'utf8');
    expect(html).toContain('Against the baselines');
    expect(html).toContain('<svg');
  });

  it('answers a deadline no plan meets honestly: exit 0, feasible false, the constraint named, the best found', async () => {
    // 5 GiB must cross one 10 Gbit/s link: at least 5 · 2^30 · 1538/1460 / 1.25e9 = 4.5 s, never 1 s.
    const result = await cli(['plan', join(dir, 'tight.yaml'), '--out', join(dir, 'tight'), '--workers', '1', '--budget', '20']);
    expect(result.status, shown(result)).toBe(0);
    expect(result.stdout).toMatch(/^infeasible: no plan found meets deadline; the best found is /);
    const json = JSON.parse(readFileSync(join(dir, 'tight', 'plan.json'), 'utf8')) as PlanJson;
    expect(json.feasible).toBe(false);
    expect(json.violated).toEqual(['deadline']);
    expect(json.objective.value).toBeGreaterThan(4.5);
    expect(readFileSync(join(dir, 'tight', 'plan.yaml'), 'utf8')).toMatch(/does NOT meet: deadline/);
  });

  it('exits 2 on a bad goal, naming every problem at its path, without a stack trace', async () => {
    const result = await cli(['plan', join(dir, 'bad.yaml'), '--out', join(dir, 'bad')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('bad.yaml: plan.objective: "speed" is not allowed');
    expect(result.stderr).not.toMatch(STACK_FRAME);
    const budget = await cli(['plan', join(dir, 'three.yaml'), '--out', join(dir, 'x'), '--budget', 'soon']);
    expect(budget.status).toBe(2);
    expect(budget.stderr).toContain('expected a whole number of runs');
  });
});
