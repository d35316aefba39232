// The max-min fair-share solver: hand-solved systems first (each writes out the system and its answer, as
// SimGrid's teshsuite maxmin tests do), then properties of weighted max-min fairness on random problems.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FairShareProblem, FairShareSolver } from '../../src/transport/fair-share-solver.js';
import { FAIR_SHARE_SOLVERS } from '../../src/transport/fair-share-solver.js';
import { SimulationError } from '../../src/engine/simulation-error.js';

interface FlowSpec {
  path: readonly number[];
  weight?: number;
  cap?: number;
}

/** builds the flat problem; padding appends that many garbage entries to every array, as a reused buffer would */
function buildProblem(capacities: readonly number[], flows: readonly FlowSpec[], padding = 0): FairShareProblem {
  const entryCount = flows.reduce((sum, flow) => sum + flow.path.length, 0);
  const problem: FairShareProblem = {
    constraintCount: capacities.length,
    constraintCapacity: new Float64Array(capacities.length + padding).fill(NaN),
    flowCount: flows.length,
    flowWeight: new Float64Array(flows.length + padding).fill(-1),
    flowCap: new Float64Array(flows.length + padding).fill(NaN),
    flowConstraintStart: new Int32Array(flows.length + 1 + padding).fill(-7),
    flowConstraintIndex: new Int32Array(entryCount + padding).fill(1 << 30),
  };
  problem.constraintCapacity.set(capacities);
  let k = 0;
  flows.forEach((flow, f) => {
    problem.flowWeight[f] = flow.weight ?? 1;
    problem.flowCap[f] = flow.cap ?? Infinity;
    problem.flowConstraintStart[f] = k;
    for (const c of flow.path) problem.flowConstraintIndex[k++] = c;
  });
  problem.flowConstraintStart[flows.length] = k;
  return problem;
}

/** a fresh solver of the kind under test, returning a new array */
function solveWith(create: () => FairShareSolver, problem: FairShareProblem): Float64Array {
  const rates = new Float64Array(problem.flowCount);
  create().solve(problem, rates);
  return rates;
}

const GBIT = 125e6; // 1 Gbit/s in B/s
const MBIT = 125e3;

// ---------------------------------------------------------------------------------------------------------
// Property tests on random problems.

interface RandomProblem {
  capacities: number[];
  flows: FlowSpec[];
}

/** m · 10^e: values over many orders of magnitude, as link speeds from kB/s to Tbit/s are */
const scaled = (minExponent: number, maxExponent: number): fc.Arbitrary<number> =>
  fc
    .tuple(fc.double({ min: 1, max: 10, noNaN: true }), fc.integer({ min: minExponent, max: maxExponent }))
    .map(([mantissa, exponent]) => mantissa * 10 ** exponent);

const randomProblemOf = (
  maxConstraints: number,
  maxFlows: number,
  capacity: fc.Arbitrary<number>,
): fc.Arbitrary<RandomProblem> =>
  fc.integer({ min: 1, max: maxConstraints }).chain((constraintCount) =>
    fc.record({
      capacities: fc.array(capacity, { minLength: constraintCount, maxLength: constraintCount }),
      flows: fc.array(
        fc.record({
          path: fc.uniqueArray(fc.integer({ min: 0, max: constraintCount - 1 }), {
            minLength: 1,
            maxLength: Math.min(5, constraintCount),
          }),
          weight: fc.oneof(
            { arbitrary: fc.constant(1), weight: 3 },
            { arbitrary: fc.double({ min: 0.1, max: 10, noNaN: true }), weight: 2 },
            { arbitrary: scaled(-6, 6), weight: 1 },
          ),
          cap: fc.oneof(
            { arbitrary: fc.constant(Infinity), weight: 6 },
            { arbitrary: scaled(1, 9), weight: 3 },
            { arbitrary: fc.constant(0), weight: 1 },
          ),
        }),
        { minLength: 1, maxLength: maxFlows, size: 'max' },
      ),
    }),
  );

const randomProblem = randomProblemOf(
  30,
  60,
  fc.oneof({ arbitrary: scaled(2, 10), weight: 12 }, { arbitrary: fc.constant(0), weight: 1 }),
);

/** many links of a few speeds, as in a data center: many ties, and most links never bind */
const dataCenterProblem = randomProblemOf(300, 400, fc.constantFrom(1, 10, 40, 100).map((gbits) => gbits * GBIT));

