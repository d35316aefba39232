// Re-solving weighted max-min rates after a change, touching only the flows whose rates can change.
//
// Why it is exact: an allocation that fits every link is the weighted max-min fair one if and only if
// every flow is at its cap or crosses a saturated link on which no flow has a larger rate/weight (its
// bottleneck) — Bertsekas & Gallager, Data Networks, 2nd ed., §6.5.2 (a cap is a private link of its flow).
// So after a change the old rates stay right for every flow that still has its bottleneck; only those that
// lost it, and those that now hold more than a newly bottlenecked flow on a shared saturated link, must move.
//
// Method: a set S of flows to re-solve starts with the flows that arrived or moved and the flows on a link
// whose capacity changed; a departure adds no flow, only its links. S is solved by the fair-share solver
// against what the other flows leave of each link (capacity − their rates), then every flow on a link of S
// (or a link that changed) is checked against the bottleneck condition, with the new rates:
// - a flow outside S that lost its bottleneck (its saturated link got slack, a larger share appeared) joins S;
// - a flow in S that has no bottleneck is held down by flows outside S with a larger share on its links:
//   those join S.
// S grows until every checked flow has its bottleneck, so the result is the max-min allocation (flows on
// links that did not change keep theirs). This is the issue's "a change propagates only through saturated
// links": a departure from a link with slack, or from a flow that was not at the top share of a saturated
// link, re-solves nothing. At worst S becomes the whole component, which is what a full re-solve costs.
// Tolerance: a link within TOLERANCE of its capacity is saturated and shares within TOLERANCE are equal, so
// rates agree with a from-scratch solve to about that relative precision.
import type { FairShareProblem, FairShareSolver } from './fair-share-solver.js';
import type { FlowTable } from './flow-table.js';

/** relative: above the fair-share solver's own rounding (1e-12, fair-share.ts) and far below anything a model reads */
const TOLERANCE = 1e-10;

export class IncrementalMaxMin {
  /** the flows re-solved at the last run: members[0 .. memberCount), their rates in newRate[slot] */
  members = new Int32Array(64);
  memberCount = 0;
  newRate = new Float64Array(0);
  /** the links whose load may have changed at the last run: links[0 .. linkCount) */
  links: Int32Array;
  linkCount = 0;
  /** solver calls, and flows given to the solver over all calls (for benchmarks) */
  solverCalls = 0;
  solvedFlows = 0;

  // per slot
  private memberStamp = new Int32Array(0);
  private checkedRound = new Int32Array(0);
  /** the link where a flow last passed its check, −1 for none yet */
  private bottleneck = new Int32Array(0);
  private addedRound = new Int32Array(0);
  // per link
  private linkStamp: Int32Array;
  private dirtyRound: Int32Array;
  private dirty: Int32Array;
  private dirtyCount = 0;
  private wholeLinkStamp: Int32Array;
  private statRound: Int32Array;
  private linkLoad: Float64Array;
  private linkMaxShare: Float64Array;
  private constraintOf: Int32Array;
  private constraintRound: Int32Array;

  private stamp = 1;
  private round = 0;
  private additions = new Int32Array(64);
  private additionCount = 0;
  private problem: FairShareProblem = {
    constraintCount: 0,
    constraintCapacity: new Float64Array(64),
    flowCount: 0,
    flowWeight: new Float64Array(64),
    flowCap: new Float64Array(64),
    flowConstraintStart: new Int32Array(65),
    flowConstraintIndex: new Int32Array(256),
  };
  private rates = new Float64Array(64);

  constructor(
    private readonly table: FlowTable,
    private readonly capacity: Float64Array,
    private readonly solver: FairShareSolver,
  ) {
    const n = capacity.length;
    this.links = new Int32Array(n);
    this.linkStamp = new Int32Array(n);
    this.dirtyRound = new Int32Array(n);
    this.dirty = new Int32Array(n);
    this.wholeLinkStamp = new Int32Array(n);
    this.statRound = new Int32Array(n);
    this.linkLoad = new Float64Array(n);
    this.linkMaxShare = new Float64Array(n);
    this.constraintOf = new Int32Array(n);
    this.constraintRound = new Int32Array(n);
  }

  get pending(): boolean {
    return this.memberCount > 0 || this.linkCount > 0;
  }

  /** a flow that arrived or moved: it must be solved */
  addFlow(slot: number): void {
    this.fitSlots();
    if (this.memberStamp[slot] === this.stamp) return;
    this.memberStamp[slot] = this.stamp;
    // the slot may hold a new flow, or the flow a new path: the last bottleneck may not be on it
    this.bottleneck[slot] = -1;
    if (this.memberCount === this.members.length) this.members = grownInt32(this.members);
    this.members[this.memberCount++] = slot;
  }

