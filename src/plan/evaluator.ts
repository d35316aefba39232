// Evaluates candidates: each candidate's document (candidate.ts) run over the plan's seeds, on the worker pool
// the sweep uses (tinypool) or in this thread, once per distinct document (a cache by candidateKey), its worst
// figures, broken constraints and score (figures.ts) kept in the order candidates were first met. Results
// come back in the order asked, whatever order the workers finish in, so any number of workers gives the
// same plan.
import { candidateDocument, candidateKey, type Candidate } from './candidate.js';
import { evaluateDocument, type EvaluationContext, type EvaluationOutcome } from './evaluate-task.js';
import { scoreOf, violated, worstOf, type Constraint, type Score, type SeedFigures, type WorstFigures } from './figures.js';
import type { PlanGoal } from './goal.js';

export interface Evaluation {
  candidate: Candidate;
  /** position among the distinct candidates evaluated, from 0 */
  index: number;
  perSeed: SeedFigures[];
  worst: WorstFigures;
  violated: Constraint[];
  score: Score;
  startOrder: string[];
  troubledVms: string[];
  /** why the candidate could not run (its score is then the worst possible) */
  error?: string;
}

/** Runs documents and answers, in the same order, their outcomes. */
export interface DocumentRunner {
  run(documents: Record<string, unknown>[]): Promise<EvaluationOutcome[]>;
  close(): Promise<void>;
}

/** Where the planner's worker threads start: the built module beside this one. */
const WORKER_FILE = new URL('./plan-worker.js', import.meta.url).href;

export function poolRunner(context: EvaluationContext, workers: number): DocumentRunner {
  // tinypool loads here, when a pool is made: the other commands never load it
  const made = import('tinypool').then(({ Tinypool }) => new Tinypool({ filename: WORKER_FILE, minThreads: workers, maxThreads: workers, workerData: context }));
  return {
    run: async (documents) => {
      const pool = await made;
      return Promise.all(documents.map((document) => pool.run(document) as Promise<EvaluationOutcome>));
    },
    close: async () => (await made).destroy(),
  };
}

/** In this thread: for tests and for library use without a build. */
export function inlineRunner(context: EvaluationContext): DocumentRunner {
  return {
    run: (documents) => Promise.resolve(documents.map((document) => evaluateDocument(context, document))),
    close: () => Promise.resolve(),
  };
}

const UNRUNNABLE: Score = { violation: Infinity, objective: Infinity, makespan: Infinity, maxDowntime: Infinity };

export class Evaluator {
  /** simulator runs so far (candidates × seeds, cached ones not counted again) */
  runs = 0;
  readonly evaluated: Evaluation[] = [];
  private readonly cache = new Map<string, Evaluation>();

  constructor(
    private readonly goal: PlanGoal,
    private readonly base: Record<string, unknown>,
    private readonly runner: DocumentRunner,
    private readonly onRuns: (runs: number) => void = () => undefined,
  ) {}

  isKnown(candidate: Candidate): boolean {
    return this.cache.has(candidateKey(candidate));
  }

  document(candidate: Candidate): Record<string, unknown> {
    return candidateDocument(this.base, this.goal.moves, candidate);
  }

  async evaluate(candidates: readonly Candidate[]): Promise<Evaluation[]> {
    const fresh: { key: string; candidate: Candidate }[] = [];
    const pending = new Set<string>();
    for (const candidate of candidates) {
      const key = candidateKey(candidate);
      if (!this.cache.has(key) && !pending.has(key)) {
        pending.add(key);
        fresh.push({ key, candidate });
      }
    }
    const outcomes = await this.runner.run(fresh.map(({ candidate }) => this.document(candidate)));
    fresh.forEach(({ key, candidate }, i) => {
      const evaluation = this.judge(candidate, outcomes[i]!);
      this.cache.set(key, evaluation);
      this.evaluated.push(evaluation);
    });
    this.runs += fresh.length * this.goal.seeds.length;
    if (fresh.length > 0) this.onRuns(fresh.length * this.goal.seeds.length);
    return candidates.map((candidate) => this.cache.get(candidateKey(candidate))!);
  }

  private judge(candidate: Candidate, outcome: EvaluationOutcome): Evaluation {
    const index = this.evaluated.length;
    if (!outcome.ok) {
      const nothing = { makespan: Infinity, maxDowntime: Infinity, p95Downtime: Infinity, totalDowntime: Infinity, overLimit: Infinity, downtimeExcess: Infinity, notCompleted: Infinity, coreBytes: Infinity, energy: Infinity, peakCoreUtilization: Infinity };
      return { candidate, index, perSeed: [], worst: nothing, violated: ['completed'], score: UNRUNNABLE, startOrder: [], troubledVms: [], error: outcome.error };
    }
    const worst = worstOf(outcome.perSeed);
    return { candidate, index, perSeed: outcome.perSeed, worst, violated: violated(worst, this.goal), score: scoreOf(worst, this.goal), startOrder: outcome.startOrder, troubledVms: outcome.troubledVms };
  }
}
