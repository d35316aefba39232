// The entry of the planner's worker threads (tinypool loads this module in each, as the sweep's workers):
// the plan's context arrives once, as workerData; each task is a candidate's document, answered with its
// figures per seed (evaluate-task.ts).
import { Tinypool } from 'tinypool';
import { evaluateDocument, type EvaluationContext, type EvaluationOutcome } from './evaluate-task.js';

const context = Tinypool.workerData as EvaluationContext;

export default function run(document: Record<string, unknown>): EvaluationOutcome {
  return evaluateDocument(context, document);
}
