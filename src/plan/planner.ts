// `mignet plan` as a function: the baselines (baselines.ts) evaluated first, the search (search.ts) from the
// best of them, and the answer — the best plan evaluated (never worse than a baseline: the search only
// accepts improvements), whether it meets the goal, which constraints it breaks if not, and the Pareto front
// of makespan against worst downtime over every plan evaluated.
import type { Scenario } from '../config/scenario.js';
import { buildTopology } from '../topology/index.js';
import { baselineCandidates } from './baselines.js';
import type { Evaluation, Evaluator } from './evaluator.js';
import { better } from './figures.js';
import type { PlanGoal } from './goal.js';
import { search, type Budget } from './search.js';

export interface PlanOutcome {
  goal: PlanGoal;
  best: Evaluation;
  baselines: Evaluation[];
  /** the best baseline */
  start: Evaluation;
  /** where the local search started: the best baseline, or a repair of a faster one (search.ts) */
  from: Evaluation;
  /** improvements the search accepted, in order */
  steps: string[];
  converged: boolean;
  /** simulator runs: the baselines', the search's */
  runs: { baselines: number; search: number };
  /** plans no other evaluated plan beats on both worst makespan and worst downtime, by makespan */
  pareto: Evaluation[];
}

/** The capacity of the link that leaves each move's source host (its fastest, if it has several), B/s. */
function sourceLinks(scenario: Scenario, goal: PlanGoal): number[] {
  const topology = buildTopology(scenario.topology);
  return goal.moves.map((move) => Math.max(0, ...topology.graph.mapOutEdges(move.from, (_edge, attributes) => attributes.capacityBytesPerS)));
}

function bestOf(evaluations: readonly Evaluation[]): Evaluation {
  return evaluations.reduce((best, evaluation) => (better(evaluation.score, best.score) ? evaluation : best));
}

export function paretoFront(evaluations: readonly Evaluation[]): Evaluation[] {
  const ran = evaluations.filter((e) => e.error === undefined && e.worst.notCompleted === 0);
  const dominated = (a: Evaluation, b: Evaluation): boolean =>
    b.worst.makespan <= a.worst.makespan && b.worst.maxDowntime <= a.worst.maxDowntime && (b.worst.makespan < a.worst.makespan || b.worst.maxDowntime < a.worst.maxDowntime);
  const front = ran.filter((a) => !ran.some((b) => dominated(a, b)));
  // One plan per point: the first met.
  const seen = new Set<string>();
  return front
    .filter((e) => {
      const key = `${e.worst.makespan} ${e.worst.maxDowntime}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.worst.makespan - b.worst.makespan || a.index - b.index);
}

export async function plan(scenario: Scenario, goal: PlanGoal, evaluator: Evaluator, budget: Budget): Promise<PlanOutcome> {
  const baselines = await evaluator.evaluate(baselineCandidates(goal.moves.length));
  const baselineRuns = evaluator.runs;
  const start = bestOf(baselines);
  const found = await search({ goal, evaluator, baselines, budget, sourceLinkBytesPerS: sourceLinks(scenario, goal) });
  const best = bestOf([found.best, ...baselines]);
  return {
    goal,
    best,
    baselines,
    start,
    from: found.from,
    steps: found.steps,
    converged: found.converged,
    runs: { baselines: baselineRuns, search: found.runs },
    pareto: paretoFront(evaluator.evaluated),
  };
}