const RELATIVE = 1e-9;
// The solver takes a remaining capacity below 1e-12 of the capacity as 0 (rounding residue of a full link),
// so a flow left only that residue may get 0: an absolute slack of that size, per constraint.
const RESIDUE = 1e-12;
// a few hundred cases per property keep the file under a few seconds; FAIR_RUNS=20000 for a deeper search
const NUM_RUNS = Number(process.env['FAIR_RUNS'] ?? 300);

function loads(problem: FairShareProblem, rates: Float64Array): Float64Array {
  const load = new Float64Array(problem.constraintCount);
  for (let f = 0; f < problem.flowCount; f++) {
    for (let k = problem.flowConstraintStart[f]!; k < problem.flowConstraintStart[f + 1]!; k++) {
      load[problem.flowConstraintIndex[k]!]! += rates[f]!;
    }
  }
  return load;
}

/** Straightforward water-filling by full scans, O(C·F·L) per step: the slow, obviously right reference. */
function referenceMaxMin(problem: FairShareProblem): Float64Array {
  const { constraintCount, flowCount, flowWeight, flowCap, flowConstraintStart, flowConstraintIndex } = problem;
  const pathOf = (f: number): number[] =>
    Array.from(flowConstraintIndex.subarray(flowConstraintStart[f]!, flowConstraintStart[f + 1]!));
  const remaining = Array.from(problem.constraintCapacity.subarray(0, constraintCount));
  const rates = new Float64Array(flowCount);
  const frozen: boolean[] = new Array<boolean>(flowCount).fill(false);
  for (;;) {
    const weightSum = new Array<number>(constraintCount).fill(0);
    for (let f = 0; f < flowCount; f++) {
      if (!frozen[f]) for (const c of pathOf(f)) weightSum[c]! += flowWeight[f]!;
    }
    let level = Infinity;
    let bottleneck: { constraint: number } | { flow: number } | undefined;
    for (let c = 0; c < constraintCount; c++) {
      if (weightSum[c]! > 0 && remaining[c]! / weightSum[c]! < level) {
        level = remaining[c]! / weightSum[c]!;
        bottleneck = { constraint: c };
      }
    }
    for (let f = 0; f < flowCount; f++) {
      if (!frozen[f] && flowCap[f]! / flowWeight[f]! < level) {
        level = flowCap[f]! / flowWeight[f]!;
        bottleneck = { flow: f };
      }
    }
    if (bottleneck === undefined) break;
    const freezing =
      'flow' in bottleneck
        ? [bottleneck.flow]
        : [...Array(flowCount).keys()].filter((f) => !frozen[f] && pathOf(f).includes(bottleneck.constraint));
    for (const f of freezing) {
      frozen[f] = true;
      rates[f] = Math.min(flowWeight[f]! * level, flowCap[f]!);
      for (const c of pathOf(f)) remaining[c] = Math.max(0, remaining[c]! - rates[f]!);
    }
  }
  for (let f = 0; f < flowCount; f++) if (!frozen[f]) rates[f] = Infinity;
  return rates;
}

function expectReferenceRates(solveMaxMin: (problem: FairShareProblem) => Float64Array, { capacities, flows }: RandomProblem): void {
  const problem = buildProblem(capacities, flows);
  const rates = solveMaxMin(problem);
  const reference = referenceMaxMin(problem);
  flows.forEach((flow, f) => {
    const largestCapacity = Math.max(...flow.path.map((c) => capacities[c]!));
    const slack = RELATIVE * Math.abs(reference[f]!) + RESIDUE * largestCapacity;
    expect(Math.abs(rates[f]! - reference[f]!), `flow ${f}`).toBeLessThanOrEqual(slack);
  });
}

