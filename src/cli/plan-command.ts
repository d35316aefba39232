// `mignet plan FILE --out DIR [--seeds N] [--budget RUNS|TIME] [--workers N]` (CONTRACT.md, "Planning"):
// reads the scenario and its `plan:` goal (src/plan/goal.ts), evaluates the baselines and searches on worker
// threads (src/plan), writes DIR/plan.yaml, DIR/plan.json and DIR/report.html and prints the verdict.
// Exit 0 with a plan, also when no plan meets the goal (the verdict says which constraint cannot be met and
// plan.json has `feasible: false`); 2 for bad input; 1 for an internal error.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { InvalidArgumentError } from 'commander';
import { parseQuantity } from '../config/units.js';
import { parseScenarioDocument, readScenarioDocument } from '../config/index.js';
import { formatWarnings, scenarioWarnings } from '../config/warnings.js';
import { formatDuration } from '../report/summary-table.js';
import { OutputDirError, prepareOutputDir } from '../report/output-dir.js';
import { baselineCandidates } from '../plan/baselines.js';
import { Evaluator, poolRunner } from '../plan/evaluator.js';
import { objectiveValue } from '../plan/figures.js';
import { readPlanGoal } from '../plan/goal.js';
import { planDocument, planJson, planYaml } from '../plan/plan-output.js';
import { planReport } from '../plan/plan-report.js';
import { plan } from '../plan/planner.js';
import type { Budget } from '../plan/search.js';
import { startProgress } from './sweep-progress.js';
import { UsageError } from './usage-error.js';

export interface PlanOptions {
  out: string;
  seeds?: number;
  budget?: Budget;
  workers?: number;
}

/** Simulator runs the search may spend when no --budget is given. */
export const DEFAULT_BUDGET_RUNS = 300;

/** `--budget`: a whole number of runs, or a time with its unit ("90 s", "5 min"). */
export function parseBudget(value: string): Budget {
  if (/^\d+$/.test(value.trim())) {
    const runs = Number(value);
    if (runs >= 1 && Number.isSafeInteger(runs)) return { runs };
  }
  const time = parseQuantity(value, 'time');
  if (time.ok && time.value > 0 && Number.isFinite(time.value)) return { seconds: time.value, clock: () => performance.now() / 1000 };
  throw new InvalidArgumentError('expected a whole number of runs (e.g. 300) or a time (e.g. "90 s", "5 min")');
}

export function parseSeedCount(value: string): number {
  const seeds = Number(value);
  if (!Number.isInteger(seeds) || seeds < 1 || seeds > 64) throw new InvalidArgumentError('expected a whole number from 1 to 64');
  return seeds;
}

function write(dir: string, name: string, text: string): void {
  try {
    writeFileSync(join(dir, name), text);
  } catch (error) {
    throw new UsageError(`--out ${dir}: cannot write ${name} (${error instanceof Error ? error.message : String(error)})`);
  }
}

export async function planCommand(file: string, options: PlanOptions): Promise<void> {
  const document = readScenarioDocument(file);
  const scenario = parseScenarioDocument(document, file);
  process.stderr.write(formatWarnings(file, scenarioWarnings(document, scenario)));
  const goal = readPlanGoal(document, scenario, file, options.seeds);
  try {
    prepareOutputDir(options.out);
  } catch (error) {
    throw error instanceof OutputDirError ? new UsageError(error.message) : error;
  }
  const budget = options.budget ?? { runs: DEFAULT_BUDGET_RUNS };
  const context = { file, seeds: goal.seeds, ...(goal.downtimeLimitS === undefined ? {} : { downtimeLimitS: goal.downtimeLimitS }) };
  const runner = poolRunner(context, Math.max(1, options.workers ?? availableParallelism()));
  const baselineRuns = baselineCandidates(goal.moves.length).length * goal.seeds.length;
  const progress = await startProgress(baselineRuns + (budget.runs ?? 0), process.stderr, 'plan');
  const evaluator = new Evaluator(goal, document, runner, (runs) => progress.tick(runs));
  let outcome;
  try {
    outcome = await plan(scenario, goal, evaluator, budget);
  } finally {
    progress.stop();
    await runner.close();
  }
  const best = outcome.best;
  write(options.out, 'plan.yaml', planYaml(outcome, planDocument(evaluator.document(best.candidate), file, options.out, goal.seeds[0]!), file));
  write(options.out, 'plan.json', planJson(outcome));
  write(options.out, 'report.html', await planReport(outcome, file));
  const startValue = objectiveValue(outcome.start.worst, goal.objective);
  const value = objectiveValue(best.worst, goal.objective);
  const show = (v: number): string => (goal.objective === 'makespan' || goal.objective === 'downtime' ? formatDuration(v) : `${v.toPrecision(6)}`);
  const lines = [
    best.violated.length === 0
      ? `feasible: ${best.candidate.label} meets the goal on every seed (${goal.seeds.join(', ')})`
      : `infeasible: no plan found meets ${best.violated.join(', ')}; the best found is ${best.candidate.label}`,
    `${goal.objective} ${show(value)} (worst over the seeds); best baseline ${outcome.start.candidate.label}: ${show(startValue)}${outcome.start.violated.length > 0 ? ` (breaks ${outcome.start.violated.join(', ')})` : ''}`,
    `${outcome.runs.baselines} baseline runs, ${outcome.runs.search} search runs${outcome.converged ? ' (a local optimum)' : ' (budget spent)'}`,
    `wrote plan.yaml, plan.json and report.html to ${options.out}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
