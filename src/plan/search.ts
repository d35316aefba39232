// The search: deterministic local search (first improvement, hill climbing) from the best baseline.
// It starts from the best of the baselines and of the repairs of the fastest ones (repairs, below).
// Neighbours of the current plan, in this order: for each VM over its downtime limit, every other technique
// and a move to the end or the front of the order; the concurrency bound one up, one down, halved and
// doubled; every other technique for every VM; adjacent swaps in the order, then each VM moved to the
// front; a cap on each VM's stream at a half and a quarter of its source's link, none (`maxBandwidth: none`,
// lifting QEMU's default 128 MiB/s), or as the scenario writes it.
// They are evaluated in fixed chunks of CHUNK candidates (the same chunks whatever the number of workers);
// after a chunk that holds a better plan, the best of that chunk becomes the current plan and the neighbours
// are made anew; the search ends at a plan no neighbour improves (a local optimum) or when the budget is
// spent. A budget of runs gives the same plan on every machine; a budget of time does not (where it stops
// depends on the machine's speed).
import type { PlanStrategy } from '../config/plan-schema.js';
import { candidateKey, type Candidate, type MoveSetting } from './candidate.js';
import type { Evaluation, Evaluator } from './evaluator.js';
import { better, objectiveValue } from './figures.js';
import type { PlanGoal } from './goal.js';

/** Candidates evaluated between two decisions: small enough to move on soon after an improvement, large
 * enough to keep a few workers busy. */
export const CHUNK = 8;

export interface Budget {
  /** simulator runs the search may spend (candidates × seeds), beyond the baselines */
  runs?: number;
  /** seconds of wall-clock time the search may spend, measured by `clock` */
  seconds?: number;
  clock?: () => number;
}

export interface SearchInput {
  goal: PlanGoal;
  evaluator: Evaluator;
  /** every baseline evaluated (baselines.ts) */
  baselines: readonly Evaluation[];
  budget: Budget;
  /** the capacity of each move's source host link, B/s: what the bandwidth caps are fractions of */
  sourceLinkBytesPerS: readonly number[];
}

/** Policies whose plan is "the moves in this order, at most this many at once": the search rearranges them. */
const ORDERED = new Set(['sequential', 'parallel', 'bounded', 'smallest-first', 'largest-first']);
const CAP_FRACTIONS = [0.5, 0.25];

function moveTo<T>(list: readonly T[], from: number, to: number): T[] {
  const copy = [...list];
  const [item] = copy.splice(from, 1);
  copy.splice(to, 0, item!);
  return copy;
}

/** The `bounded` form of an ordered policy's evaluated plan: its moves in the order they started. */
function boundedForm(evaluation: Evaluation, goal: PlanGoal): Candidate | undefined {
  const { candidate } = evaluation;
  if (candidate.policy === 'bounded' || !ORDERED.has(candidate.policy) || evaluation.startOrder.length !== goal.moves.length) return undefined;
  const indexOf = new Map(goal.moves.map((move, i) => [move.vm, i]));
  const limit = candidate.policy === 'sequential' ? 1 : candidate.policy === 'parallel' ? goal.moves.length : (candidate.maxConcurrent ?? 1);
  return { label: `${candidate.label} as bounded`, order: evaluation.startOrder.map((vm) => indexOf.get(vm)!), policy: 'bounded', maxConcurrent: limit, settings: candidate.settings };
}

function withSetting(candidate: Candidate, move: number, change: (setting: MoveSetting) => MoveSetting, label: string): Candidate {
  const settings = [...candidate.settings];
  settings[move] = change({ ...settings[move] });
  return { ...candidate, label, settings };
}

