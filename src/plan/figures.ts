// What a candidate is judged by: its figures on each seed (from the run's results), the worst of each over the
// seeds (ECMP collisions change the worst downtime by an order of magnitude from seed to seed, so a plan is
// only as good as its worst seed), which constraints that worst breaks, and the order in which candidates
// rank: those breaking less first, then the smaller objective, then the shorter makespan, then the smaller
// worst downtime; ties keep the candidate met first.
import type { PlanObjective } from '../config/plan-schema.js';
import type { Results } from '../engine/results.js';
import type { PlanGoal } from './goal.js';

export interface SeedFigures {
  seed: number;
  /** first start to last end, s (summary.totalMigrationTime) */
  makespan: number;
  maxDowntime: number;
  /** 95th percentile of the migrations' downtimes (nearest rank), s */
  p95Downtime: number;
  totalDowntime: number;
  /** migrations whose downtime is over their limit */
  overLimit: number;
  /** Σ over migrations of (downtime / limit − 1) where positive: how far over, for the search to descend */
  downtimeExcess: number;
  /** refused or failed migrations */
  notCompleted: number;
  coreBytes: number;
  /** all hosts (and switches, when modelled) up to the end of the run, J */
  energy: number;
  peakCoreUtilization: number;
}

/** The worst of each figure over the seeds (the largest: every figure is a cost). */
export type WorstFigures = Omit<SeedFigures, 'seed'>;

export const CONSTRAINTS = ['completed', 'deadline', 'downtimeLimit', 'maxCoreUtilization'] as const;
export type Constraint = (typeof CONSTRAINTS)[number];

/** One named tolerance for comparing figures: relative, far above the clock's resolution. */
export const FIGURE_TOLERANCE = 1e-9;

/** Nearest-rank percentile of `values` (Hyndman & Fan's definition 1). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

/** The figures of one run. `limitOf(i)` is the downtime limit of migration i of the results. */
export function seedFigures(results: Results, limitOf: (index: number) => number): SeedFigures {
  const { summary } = results;
  const downtimes = results.migrations.map((m) => m.downtime);
  let overLimit = 0;
  let downtimeExcess = 0;
  results.migrations.forEach((m, i) => {
    const limit = limitOf(i);
    if (m.downtime > limit * (1 + FIGURE_TOLERANCE)) {
      overLimit++;
      downtimeExcess += limit > 0 ? m.downtime / limit - 1 : 1;
    }
  });
  return {
    seed: results.seed,
    makespan: summary.totalMigrationTime,
    maxDowntime: summary.maxDowntime,
    p95Downtime: percentile(downtimes, 0.95),
    totalDowntime: summary.totalDowntime,
    overLimit,
    downtimeExcess,
    notCompleted: summary.refused + summary.failed,
    coreBytes: summary.coreBytes,
    energy: summary.energy.total + (summary.energy.network ?? 0),
    peakCoreUtilization: summary.peakCoreUtilization,
  };
}

export function worstOf(perSeed: readonly SeedFigures[]): WorstFigures {
  const worst = { ...perSeed[0]! } as SeedFigures;
  for (const figures of perSeed.slice(1)) {
    for (const key of Object.keys(worst) as (keyof SeedFigures)[]) worst[key] = Math.max(worst[key], figures[key]);
  }
  const { seed: _seed, ...rest } = worst;
  return rest;
}

/** The constraints `worst` breaks, in CONSTRAINTS order. */
export function violated(worst: WorstFigures, goal: PlanGoal): Constraint[] {
  const broken: Constraint[] = [];
  if (worst.notCompleted > 0) broken.push('completed');
  if (goal.deadlineS !== undefined && worst.makespan > goal.deadlineS * (1 + FIGURE_TOLERANCE)) broken.push('deadline');
  if (worst.overLimit > 0) broken.push('downtimeLimit');
  if (goal.maxCoreUtilization !== undefined && worst.peakCoreUtilization > goal.maxCoreUtilization * (1 + FIGURE_TOLERANCE)) broken.push('maxCoreUtilization');
  return broken;
}

/** How far `worst` is from meeting the goal: 0 when it meets every constraint. A migration that does not
 * complete weighs more than any relative excess the others can reach in practice. */
export function violation(worst: WorstFigures, goal: PlanGoal): number {
  const over = (value: number, bound: number | undefined): number => (bound === undefined || bound <= 0 ? 0 : Math.max(0, value / bound - 1 - FIGURE_TOLERANCE));
  return 100 * worst.notCompleted + worst.downtimeExcess + over(worst.makespan, goal.deadlineS) + over(worst.peakCoreUtilization, goal.maxCoreUtilization);
}

export function objectiveValue(worst: WorstFigures, objective: PlanObjective): number {
  switch (objective) {
    case 'makespan':
      return worst.makespan;
    case 'downtime':
      return worst.totalDowntime;
    case 'coreBytes':
      return worst.coreBytes;
    case 'energy':
      return worst.energy;
  }
}

export interface Score {
  violation: number;
  objective: number;
  makespan: number;
  maxDowntime: number;
}

export function scoreOf(worst: WorstFigures, goal: PlanGoal): Score {
  return { violation: violation(worst, goal), objective: objectiveValue(worst, goal.objective), makespan: worst.makespan, maxDowntime: worst.maxDowntime };
}

/** Whether `a` is strictly better than `b` beyond the tolerance, field by field in Score order. */
export function better(a: Score, b: Score): boolean {
  for (const key of ['violation', 'objective', 'makespan', 'maxDowntime'] as const) {
    const scale = Math.max(Math.abs(a[key]), Math.abs(b[key]), 1e-300);
    if (Math.abs(a[key] - b[key]) > FIGURE_TOLERANCE * scale) return a[key] < b[key];
  }
  return false;
}
