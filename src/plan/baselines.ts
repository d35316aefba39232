// The baselines a plan is measured against, and the search starts from: every built-in schedule policy
// (src/migration/schedule.ts) at every concurrency level — powers of two below the number of moves, and
// unbounded for the policies that are unbounded by default — with the sorting policies by memory (what
// operators know of a VM) and by expected bytes (schedule-order.ts). Each technique and cap is as the scenario
// writes it. Left out as exact duplicates of others in the grid: `as-written` (every `at` is 0: `parallel`),
// `bounded` at 1 (`sequential`), and any policy bounded at the number of moves or more (`parallel`).
// Published planners (CQNCR, Bari et al. IFIP Networking 2014; Wang et al. INFOCOM 2015) are not among them:
// their algorithms could not be reproduced faithfully from what this project has of them (README, Planning).
import type { ScheduleOrderKey } from '../config/scenario.js';
import type { Candidate } from './candidate.js';

/** 1, 2, 4, ... below `moves`. */
export function concurrencyLevels(moves: number): number[] {
  const levels: number[] = [];
  for (let level = 1; level < moves; level *= 2) levels.push(level);
  return levels;
}

const SORT_KEYS: readonly ScheduleOrderKey[] = ['memory', 'bytes'];

export function baselineCandidates(moveCount: number): Candidate[] {
  const order = Array.from({ length: moveCount }, (_, i) => i);
  const settings = order.map(() => ({}));
  const make = (label: string, fields: Pick<Candidate, 'policy'> & Partial<Pick<Candidate, 'maxConcurrent' | 'orderBy'>>): Candidate => ({ label, order, settings, ...fields });
  const levels = concurrencyLevels(moveCount);
  const candidates: Candidate[] = [make('sequential', { policy: 'sequential' }), make('parallel', { policy: 'parallel' })];
  for (const level of levels.filter((l) => l > 1)) candidates.push(make(`bounded ${level}`, { policy: 'bounded', maxConcurrent: level }));
  for (const policy of ['largest-first', 'smallest-first'] as const) {
    for (const orderBy of SORT_KEYS) {
      for (const level of levels) candidates.push(make(`${policy} by ${orderBy} ${level}`, { policy, orderBy, maxConcurrent: level }));
    }
  }
  for (const policy of ['rack-grouped', 'gang'] as const) {
    for (const level of levels) candidates.push(make(`${policy} ${level}`, { policy, maxConcurrent: level }));
    candidates.push(make(`${policy} unbounded`, { policy }));
  }
  return candidates;
}
