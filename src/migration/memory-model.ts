// The guest's memory dirtying, in closed form (DESIGN.md, Migration): writes at D·(1 − throttle) B/s, a
// fraction f of them into a hot set of H bytes and the rest into the cold remainder C = M − H.
//
// - pattern 'random': every write lands on a page drawn uniformly from its set, so after w bytes of
//   writes into a set of S bytes the expected unique bytes are S·(1 − e^(−w/S)) (occupancy: each page
//   escapes one write with probability 1 − PAGE/S, hence (1 − PAGE/S)^(w/PAGE) ≈ e^(−w/S)).
// - pattern 'sequential': each set is swept in address order, so the unique bytes are min(S, w) (the
//   form that matches QEMU runs with a sweeping writer, DESIGN.md).
//
// Assumes the bitmap is clean at the start of the interval (QEMU clears it at every sync), writes of
// whole pages, and a constant rate over the interval. No state and no per-page work: a 256 GiB guest
// costs what a 1 GiB guest costs. The page-level Monte-Carlo check lives in the tests only.
import { SimulationError } from '../engine/simulation-error.js';
import type { WorkloadSpec } from '../config/scenario.js';

/** x86 base page, QEMU's TARGET_PAGE_SIZE on x86 (migration/ram.c uses it for every page it sends). */
export const PAGE_BYTES = 4096;

/** Relative tolerance of the bisection in timeToDirtyBytes. */
const TIME_TOLERANCE = 1e-12;

interface SetWrites {
  hotBytes: number;
  coldBytes: number;
  /** write rate into each set, B/s */
  hotRate: number;
  coldRate: number;
}

function splitWrites(where: string, workload: WorkloadSpec, memoryBytes: number, throttle: number): SetWrites {
  if (!(memoryBytes >= 0) || !Number.isFinite(memoryBytes)) {
    throw new SimulationError(where, `memory ${memoryBytes} B is not a finite size`);
  }
  if (!(throttle >= 0 && throttle <= 1)) throw new SimulationError(where, `throttle ${throttle} is outside 0..1`);
  const { dirtyRateBytesPerS: rate, hotSetBytes: hot, hotFraction: f } = workload;
  if (!(rate >= 0) || !Number.isFinite(rate)) throw new SimulationError(where, `dirty rate ${rate} B/s is not finite`);
  if (!(f >= 0 && f <= 1)) throw new SimulationError(where, `hot fraction ${f} is outside 0..1`);
  if (!(hot >= 0 && hot <= memoryBytes)) {
    throw new SimulationError(where, `hot set ${hot} B is outside 0..${memoryBytes} B of memory`);
  }
  // QEMU auto-converge (migration/ram.c mig_throttle_guest_down) takes vCPU time away; the writes slow in
  // proportion, the assumption of DESIGN.md ("scales the dirty rate down").
  const effective = rate * (1 - throttle);
  return { hotBytes: hot, coldBytes: memoryBytes - hot, hotRate: f * effective, coldRate: (1 - f) * effective };
}

/** Expected unique bytes one set of `setBytes` holds after `writtenBytes` of writes into it. */
function setUnique(pattern: WorkloadSpec['pattern'], setBytes: number, writtenBytes: number): number {
  if (setBytes <= 0 || writtenBytes <= 0) return 0; // an empty set contributes nothing (DESIGN.md)
  if (pattern === 'sequential') return Math.min(setBytes, writtenBytes);
  // S·(1 − e^(−w/S)) written with expm1 so that small w/S keeps its digits: −S·expm1(−w/S).
  return -setBytes * Math.expm1(-writtenBytes / setBytes);
}

/** Rate at which one set gains unique dirty bytes after `writtenBytes`, per byte written. */
function setUniqueSlope(pattern: WorkloadSpec['pattern'], setBytes: number, writtenBytes: number): number {
  if (setBytes <= 0) return 0;
  if (pattern === 'sequential') return writtenBytes < setBytes ? 1 : 0;
  return Math.exp(-Math.max(0, writtenBytes) / setBytes); // d/dw of S·(1 − e^(−w/S))
}

/** The guest's write rate after a throttle, B/s: D·(1 − throttle). */
export function effectiveDirtyRate(workload: WorkloadSpec, throttle = 0): number {
  if (!(throttle >= 0 && throttle <= 1)) {
    throw new SimulationError('effectiveDirtyRate', `throttle ${throttle} is outside 0..1`);
  }
  return workload.dirtyRateBytesPerS * (1 - throttle);
}

/**
 * Unique bytes dirtied during `intervalS` starting from a clean bitmap:
 * random: H·(1 − e^(−f·D'·t/H)) + C·(1 − e^(−(1−f)·D'·t/C)); sequential: min(H, f·D'·t) + min(C, (1−f)·D'·t),
 * with D' = D·(1 − throttle) and C = M − H. Never exceeds M; non-decreasing in t.
 */