  /** a link that lost or gained a flow; `wholeLink` when its capacity changed: all its flows are solved */
  touchLink(link: number, wholeLink = false): void {
    if (wholeLink) this.wholeLinkStamp[link] = this.stamp;
    if (this.linkStamp[link] === this.stamp) return;
    this.linkStamp[link] = this.stamp;
    this.links[this.linkCount++] = link;
  }

  /** finds the new rates (members, newRate) and the links whose load changed (links); call clear() after use */
  run(): void {
    this.fitSlots();
    const table = this.table;
    // A flow started and cancelled within the instant left its slot; it may hold another flow by now,
    // which then was added itself.
    let kept = 0;
    for (let i = 0; i < this.memberCount; i++) {
      const slot = this.members[i]!;
      if (table.live[slot] === 1) this.members[kept++] = slot;
    }
    this.memberCount = kept;
    for (let i = 0, n = this.linkCount; i < n; i++) {
      const link = this.links[i]!;
      if (this.wholeLinkStamp[link] !== this.stamp) continue;
      const slots = table.linkSlots[link]!;
      for (let k = 0; k < table.linkSlotCount[link]!; k++) this.addFlow(slots[k]!);
    }
    // Round 1 checks the flows on every link that changed; later rounds only those on the links of a flow
    // whose rate the last solve moved: elsewhere nothing a check reads has changed since it last passed.
    this.dirtyCount = 0;
    for (let i = 0; i < this.linkCount; i++) this.markDirty(this.links[i]!, this.round + 1);
    let pathsAdded = 0;
    let solvedBefore = 0;
    for (;;) {
      this.round++;
      for (; pathsAdded < this.memberCount; pathsAdded++) {
        for (const link of table.path[this.members[pathsAdded]!]!) this.touchLink(link);
      }
      if (this.memberCount > 0) this.solveMembers(solvedBefore);
      solvedBefore = this.memberCount;
      this.additionCount = 0;
      for (let i = 0; i < this.memberCount; i++) this.checkOnce(this.members[i]!);
      for (let i = 0; i < this.dirtyCount; i++) {
        const link = this.dirty[i]!;
        const slots = table.linkSlots[link]!;
        for (let k = 0; k < table.linkSlotCount[link]!; k++) this.checkOnce(slots[k]!);
      }
      this.dirtyCount = 0;
      if (this.additionCount === 0) break;
      for (let i = 0; i < this.additionCount; i++) this.addFlow(this.additions[i]!);
    }
  }

  private checkOnce(slot: number): void {
    if (this.checkedRound[slot] === this.round) return;
    this.checkedRound[slot] = this.round;
    this.check(slot);
  }

  /** a link whose flows are checked in round `round` */
  private markDirty(link: number, round: number): void {
    if (this.dirtyRound[link] === round) return;
    this.dirtyRound[link] = round;
    this.dirty[this.dirtyCount++] = link;
  }

  /** forgets this run's sets: the next changes start new ones */
  clear(): void {
    this.stamp++;
    this.memberCount = 0;
    this.linkCount = 0;
  }

  /** the rate a flow has in the allocation being checked */
  private rateOf(slot: number): number {
    return this.memberStamp[slot] === this.stamp ? this.newRate[slot]! : this.table.rateBytesPerS[slot]!;
  }

  /** load and largest rate/weight of a link's flows, once per round */
  private stats(link: number): void {
    if (this.statRound[link] === this.round) return;
    this.statRound[link] = this.round;
    const table = this.table;
    const slots = table.linkSlots[link]!;
    let load = 0;
    let maxShare = 0;
    for (let k = 0; k < table.linkSlotCount[link]!; k++) {
      const slot = slots[k]!;
      const rate = this.rateOf(slot);
      load += rate;
      const share = rate / table.weight[slot]!;
      if (share > maxShare) maxShare = share;
    }
    this.linkLoad[link] = load;
    this.linkMaxShare[link] = maxShare;
  }

  /** the bottleneck condition for one flow; on failure, adds to S whom the failure points at */
  private check(slot: number): void {
    const table = this.table;
    const rate = this.rateOf(slot);
    if (rate === Infinity || rate >= table.capBytesPerS[slot]! * (1 - TOLERANCE)) return;
    const weight = table.weight[slot]!;
    const path = table.path[slot]!;
    // Most flows keep their bottleneck from one check to the next: try the last one first.
    const hint = this.bottleneck[slot]!;
    if (hint >= 0 && this.isBottleneck(hint, rate, weight)) return;
    for (const link of path) {
      if (link !== hint && this.isBottleneck(link, rate, weight)) {
        this.bottleneck[slot] = link;
        return;
      }
    }
    if (this.memberStamp[slot] !== this.stamp) {
      this.add(slot);
      return;
    }
    // A solved flow without a bottleneck is held below flows outside S that take a larger share of its links.
    const share = rate / weight;
    for (const link of path) {
      const slots = table.linkSlots[link]!;
      for (let k = 0; k < table.linkSlotCount[link]!; k++) {
        const other = slots[k]!;
        if (this.memberStamp[other] === this.stamp) continue;
        if (table.rateBytesPerS[other]! / table.weight[other]! > share * (1 + TOLERANCE)) this.add(other);
      }
    }
  }

