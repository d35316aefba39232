// Weighted max-min fair sharing of capacities among flows, with per-flow rate caps.
//
// Model: constraints (directed links, or anything else with a capacity in B/s) are shared by flows; flow f
// has a weight w_f > 0 and a cap. The allocation is weighted max-min fair: each flow is either at its cap or
// crosses a saturated constraint on which no flow has a larger rate/weight ratio (its bottleneck). This is
// the model SimGrid's LMM solver computes for TCP-like flows (src/kernel/lmm/maxmin.cpp, MaxMin::maxmin_solve:
// a variable gets value = min_usage / sharing_penalty, so our weight is the inverse of its sharing penalty,
// and our cap is its bound).
//
// Method: progressive filling (Bertsekas & Gallager, Data Networks, 2nd ed., §6.5.2). Every unfrozen flow
// runs at w_f · s for a common fill level s. A constraint reaches its limit at level
// remaining / (sum of unfrozen weights through it), a cap at cap_f / w_f. Take the smallest level, freeze
// the flows it saturates, subtract their rates from the other constraints they cross, and repeat.
// Freezing flows at the minimum level never lowers another constraint's level
// ((r − w·s) / (W − w) ≥ r / W whenever r / W ≥ s), so the levels sit in a binary min-heap with lazy
// invalidation: an entry whose level has grown since it was pushed is re-keyed when it reaches the top, and
// entries that died (all their flows froze elsewhere) are dropped in bulk once they are half the heap.
// Cost: O((F·L + C) log(C + F)) per solve for F flows of path length L over C constraints, where SimGrid
// rescans all unsaturated constraints after each step ("Find out which variables reach the maximum").
//
// Assumptions: the solver knows nothing about networks; it reads flat typed arrays (STYLE.md, "Layers").
// A constraint of infinite capacity never binds. A flow listing a constraint twice uses it twice.
// A flow with no finite constraint and no cap gets Infinity.
import { SimulationError } from '../engine/simulation-error.js';
import type { FairShareProblem, FairShareSolver } from './fair-share-solver.js';

export type { FairShareProblem } from './fair-share-solver.js';

// Remaining capacity below this fraction of the constraint's capacity is rounding residue from subtracting
// the rates of its frozen flows, and is taken as 0. SimGrid does the same (double_update of remaining with
// bound × maxmin/precision, 1e-5 by default, in maxmin.cpp); ours is far tighter because we promise no
// constraint over capacity by more than a relative 1e-9, and max-min rates to about that precision.
const RELATIVE_TOLERANCE = 1e-12;

// The running sum of unfrozen weights on a constraint is recomputed exactly once it has fallen below
// 1/WEIGHT_RESUM_FACTOR of its last exact value: subtracting a large weight from a sum that also holds tiny
// ones (1e6 and 1e-6 on one link) would otherwise leave the tiny ones a sum made of rounding error. Between
// recomputations the relative error stays below ~WEIGHT_RESUM_FACTOR · (flows on the constraint) · 2^-53.
const WEIGHT_RESUM_FACTOR = 16;

/** Reusable solver: keeps its scratch buffers between calls (grows them when needed) so a solve allocates nothing in steady state. */
export class MaxMinSolver implements FairShareSolver {
  readonly name = 'max-min';
  // What the property suite checks it to (test/transport/fair-share.test.ts); RELATIVE_TOLERANCE below is the
  // far smaller residue it rounds to 0 inside a solve.
  readonly relativeTolerance = 1e-9;
  // per constraint
  private remaining = new Float64Array(0);
  private weightSum = new Float64Array(0);
  private weightSumExact = new Float64Array(0);
  private unfrozenCount = new Int32Array(0);
  // constraint → flows, the transpose of the problem's CSR; start has one more entry than constraints
  private constraintFlowStart = new Int32Array(1);
  private constraintFlowCursor = new Int32Array(0);
  private constraintFlowIndex = new Int32Array(0);
  // per flow
  private frozen = new Uint8Array(0);
  // heap of levels: item < constraintCount is a constraint, otherwise the cap of flow item − constraintCount
  private heapLevel = new Float64Array(0);
  private heapItem = new Int32Array(0);
  private heapSize = 0;
  // entries whose constraint has no unfrozen flow left, or whose capped flow froze at a constraint
  private deadEntries = 0;
  // the constraint whose flows are being frozen (its entry has left the heap), or −1
  private saturating = -1;