function neighbours(current: Evaluation, input: SearchInput): Candidate[] {
  const { goal, sourceLinkBytesPerS } = input;
  const c = current.candidate;
  const n = goal.moves.length;
  const vm = (move: number): string => goal.moves[move]!.vm;
  const list: Candidate[] = [];
  const ordered = c.policy === 'bounded';
  const strategyOf = (move: number): PlanStrategy | undefined => c.settings[move]?.strategy;
  const techniques = (move: number): Candidate[] =>
    goal.strategies.filter((name) => name !== strategyOf(move)).map((strategy) => withSetting(c, move, (s) => ({ ...s, strategy }), `${vm(move)} ${strategy}`));
  const indexOf = new Map(goal.moves.map((move, i) => [move.vm, i]));
  for (const name of current.troubledVms) {
    const move = indexOf.get(name)!;
    list.push(...techniques(move));
    if (ordered) {
      const at = c.order.indexOf(move);
      list.push({ ...c, label: `${name} last`, order: moveTo(c.order, at, n - 1) }, { ...c, label: `${name} first`, order: moveTo(c.order, at, 0) });
    }
  }
  const bound = c.maxConcurrent ?? n;
  for (const next of [bound - 1, bound + 1, Math.floor(bound / 2), 2 * bound]) {
    if (next >= 1 && next <= n && next !== bound) list.push({ ...c, label: `concurrency ${bound} → ${next}`, maxConcurrent: next });
  }
  for (let move = 0; move < n; move++) list.push(...techniques(move));
  if (ordered) {
    for (let i = 0; i + 1 < n; i++) list.push({ ...c, label: `swap ${vm(c.order[i]!)} ↔ ${vm(c.order[i + 1]!)}`, order: moveTo(c.order, i, i + 1) });
    for (let i = 1; i < n; i++) list.push({ ...c, label: `${vm(c.order[i]!)} first`, order: moveTo(c.order, i, 0) });
  }
  for (let move = 0; move < n; move++) {
    const capped = c.settings[move]?.maxBandwidthBytesPerS;
    for (const fraction of CAP_FRACTIONS) {
      const cap = fraction * sourceLinkBytesPerS[move]!;
      if (cap !== capped && Number.isFinite(cap) && cap > 0) list.push(withSetting(c, move, (s) => ({ ...s, maxBandwidthBytesPerS: cap }), `${vm(move)} capped at ${fraction} of its link`));
    }
    if (capped !== Infinity) list.push(withSetting(c, move, (s) => ({ ...s, maxBandwidthBytesPerS: Infinity }), `${vm(move)} uncapped`));
    if (capped !== undefined) list.push(withSetting(c, move, ({ maxBandwidthBytesPerS: _cap, ...s }) => s, `${vm(move)} capped as written`));
  }
  return list;
}

/** Runs left in the budget (Infinity when it has none of runs), or 0 when its time is up. */
function left(input: SearchInput, spentRuns: number, startS: number): number {
  const { budget } = input;
  if (budget.seconds !== undefined && budget.clock !== undefined && budget.clock() - startS >= budget.seconds) return 0;
  return budget.runs === undefined ? Infinity : Math.max(0, budget.runs - spentRuns);
}

export interface SearchOutcome {
  best: Evaluation;
  /** where the local search started: the best baseline or a repair of one */
  from: Evaluation;
  /** improvements accepted, in order */
  steps: string[];
  /** whether the search stopped at a local optimum (else the budget ran out) */
  converged: boolean;
  runs: number;
}

/** How many of the fastest baselines that break only downtime limits get repaired for the start. */
const REPAIRED_BASELINES = 4;
/** Rounds of repair: the VMs a repair leaves in trouble (others now share the links differently) get the
 * same technique in the next round. */
const REPAIR_ROUNDS = 3;

/** `evaluation`'s plan with each of its troubled VMs given `strategy` (kept: earlier rounds' choices). */
function repaired(evaluation: Evaluation, form: Candidate, strategy: PlanStrategy, goal: PlanGoal, round: number): Candidate {
  const indexOf = new Map(goal.moves.map((move, i) => [move.vm, i]));
  const settings = [...form.settings];
  for (const vm of evaluation.troubledVms) settings[indexOf.get(vm)!] = { ...settings[indexOf.get(vm)!], strategy };
  const label = round === 1 ? `${evaluation.candidate.label}, VMs over their limit or failed by ${strategy}` : evaluation.candidate.label.replace(/( \(round \d+\))?$/, ` (round ${round})`);
  return { ...form, label, settings };
}