  /** whether a flow at `rate` with `weight` is bottlenecked at `link`: saturated, and no larger share on it */
  private isBottleneck(link: number, rate: number, weight: number): boolean {
    const capacity = this.capacity[link]!;
    if (capacity === Infinity) return false;
    this.stats(link);
    if (this.linkLoad[link]! < capacity * (1 - TOLERANCE)) return false;
    // the absolute term: the solver rounds a remaining capacity below 1e-12 of the link's to 0
    return rate >= weight * this.linkMaxShare[link]! * (1 - TOLERANCE) - TOLERANCE * capacity;
  }

  private add(slot: number): void {
    if (this.addedRound[slot] === this.round) return;
    this.addedRound[slot] = this.round;
    if (this.additionCount === this.additions.length) this.additions = grownInt32(this.additions);
    this.additions[this.additionCount++] = slot;
  }

  /** solves S against what the flows outside it leave of each of its links */
  private solveMembers(solvedBefore: number): void {
    const table = this.table;
    const count = this.memberCount;
    let entries = 0;
    for (let i = 0; i < count; i++) entries += table.path[this.members[i]!]!.length;
    const problem = this.reserve(count, this.linkCount, entries);
    const round = this.round;
    let constraints = 0;
    let cursor = 0;
    for (let i = 0; i < count; i++) {
      const slot = this.members[i]!;
      problem.flowWeight[i] = table.weight[slot]!;
      problem.flowCap[i] = table.capBytesPerS[slot]!;
      problem.flowConstraintStart[i] = cursor;
      for (const link of table.path[slot]!) {
        if (this.constraintRound[link] !== round) {
          this.constraintRound[link] = round;
          this.constraintOf[link] = constraints;
          problem.constraintCapacity[constraints++] = this.residual(link);
        }
        problem.flowConstraintIndex[cursor++] = this.constraintOf[link]!;
      }
    }
    problem.flowConstraintStart[count] = cursor;
    problem.flowCount = count;
    problem.constraintCount = constraints;
    this.solver.solve(problem, this.rates);
    for (let i = 0; i < count; i++) {
      const slot = this.members[i]!;
      const before = i < solvedBefore ? this.newRate[slot]! : table.rateBytesPerS[slot]!;
      const rate = this.rates[i]!;
      this.newRate[slot] = rate;
      if (rate !== before) for (const link of table.path[slot]!) this.markDirty(link, this.round);
    }
    this.solverCalls++;
    this.solvedFlows += count;
  }

  /** a link's capacity less the rates of its flows outside S */
  private residual(link: number): number {
    const capacity = this.capacity[link]!;
    if (capacity === Infinity) return Infinity;
    const table = this.table;
    const slots = table.linkSlots[link]!;
    let others = 0;
    for (let k = 0; k < table.linkSlotCount[link]!; k++) {
      const slot = slots[k]!;
      if (this.memberStamp[slot] !== this.stamp) others += table.rateBytesPerS[slot]!;
    }
    return Math.max(0, capacity - others);
  }

  private reserve(flowCount: number, linkCount: number, entries: number): FairShareProblem {
    const p = this.problem;
    if (p.constraintCapacity.length < linkCount) p.constraintCapacity = new Float64Array(2 * linkCount);
    if (p.flowWeight.length < flowCount) {
      p.flowWeight = new Float64Array(2 * flowCount);
      p.flowCap = new Float64Array(2 * flowCount);
      p.flowConstraintStart = new Int32Array(2 * flowCount + 1);
      this.rates = new Float64Array(2 * flowCount);
    }
    if (p.flowConstraintIndex.length < entries) p.flowConstraintIndex = new Int32Array(2 * entries);
    return p;
  }

  /** per-slot scratch as long as the table's slots */
  private fitSlots(): void {
    const n = this.table.slotCount;
    if (this.memberStamp.length >= n) return;
    const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
      const grown = new Int32Array(n);
      grown.set(a);
      return grown;
    };
    this.memberStamp = grow(this.memberStamp);
    this.checkedRound = grow(this.checkedRound);
    this.addedRound = grow(this.addedRound);
    const bottleneck = new Int32Array(n).fill(-1);
    bottleneck.set(this.bottleneck);
    this.bottleneck = bottleneck;
    const rates = new Float64Array(n);
    rates.set(this.newRate);
    this.newRate = rates;
  }
}

function grownInt32(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(2 * a.length);
  grown.set(a);
  return grown;
}