  /** writes each flow's rate into rates[0..flowCount); a flow with no constraints and no cap gets Infinity */
  solve(problem: FairShareProblem, rates: Float64Array): void {
    const { constraintCount, constraintCapacity, flowCount, flowWeight, flowCap } = problem;
    const { flowConstraintStart, flowConstraintIndex } = problem;
    validate(problem, rates);
    const entryCount = flowConstraintStart[flowCount]! - flowConstraintStart[0]!;
    this.reserve(constraintCount, flowCount, entryCount);

    const remaining = this.remaining;
    const weightSum = this.weightSum;
    const weightSumExact = this.weightSumExact;
    const unfrozenCount = this.unfrozenCount;
    const constraintFlowStart = this.constraintFlowStart;
    const constraintFlowCursor = this.constraintFlowCursor;
    const constraintFlowIndex = this.constraintFlowIndex;
    const frozen = this.frozen;

    // Transpose the flow → constraint CSR and sum the weights on each constraint.
    unfrozenCount.fill(0, 0, constraintCount);
    weightSum.fill(0, 0, constraintCount);
    for (let f = 0; f < flowCount; f++) {
      const weight = flowWeight[f]!;
      for (let k = flowConstraintStart[f]!; k < flowConstraintStart[f + 1]!; k++) {
        const c = flowConstraintIndex[k]!;
        unfrozenCount[c]!++;
        weightSum[c]! += weight;
      }
    }
    constraintFlowStart[0] = 0;
    for (let c = 0; c < constraintCount; c++) {
      constraintFlowStart[c + 1] = constraintFlowStart[c]! + unfrozenCount[c]!;
      constraintFlowCursor[c] = constraintFlowStart[c]!;
      remaining[c] = constraintCapacity[c]!;
      weightSumExact[c] = weightSum[c]!;
    }
    for (let f = 0; f < flowCount; f++) {
      for (let k = flowConstraintStart[f]!; k < flowConstraintStart[f + 1]!; k++) {
        const c = flowConstraintIndex[k]!;
        constraintFlowIndex[constraintFlowCursor[c]!++] = f;
      }
    }
    frozen.fill(0, 0, flowCount);

    // Every finite constraint with flows and every finite cap enters the heap once.
    const heapLevel = this.heapLevel;
    const heapItem = this.heapItem;
    let size = 0;
    for (let c = 0; c < constraintCount; c++) {
      if (unfrozenCount[c]! > 0 && remaining[c]! < Infinity) {
        heapLevel[size] = remaining[c]! / weightSum[c]!;
        heapItem[size++] = c;
      }
    }
    for (let f = 0; f < flowCount; f++) {
      if (flowCap[f]! < Infinity) {
        heapLevel[size] = flowCap[f]! / flowWeight[f]!;
        heapItem[size++] = constraintCount + f;
      }
    }
    this.heapSize = size;
    this.deadEntries = 0;
    this.saturating = -1;
    this.heapify();

    while (this.heapSize > 0) {
      // Most constraints never bind: their flows freeze elsewhere first. Dropping their dead entries in
      // bulk costs O(1) each, where popping them one by one would cost O(log heap size) each.
      if (this.deadEntries > 16 && 2 * this.deadEntries > this.heapSize) this.compact(constraintCount);
      const item = heapItem[0]!;
      if (item >= constraintCount) {
        const f = item - constraintCount;
        this.popTop();
        if (frozen[f] === 0) this.freeze(problem, f, flowCap[f]!, rates, false);
        else this.deadEntries--;
        continue;
      }
      const c = item;
      if (unfrozenCount[c] === 0) {
        this.popTop();
        this.deadEntries--;
        continue;
      }
      const level = remaining[c]! / weightSum[c]!;
      if (level > heapLevel[0]!) {
        // Stale: flows through c froze since this entry was keyed, which raised its level.
        heapLevel[0] = level;
        this.siftDown(0);
        continue;
      }
      this.popTop();
      // c is the tightest: all its unfrozen flows saturate it together, at w_f · level. The min with the
      // cap only matters when a cap ties with this level to rounding.
      this.saturating = c;
      for (let k = constraintFlowStart[c]!; k < constraintFlowStart[c + 1]!; k++) {
        const f = constraintFlowIndex[k]!;
        if (frozen[f] !== 0) continue;
        const cap = flowCap[f]!;
        this.freeze(problem, f, Math.min(flowWeight[f]! * level, cap), rates, cap < Infinity);
      }
      this.saturating = -1;
    }

    // Only flows without a cap whose constraints are all infinite (or absent) are left.
    for (let f = 0; f < flowCount; f++) {
      if (frozen[f] === 0) rates[f] = Infinity;
    }
  }

