// What `mignet plan --out DIR` writes besides the report: plan.yaml, the best plan as a scenario `mignet run`
// runs (its figures on seed s are the plan's figures on seed s: `mignet run DIR/plan.yaml --seed s`), and
// plan.json (CONTRACT.md, "Planning"): `{ feasible, objective, plan: { name, seeds, figures: [per seed],
// worst }, baselines: [{ name, figures, worst, violated }], violated?, goal, search, pareto }`. Both are the
// same bytes from the same inputs (with a budget of runs), whatever the number of workers.
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { stringify } from 'yaml';
import type { Evaluation } from './evaluator.js';
import { objectiveValue } from './figures.js';
import type { PlanOutcome } from './planner.js';

/** The best plan's document, ready to run from `outDir`: seeded with the first seed, a graphml topology's
 * file path made relative to `outDir`. */
export function planDocument(document: Record<string, unknown>, file: string, outDir: string, seed: number): Record<string, unknown> {
  const topology = document.topology as Record<string, unknown> | undefined;
  const moved =
    topology?.kind === 'graphml' && typeof topology.file === 'string' && !isAbsolute(topology.file)
      ? { ...document, topology: { ...topology, file: relative(resolve(outDir), resolve(dirname(file), topology.file)) } }
      : document;
  return { ...moved, seed };
}

export function planYaml(outcome: PlanOutcome, document: Record<string, unknown>, file: string): string {
  const { best, goal } = outcome;
  const verdict = best.violated.length === 0 ? 'meets the goal' : `does NOT meet: ${best.violated.join(', ')}`;
  const header = [
    `# mignet plan of ${file}: ${best.candidate.label}; ${verdict}.`,
    `# ${goal.objective} (worst of seeds ${goal.seeds.join(', ')}): ${objectiveValue(best.worst, goal.objective)}.`,
    `# Each seed's figures: mignet run plan.yaml --seed S (plan.json lists them).`,
  ];
  return `${header.join('\n')}\n${stringify(document, { lineWidth: 0 })}`;
}

function entry(evaluation: Evaluation): Record<string, unknown> {
  return {
    name: evaluation.candidate.label,
    feasible: evaluation.violated.length === 0,
    violated: evaluation.violated,
    worst: evaluation.worst,
    figures: evaluation.perSeed,
    ...(evaluation.error === undefined ? {} : { error: evaluation.error }),
  };
}

export function planJson(outcome: PlanOutcome): string {
  const { best, goal } = outcome;
  const feasible = best.violated.length === 0;
  const json = {
    feasible,
    objective: { name: goal.objective, value: objectiveValue(best.worst, goal.objective) },
    plan: { ...entry(best), seeds: goal.seeds, moves: best.candidate.order.map((i) => ({ vm: goal.moves[i]!.vm, from: goal.moves[i]!.from, to: goal.moves[i]!.to })) },
    baselines: outcome.baselines.map(entry),
    ...(feasible ? {} : { violated: best.violated }),
    goal: {
      evacuatedHosts: goal.evacuatedHosts,
      ...(goal.deadlineS === undefined ? {} : { deadline: goal.deadlineS }),
      ...(goal.downtimeLimitS === undefined ? {} : { downtimeLimit: goal.downtimeLimitS }),
      ...(goal.maxCoreUtilization === undefined ? {} : { maxCoreUtilization: goal.maxCoreUtilization }),
      objective: goal.objective,
      seeds: goal.seeds,
      strategies: goal.strategies,
    },
    search: { bestBaseline: outcome.start.candidate.label, start: outcome.from.candidate.label, steps: outcome.steps, converged: outcome.converged, runs: outcome.runs },
    pareto: outcome.pareto.map((e) => ({ name: e.candidate.label, makespan: e.worst.makespan, maxDowntime: e.worst.maxDowntime, feasible: e.violated.length === 0 })),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}
