// Micro benchmark of the max-min fair-share solver: random problems shaped like a data-center flow network
// (paths of 6 directed links, link speeds 1–100 Gbit/s, a fifth of the flows capped by a TCP window bound).
// Run after `npm run build`: node bench/fair-share.bench.mjs
import { MaxMinSolver } from '../dist/transport/fair-share.js';

/** xorshift32, fixed seed: the same problems on every run */
function generator(seed) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 2 ** 32;
  };
}

function randomProblem(constraintCount, flowCount, pathLength, seed) {
  const next = generator(seed);
  const gbit = 125e6;
  const speeds = [1 * gbit, 10 * gbit, 40 * gbit, 100 * gbit];
  const constraintCapacity = new Float64Array(constraintCount);
  for (let c = 0; c < constraintCount; c++) constraintCapacity[c] = speeds[Math.floor(next() * speeds.length)];
  const flowWeight = new Float64Array(flowCount).fill(1);
  const flowCap = new Float64Array(flowCount).fill(Infinity);
  const flowConstraintStart = new Int32Array(flowCount + 1);
  const flowConstraintIndex = new Int32Array(flowCount * pathLength);
  let k = 0;
  for (let f = 0; f < flowCount; f++) {
    if (next() < 0.2) flowCap[f] = (4 * 2 ** 20) / (0.001 + next() * 0.1); // 4 MiB window / RTT
    flowConstraintStart[f] = k;
    const path = new Set();
    while (path.size < pathLength) path.add(Math.floor(next() * constraintCount));
    for (const c of path) flowConstraintIndex[k++] = c;
  }
  flowConstraintStart[flowCount] = k;
  return {
    constraintCount,
    constraintCapacity,
    flowCount,
    flowWeight,
    flowCap,
    flowConstraintStart,
    flowConstraintIndex,
  };
}

function measure(label, constraintCount, flowCount, pathLength) {
  const problems = Array.from({ length: 16 }, (_, i) => randomProblem(constraintCount, flowCount, pathLength, i + 1));
  const solver = new MaxMinSolver();
  const rates = new Float64Array(flowCount);
  for (let i = 0; i < 200; i++) solver.solve(problems[i % problems.length], rates); // warm up the JIT
  const minimumS = 1;
  let solves = 0;
  const start = process.hrtime.bigint();
  let elapsedS = 0;
  while (elapsedS < minimumS) {
    for (let i = 0; i < 100; i++) solver.solve(problems[solves++ % problems.length], rates);
    elapsedS = Number(process.hrtime.bigint() - start) / 1e9;
  }
  console.log(`${label}: ${((elapsedS / solves) * 1e6).toFixed(1)} µs per solve (${solves} solves)`);
}

measure('1000 flows, 3000 constraints, paths of 6', 3000, 1000, 6);
measure('10000 flows, 30000 constraints, paths of 6', 30000, 10000, 6);
measure('10000 flows, 300 constraints, paths of 6 (heavy sharing)', 300, 10000, 6);
