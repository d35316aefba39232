// Demand faults of postcopy (Hines & Gopalan, VEE 2009, §3): once the guest runs on the destination, its
// first access to a page that has not arrived yet faults and waits for it over the network. Closed form,
// under stated assumptions: pages of a set arrive uniformly in time over [a, b] (the background push at a
// steady rate); the guest's accesses are its write workload (uniform inside the hot and cold sets, so each
// page of a set is first touched after an exponential time of rate κ = share of writes / set size); read-
// only accesses are not modelled, so the count is a lower bound for read-heavy guests.
// A page arriving at t faults with probability 1 − e^(−κt); averaged over t uniform in [a, b]:
//   1 − (e^(−κa) − e^(−κb)) / (κ (b − a)).
import { PAGE_BYTES } from './memory-model.js';

export interface PushedSet {
  bytes: number;
  /** rate at which each page of the set is first touched, 1/s */
  touchRatePerS: number;
  /** arrival window of the set's pages, s from the start of the push */
  arrivalStartS: number;
  arrivalEndS: number;
}

function faultProbability(set: PushedSet): number {
  const k = set.touchRatePerS;
  if (!(k > 0)) return 0;
  const { arrivalStartS: a, arrivalEndS: b } = set;
  if (b - a <= 0) return -Math.expm1(-k * a);
  // The same as 1 − (e^(−κa) − e^(−κb)) / (κ(b − a)), written e^(−κa)·(1 − e^(−x))/x with x = κ(b − a) so that
  // it holds for a touch rate so small that x underflows to 0 (a fuzzed hotFraction of 9e-293 made 0/0 = NaN):
  // (1 − e^(−x))/x → 1 as x → 0.
  const x = k * (b - a);
  const spread = x > 0 ? -Math.expm1(-x) / x : 1;
  return 1 - Math.exp(-k * a) * spread;
}

/** expected number of pages the guest faults on during the push */
export function expectedFaultPages(sets: readonly PushedSet[]): number {
  let pages = 0;
  for (const set of sets) pages += (set.bytes / PAGE_BYTES) * faultProbability(set);
  return pages;
}
