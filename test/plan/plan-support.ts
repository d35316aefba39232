// Plans a scenario text in this thread (no worker threads, no build): the planner's functions as the
// command calls them, with the in-thread runner.
import { parseScenarioDocument, parseScenarioText } from '../../src/config/load.js';
import { Evaluator, inlineRunner } from '../../src/plan/evaluator.js';
import { readPlanGoal, type PlanGoal } from '../../src/plan/goal.js';
import { plan, type PlanOutcome } from '../../src/plan/planner.js';
import type { Budget } from '../../src/plan/search.js';

export const FILE = 'plan-test.yaml';

export function goalOf(text: string): { document: Record<string, unknown>; goal: PlanGoal } {
  const document = parseScenarioText(text, FILE);
  const scenario = parseScenarioDocument(document, FILE);
  return { document, goal: readPlanGoal(document, scenario, FILE) };
}

export async function planText(text: string, budget: Budget = { runs: 200 }): Promise<{ outcome: PlanOutcome; evaluator: Evaluator }> {
  const document = parseScenarioText(text, FILE);
  const scenario = parseScenarioDocument(document, FILE);
  const goal = readPlanGoal(document, scenario, FILE);
  const context = { file: FILE, seeds: goal.seeds, ...(goal.downtimeLimitS === undefined ? {} : { downtimeLimitS: goal.downtimeLimitS }) };
  const evaluator = new Evaluator(goal, document, inlineRunner(context));
  return { outcome: await plan(scenario, goal, evaluator, budget), evaluator };
}