export function uniqueDirtiedBytes(
  workload: WorkloadSpec,
  memoryBytes: number,
  intervalS: number,
  throttle = 0,
): number {
  const { hotBytes, coldBytes } = dirtiedBySet(workload, memoryBytes, intervalS, throttle);
  return Math.min(memoryBytes, hotBytes + coldBytes); // two terms each ≤ its set can round one ulp past M
}

/** The unique bytes of uniqueDirtiedBytes, split into those of the hot set and those of the cold set. */
export function dirtiedBySet(
  workload: WorkloadSpec,
  memoryBytes: number,
  intervalS: number,
  throttle = 0,
): { hotBytes: number; coldBytes: number } {
  if (!(intervalS >= 0)) throw new SimulationError('uniqueDirtiedBytes', `interval ${intervalS} s is negative`);
  const w = splitWrites('uniqueDirtiedBytes', workload, memoryBytes, throttle);
  return {
    hotBytes: setUnique(workload.pattern, w.hotBytes, w.hotRate * intervalS),
    coldBytes: setUnique(workload.pattern, w.coldBytes, w.coldRate * intervalS),
  };
}

/**
 * Rate at which the set of unique dirty bytes grows at `elapsedS` after a clean bitmap, B/s: the
 * derivative of uniqueDirtiedBytes. random: f·D'·e^(−f·D'·t/H) + (1−f)·D'·e^(−(1−f)·D'·t/C);
 * sequential: f·D' while f·D'·t < H (else 0), plus the same for the cold set.
 */
export function uniqueDirtyRate(workload: WorkloadSpec, memoryBytes: number, elapsedS: number, throttle = 0): number {
  if (!(elapsedS >= 0)) throw new SimulationError('uniqueDirtyRate', `time ${elapsedS} s is negative`);
  const w = splitWrites('uniqueDirtyRate', workload, memoryBytes, throttle);
  return (
    w.hotRate * setUniqueSlope(workload.pattern, w.hotBytes, w.hotRate * elapsedS) +
    w.coldRate * setUniqueSlope(workload.pattern, w.coldBytes, w.coldRate * elapsedS)
  );
}

/**
 * Unique bytes the guest dirties while `sendBytes` go out at `rateBytesPerS` (one precopy round starting
 * right after a bitmap sync): uniqueDirtiedBytes over sendBytes / rate.
 */
export function dirtiedBytesWhileSending(
  workload: WorkloadSpec,
  memoryBytes: number,
  sendBytes: number,
  rateBytesPerS: number,
  throttle = 0,
): number {
  if (!(sendBytes >= 0)) throw new SimulationError('dirtiedBytesWhileSending', `send size ${sendBytes} B is negative`);
  if (!(rateBytesPerS > 0)) {
    throw new SimulationError('dirtiedBytesWhileSending', `send rate ${rateBytesPerS} B/s is not positive`);
  }
  return uniqueDirtiedBytes(workload, memoryBytes, sendBytes / rateBytesPerS, throttle);
}

/** The unique bytes the guest can ever dirty from a clean bitmap: the sets that receive writes. */
export function dirtiableBytes(workload: WorkloadSpec, memoryBytes: number, throttle = 0): number {
  const w = splitWrites('dirtiableBytes', workload, memoryBytes, throttle);
  return (w.hotRate > 0 ? w.hotBytes : 0) + (w.coldRate > 0 ? w.coldBytes : 0);
}

/**
 * Time from a clean bitmap until `targetBytes` unique bytes are dirty, s: the inverse of
 * uniqueDirtiedBytes in t (found by bisection; both forms are continuous and non-decreasing). Infinity
 * when the target is at or beyond what the random form only approaches (dirtiableBytes) or never reaches.
 */
export function timeToDirtyBytes(
  workload: WorkloadSpec,
  memoryBytes: number,
  targetBytes: number,
  throttle = 0,
): number {
  if (!(targetBytes >= 0)) throw new SimulationError('timeToDirtyBytes', `target ${targetBytes} B is negative`);
  if (targetBytes === 0) return 0;
  const reachable = dirtiableBytes(workload, memoryBytes, throttle);
  if (targetBytes > reachable) return Infinity;
  if (targetBytes === reachable && workload.pattern === 'random') return Infinity; // approached, never reached
  const dirtied = (t: number): number => uniqueDirtiedBytes(workload, memoryBytes, t, throttle);
  let high = targetBytes / effectiveDirtyRate(workload, throttle); // unique ≤ written, so t ≥ target / D'
  let low = high;
  while (dirtied(high) < targetBytes) {
    low = high;
    high *= 2;
    if (!Number.isFinite(high)) return Infinity; // the target sits within rounding of the asymptote
  }
  if (low === high) return high; // a sweep whose target is reached exactly at target / D'
  while (high - low > TIME_TOLERANCE * high) {
    const mid = (low + high) / 2;
    if (dirtied(mid) < targetBytes) low = mid;
    else high = mid;
  }
  return high;
}