// The same hand-solved cases and properties for every solver in the registry (graphology's tests/index.js runs
// one suite over every implementation the same way).
for (const [name, create] of Object.entries(FAIR_SHARE_SOLVERS)) {
  const solveMaxMin = (problem: FairShareProblem): Float64Array => solveWith(create, problem);
  const solve = (capacities: readonly number[], flows: readonly FlowSpec[]): number[] =>
    Array.from(solveMaxMin(buildProblem(capacities, flows)));

  it(`${name}: is registered under its own name`, () => expect(create().name).toBe(name));

  describe(`fair share (${name}), hand-solved`, () => {
    it('gives one flow on one link the whole link', () => {
      // link 0: capacity 10; flow a over {0}. a ≤ 10 and nothing else competes → a = 10
      expect(solve([10], [{ path: [0] }])).toEqual([10]);
    });

    it('splits a 1 Gbit/s link in half between two equal flows', () => {
      // link 0: 125e6 B/s; a + b ≤ 125e6, equal weights → a = b = 62.5e6 B/s
      expect(solve([GBIT], [{ path: [0] }, { path: [0] }])).toEqual([GBIT / 2, GBIT / 2]);
    });

    it('gives a capped flow its cap and the other flow the rest', () => {
      // link 0: 1 Gbit/s; a ≤ 100 Mbit/s (cap), a + b ≤ 1 Gbit/s.
      // Level 100 Mbit/s (cap) < 500 Mbit/s (link) → a = 100 Mbit/s, then b = 1000 − 100 = 900 Mbit/s
      const [a, b] = solve([GBIT], [{ path: [0], cap: 100 * MBIT }, { path: [0] }]);
      expect(a).toBe(100 * MBIT);
      expect(b).toBeCloseTo(900 * MBIT, 3);
    });

    it('shares a link in proportion to the weights', () => {
      // link 0: capacity 1; a weight 1, b weight 3: a = s, b = 3s, 4s = 1 → a = 1/4, b = 3/4
      const [a, b] = solve([1], [{ path: [0], weight: 1 }, { path: [0], weight: 3 }]);
      expect(a).toBeCloseTo(0.25, 15);
      expect(b).toBeCloseTo(0.75, 15);
    });

    it('keeps its precision when weights differ by eight orders of magnitude', () => {
      // link 0: capacity 100; a weight 1e5 capped at 10, b weight 1e-3.
      // Levels: a's cap 10 / 1e5 = 1e-4 < link 100 / (1e5 + 1e-3) ≈ 1e-3 → a = 10; then b alone: b = 100 − 10 = 90
      // (a running weight sum 1e5 + 1e-3 − 1e5 keeps only ~3 correct digits of b's weight: it must be re-summed)
      const [a, b] = solve([100], [{ path: [0], weight: 1e5, cap: 10 }, { path: [0], weight: 1e-3 }]);
      expect(a).toBe(10);
      expect(Math.abs(b! - 90)).toBeLessThanOrEqual(90 * 1e-12);
    });

    it('solves the parking lot', () => {
      // links 0, 1, 2 of capacity 1 in a row; long flow L over {0,1,2}; short flows s0 {0}, s1 {1}, s2 {2}.
      // Each link: L + s_i ≤ 1, all levels 1/2 → L = s0 = s1 = s2 = 1/2
      const rates = solve([1, 1, 1], [{ path: [0, 1, 2] }, { path: [0] }, { path: [1] }, { path: [2] }]);
      expect(rates).toEqual([0.5, 0.5, 0.5, 0.5]);
    });

    it('finds a different bottleneck per flow', () => {
      // link A (0): capacity 1, flows x, y; link B (1): capacity 10, flows y, z.
      // Levels: A 1/2, B 10/2 = 5 → A first: x = y = 0.5; then B has 10 − 0.5 = 9.5 left for z → z = 9.5
      expect(solve([1, 10], [{ path: [0] }, { path: [0, 1] }, { path: [1] }])).toEqual([0.5, 0.5, 9.5]);
    });

    it('gives 0 to flows through a zero-capacity constraint, and the rest to the others', () => {
      // link 0: capacity 0, flows a, b; link 1: capacity 4, flows b, c.
      // Level of 0 is 0 → a = b = 0; then link 1 has 4 left for c alone → c = 4
      expect(solve([0, 4], [{ path: [0] }, { path: [0, 1] }, { path: [1] }])).toEqual([0, 0, 4]);
    });

    it('gives Infinity to a flow with no constraints and no cap', () => {
      // flow a uses nothing and has no cap: nothing bounds it → a = Infinity; b alone on link 0 (capacity 3) → 3
      expect(solve([3], [{ path: [] }, { path: [0] }])).toEqual([Infinity, 3]);
    });

    it('gives a flow with only a cap its cap', () => {
      // flow a uses no constraint, cap 7 → a = 7
      expect(solve([], [{ path: [], cap: 7 }])).toEqual([7]);
    });

    it('ignores constraints of infinite capacity and constraints without flows', () => {
      // link 0: Infinity, link 1: 6 (unused), link 2: 2.
      // a over {0} with cap 5 → 5; b over {0, 2} → 2; c over {0}, nothing finite bounds it → Infinity
      expect(solve([Infinity, 6, 2], [{ path: [0], cap: 5 }, { path: [0, 2] }, { path: [0] }])).toEqual([5, 2, Infinity]);
    });

    it('reads only the first counts of longer arrays and writes only the first flowCount rates', () => {
      // same system as the parking lot, inside buffers padded with garbage → every flow 1/2, the tail untouched
      const problem = buildProblem([1, 1, 1], [{ path: [0, 1, 2] }, { path: [0] }, { path: [1] }, { path: [2] }], 5);
      const rates = new Float64Array(7).fill(-3);
      create().solve(problem, rates);
      expect(Array.from(rates)).toEqual([0.5, 0.5, 0.5, 0.5, -3, -3, -3]);
    });

    it('rejects a broken problem with a fairShare error', () => {
      expect(() => solveMaxMin(buildProblem([-1], [{ path: [0] }]))).toThrow(SimulationError);
      expect(() => solveMaxMin(buildProblem([1], [{ path: [0], weight: 0 }]))).toThrow(/^fairShare: flow 0 has weight 0/);
      expect(() => solveMaxMin(buildProblem([1], [{ path: [1] }]))).toThrow(/^fairShare: flow 0 uses constraint 1/);
    });
  });


  describe(`fair share (${name}), properties`, () => {
    it('(a) exceeds no constraint by more than a relative 1e-9', () => {
      fc.assert(
        fc.property(randomProblem, ({ capacities, flows }) => {
          const problem = buildProblem(capacities, flows);
          const load = loads(problem, solveMaxMin(problem));
          capacities.forEach((capacity, c) => expect(load[c]).toBeLessThanOrEqual(capacity * (1 + RELATIVE)));
        }),
        { numRuns: NUM_RUNS },
      );
    });

    it('(b) gives every flow its cap or a saturated constraint where no flow has a larger rate/weight', () => {
      fc.assert(
        fc.property(randomProblem, ({ capacities, flows }) => {
          const problem = buildProblem(capacities, flows);
          const rates = solveMaxMin(problem);
          const load = loads(problem, rates);
          const largestRatio = new Float64Array(capacities.length);
          flows.forEach((flow, f) => {
            for (const c of flow.path) largestRatio[c] = Math.max(largestRatio[c]!, rates[f]! / (flow.weight ?? 1));
          });
          flows.forEach((flow, f) => {
            const rate = rates[f]!;
            const weight = flow.weight ?? 1;
            const atCap = rate >= (flow.cap ?? Infinity) * (1 - RELATIVE);
            const bottlenecked = flow.path.some((c) => {
              const capacity = capacities[c]!;
              const saturated = load[c]! >= capacity * (1 - RELATIVE);
              const residue = (RESIDUE * capacity) / weight;
              return saturated && rate / weight >= largestRatio[c]! * (1 - RELATIVE) - residue;
            });
            expect(atCap || bottlenecked, `flow ${f} at ${rate} has no bottleneck`).toBe(true);
          });
        }),
        { numRuns: NUM_RUNS },
      );
    });

    it('(c) gives rates that are finite and ≥ 0 when every flow crosses a constraint', () => {
      fc.assert(
        fc.property(randomProblem, ({ capacities, flows }) => {
          for (const rate of solveMaxMin(buildProblem(capacities, flows))) {
            expect(Number.isFinite(rate) && rate >= 0).toBe(true);
          }
        }),
        { numRuns: NUM_RUNS },
      );
    });

    it('(d) gives the same rates when one solver is reused across problems of different sizes', () => {
      fc.assert(
        fc.property(fc.array(fc.tuple(randomProblem, fc.nat(4)), { minLength: 2, maxLength: 8 }), (problems) => {
          const solver = create();
          for (const [{ capacities, flows }, padding] of problems) {
            const problem = buildProblem(capacities, flows, padding);
            const rates = new Float64Array(flows.length + padding);
            solver.solve(problem, rates);
            expect(rates.subarray(0, flows.length)).toEqual(solveMaxMin(buildProblem(capacities, flows)));
          }
        }),
        { numRuns: 100 },
      );
    });

    it('(e) agrees with a brute-force water-filling within 1e-9 relative', () => {
      fc.assert(
        fc.property(randomProblem, (random) => expectReferenceRates(solveMaxMin, random)),
        { numRuns: NUM_RUNS },
      );
    });

    it('(e) agrees with the brute force on data-center-like problems, with ties and links that never bind', () => {
      // there the heap drops its dead entries in bulk and re-keys the live ones
      fc.assert(
        fc.property(dataCenterProblem, (random) => expectReferenceRates(solveMaxMin, random)),
        { numRuns: Math.ceil(NUM_RUNS / 10) },
      );
    });
  });
}