  /** fixes flow f at rate and takes it out of every constraint it crosses */
  private freeze(problem: FairShareProblem, f: number, rate: number, rates: Float64Array, capInHeap: boolean): void {
    const { constraintCapacity, flowWeight, flowConstraintStart, flowConstraintIndex } = problem;
    const remaining = this.remaining;
    const weightSum = this.weightSum;
    const unfrozenCount = this.unfrozenCount;
    const weight = flowWeight[f]!;
    this.frozen[f] = 1;
    rates[f] = rate;
    if (capInHeap) this.deadEntries++;
    for (let k = flowConstraintStart[f]!; k < flowConstraintStart[f + 1]!; k++) {
      const c = flowConstraintIndex[k]!;
      const capacity = constraintCapacity[c]!;
      if (capacity === Infinity) continue;
      const left = remaining[c]! - rate;
      remaining[c] = left > capacity * RELATIVE_TOLERANCE ? left : 0;
      if (--unfrozenCount[c]! === 0) {
        weightSum[c] = 0;
        if (c !== this.saturating) this.deadEntries++;
      } else {
        weightSum[c]! -= weight;
        if (weightSum[c]! * WEIGHT_RESUM_FACTOR < this.weightSumExact[c]!) this.resumWeights(problem, c);
      }
    }
  }

  /** recomputes the sum of the weights of c's unfrozen flows from scratch */
  private resumWeights(problem: FairShareProblem, c: number): void {
    let sum = 0;
    for (let k = this.constraintFlowStart[c]!; k < this.constraintFlowStart[c + 1]!; k++) {
      const f = this.constraintFlowIndex[k]!;
      if (this.frozen[f] === 0) sum += problem.flowWeight[f]!;
    }
    this.weightSum[c] = sum;
    this.weightSumExact[c] = sum;
  }

  /** drops the dead entries, re-keys the live ones at their current level and restores the heap order */
  private compact(constraintCount: number): void {
    const heapLevel = this.heapLevel;
    const heapItem = this.heapItem;
    let size = 0;
    for (let i = 0; i < this.heapSize; i++) {
      const item = heapItem[i]!;
      if (item < constraintCount) {
        if (this.unfrozenCount[item] === 0) continue;
        heapLevel[size] = this.remaining[item]! / this.weightSum[item]!;
      } else {
        if (this.frozen[item - constraintCount] !== 0) continue;
        heapLevel[size] = heapLevel[i]!;
      }
      heapItem[size++] = item;
    }
    this.heapSize = size;
    this.deadEntries = 0;
    this.heapify();
  }