/**
 * The constructive start's repairs: the fastest (by the objective) ordered baselines that leave some VMs over
 * their downtime limit or failed (a QEMU precopy that never converges fails), in bounded form, with every
 * such VM given one other technique (each allowed one in turn), for up to REPAIR_ROUNDS rounds. A fast plan
 * with a few hot guests is often a few techniques away from meeting the goal, and the local search would
 * need as many steps as hot guests to get there. Returns every repair evaluated.
 */
async function repairs(input: SearchInput, room: () => number): Promise<Evaluation[]> {
  const { baselines, goal, evaluator } = input;
  let chains = baselines
    .filter((e) => e.error === undefined && e.troubledVms.length > 0 && ORDERED.has(e.candidate.policy))
    .sort((a, b) => objectiveValue(a.worst, goal.objective) - objectiveValue(b.worst, goal.objective) || a.index - b.index)
    .slice(0, REPAIRED_BASELINES)
    .flatMap((evaluation) => {
      const form = evaluation.candidate.policy === 'bounded' ? evaluation.candidate : boundedForm(evaluation, goal);
      return form === undefined ? [] : goal.strategies.map((strategy) => ({ evaluation, form, strategy }));
    });
  const all: Evaluation[] = [];
  for (let round = 1; round <= REPAIR_ROUNDS && chains.length > 0; round++) {
    const candidates = chains.map(({ evaluation, form, strategy }) => repaired(evaluation, form, strategy, goal, round)).slice(0, room());
    const evaluations = await evaluator.evaluate(candidates);
    all.push(...evaluations);
    chains = evaluations.flatMap((evaluation, i) => (evaluation.troubledVms.length > 0 && evaluation.error === undefined ? [{ evaluation, form: evaluation.candidate, strategy: chains[i]!.strategy }] : []));
  }
  return all;
}

export async function search(input: SearchInput): Promise<SearchOutcome> {
  const { evaluator, goal } = input;
  const seeds = goal.seeds.length;
  const firstRuns = evaluator.runs;
  const startS = input.budget.clock?.() ?? 0;
  const spent = (): number => evaluator.runs - firstRuns;
  const room = (): number => Math.floor(left(input, spent(), startS) / seeds);
  const pick = (evaluations: readonly Evaluation[], from: Evaluation): Evaluation =>
    evaluations.reduce((best, evaluation) => (better(evaluation.score, best.score) ? evaluation : best), from);
  let current = pick(input.baselines, input.baselines[0]!);
  current = pick(await repairs(input, room), current);
  const form = boundedForm(current, goal);
  if (form !== undefined && room() >= 1) {
    const [converted] = await evaluator.evaluate([form]);
    // The same plan written as `bounded`: it takes over unless it did worse (it should do the same).
    if (!better(current.score, converted!.score)) current = converted!;
  }
  const from = current;
  const steps: string[] = [];
  const end = (converged: boolean): SearchOutcome => ({ best: current, from, steps, converged, runs: spent() });
  for (;;) {
    const fresh = neighbours(current, input).filter((candidate) => !evaluator.isKnown(candidate));
    const unique = [...new Map(fresh.map((candidate) => [candidateKey(candidate), candidate])).values()];
    if (unique.length === 0) return end(true);
    let improved = false;
    for (let at = 0; at < unique.length && !improved; at += CHUNK) {
      const chunk = unique.slice(at, at + Math.min(CHUNK, room()));
      if (chunk.length === 0) return end(false);
      const best = pick(await evaluator.evaluate(chunk), current);
      if (best !== current) {
        current = best;
        steps.push(best.candidate.label);
        improved = true;
      }
    }
    if (!improved) return end(true);
  }
}
