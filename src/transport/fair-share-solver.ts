// What a fair-share solver is, apart from how it solves (SimGrid's lmm::System is one interface with
// several solvers behind it: src/kernel/lmm/System.hpp, maxmin.cpp, bmf.cpp). A solver is a pure function
// over flat arrays — capacities, which flow crosses which constraint, weights, caps — that returns rates; it
// knows nothing about networks (STYLE.md, "Layers"). The flow network maps links to constraints and flows to
// variables, and holds a solver through this interface, so another one (faster, or documented as approximate
// for very large studies) can be chosen without touching the network. Every implementation listed in
// FAIR_SHARE_SOLVERS passes the one property suite (test/transport/fair-share.test.ts).

export interface FairShareProblem {
  constraintCount: number;
  /** capacity of each constraint (e.g. a directed link), ≥ 0; 0 means flows through it get rate 0 */
  constraintCapacity: Float64Array;
  flowCount: number;
  /** > 0 */
  flowWeight: Float64Array;
  /** per-flow rate cap, Infinity when uncapped (a cap is a private constraint of the flow) */
  flowCap: Float64Array;
  /** CSR: flow f uses constraints flowConstraintIndex[flowConstraintStart[f] .. flowConstraintStart[f+1]) ; length flowCount+1 */
  flowConstraintStart: Int32Array;
  flowConstraintIndex: Int32Array;
}

export interface FairShareSolver {
  /** the name a scenario or a benchmark would choose it by */
  readonly name: string;
  /**
   * what the solver promises, relative: no constraint is over its capacity by more than this fraction, and
   * every rate is within this fraction (plus that fraction of its largest constraint's capacity, the residue
   * of a full constraint) of the exact weighted max-min rate
   */
  readonly relativeTolerance: number;
  /** writes each flow's rate into rates[0..flowCount); reads only the first counts of longer arrays; a flow
   * with no finite constraint and no cap gets Infinity; throws a SimulationError on a broken problem */
  solve(problem: FairShareProblem, rates: Float64Array): void;
}

import { MaxMinSolver } from './fair-share.js';

/** the solvers by name: the one list the tests, the flow network and the benchmarks choose from */
export const FAIR_SHARE_SOLVERS: Readonly<Record<string, () => FairShareSolver>> = {
  // exact weighted max-min by progressive filling over a lazy heap (fair-share.ts)
  'max-min': () => new MaxMinSolver(),
};