  private heapify(): void {
    for (let i = (this.heapSize >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  /**
   * removes the root: its hole walks down to a leaf along the smaller children, then the last entry sifts
   * up from there (Floyd's bottom-up variant, Knuth TAOCP vol. 3 §5.2.3 ex. 18). The last entry is usually
   * large and settles near a leaf, so this needs about half the comparisons of sifting it down from the
   * root, and those comparisons are the unpredictable branches that dominate a solve.
   */
  private popTop(): void {
    const heapLevel = this.heapLevel;
    const heapItem = this.heapItem;
    const size = --this.heapSize;
    if (size === 0) return;
    const level = heapLevel[size]!;
    const item = heapItem[size]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && heapLevel[child + 1]! < heapLevel[child]!) child++;
      heapLevel[i] = heapLevel[child]!;
      heapItem[i] = heapItem[child]!;
      i = child;
    }
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heapLevel[parent]! <= level) break;
      heapLevel[i] = heapLevel[parent]!;
      heapItem[i] = heapItem[parent]!;
      i = parent;
    }
    heapLevel[i] = level;
    heapItem[i] = item;
  }

  private siftDown(start: number): void {
    const heapLevel = this.heapLevel;
    const heapItem = this.heapItem;
    const size = this.heapSize;
    const level = heapLevel[start]!;
    const item = heapItem[start]!;
    let i = start;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && heapLevel[child + 1]! < heapLevel[child]!) child++;
      if (heapLevel[child]! >= level) break;
      heapLevel[i] = heapLevel[child]!;
      heapItem[i] = heapItem[child]!;
      i = child;
    }
    heapLevel[i] = level;
    heapItem[i] = item;
  }

  /** grows the scratch buffers (to twice the need, so a slowly growing caller reallocates rarely) */
  private reserve(constraintCount: number, flowCount: number, entryCount: number): void {
    if (this.remaining.length < constraintCount) {
      const n = 2 * constraintCount;
      this.remaining = new Float64Array(n);
      this.weightSum = new Float64Array(n);
      this.weightSumExact = new Float64Array(n);
      this.unfrozenCount = new Int32Array(n);
      this.constraintFlowStart = new Int32Array(n + 1);
      this.constraintFlowCursor = new Int32Array(n);
    }
    if (this.constraintFlowIndex.length < entryCount) this.constraintFlowIndex = new Int32Array(2 * entryCount);
    if (this.frozen.length < flowCount) this.frozen = new Uint8Array(2 * flowCount);
    if (this.heapLevel.length < constraintCount + flowCount) {
      const n = 2 * (constraintCount + flowCount);
      this.heapLevel = new Float64Array(n);
      this.heapItem = new Int32Array(n);
    }
  }
}

/** convenience: new solver, returns a new array */
export function solveMaxMin(problem: FairShareProblem): Float64Array {
  const rates = new Float64Array(problem.flowCount);
  new MaxMinSolver().solve(problem, rates);
  return rates;
}

/** checks what the solver relies on; typed arrays read out of range give undefined and write nothing */
function validate(problem: FairShareProblem, rates: Float64Array): void {
  const { constraintCount, constraintCapacity, flowCount, flowWeight, flowCap } = problem;
  const { flowConstraintStart, flowConstraintIndex } = problem;
  if (!(Number.isInteger(constraintCount) && constraintCount >= 0 && constraintCapacity.length >= constraintCount)) {
    throw new SimulationError('fairShare', `constraintCount ${constraintCount} does not fit constraintCapacity`);
  }
  if (!(Number.isInteger(flowCount) && flowCount >= 0)) {
    throw new SimulationError('fairShare', `flowCount ${flowCount} is not a count`);
  }
  if (flowWeight.length < flowCount || flowCap.length < flowCount || flowConstraintStart.length < flowCount + 1) {
    throw new SimulationError('fairShare', `flow arrays are shorter than flowCount ${flowCount}`);
  }
  if (rates.length < flowCount) {
    throw new SimulationError('fairShare', `rates has ${rates.length} entries for ${flowCount} flows`);
  }
  for (let c = 0; c < constraintCount; c++) {
    const capacity = constraintCapacity[c]!;
    if (!(capacity >= 0)) throw new SimulationError('fairShare', `constraint ${c} has capacity ${capacity}`);
  }
  const first = flowConstraintStart[0]!;
  const last = flowConstraintStart[flowCount]!;
  if (!(first >= 0 && last <= flowConstraintIndex.length)) {
    throw new SimulationError('fairShare', `flowConstraintStart spans [${first}, ${last}) outside flowConstraintIndex`);
  }
  for (let f = 0; f < flowCount; f++) {
    const weight = flowWeight[f]!;
    if (!(weight > 0 && weight < Infinity)) throw new SimulationError('fairShare', `flow ${f} has weight ${weight}`);
    if (!(flowCap[f]! >= 0)) throw new SimulationError('fairShare', `flow ${f} has cap ${flowCap[f]}`);
    const begin = flowConstraintStart[f]!;
    const end = flowConstraintStart[f + 1]!;
    if (end < begin) throw new SimulationError('fairShare', `flow ${f} has constraint range [${begin}, ${end})`);
    for (let k = begin; k < end; k++) {
      const c = flowConstraintIndex[k]!;
      if (!(c >= 0 && c < constraintCount)) {
        throw new SimulationError('fairShare', `flow ${f} uses constraint ${c}, not in [0, ${constraintCount})`);
      }
    }
  }
}
