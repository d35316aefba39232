// Downtime as a group of migrations sees it. A migration's pause is over its `downtimeLimit` when it lasted longer
// than the limit (a limit of 0 is no target: never over), and the cause says which part of the pause went over:
//   stop-and-copy     the strategy pauses for the whole copy
//   not converged     precopy stopped on another rule (rounds, bytes, progress, timeout) with more than the
//                     budget left
//   final round       the paused copy itself outlasted the limit: it went slower than the rate the threshold was
//                     measured at (contention), or the disk's final copy held the pause
//   switchover        the copy fit, the switchover on top did not (addressing, postcopy's bitmap and setup)
// The group's downtime (the optimization survey's total downtime, ../seeds §4.4) is the time any of its VMs was down:
// the union of the pauses, next to their sum (summary.totalDowntime). A migration's pause is the interval from its
// first paused step to that start plus its downtime (one pause per attempt; a retried migration's earlier pauses
// are folded into its last).
// Percentiles are nearest-rank (the ⌈q·n⌉-th smallest) over the migrations that ran.
import type { MigrationRecord } from '../migration/migration-process.js';

export type OverLimitCause = 'stop-and-copy' | 'not converged' | 'final round' | 'switchover';

export interface DowntimeVerdict {
  downtimeOverLimit: boolean;
  downtimeOverLimitCause?: OverLimitCause;
}

/** Whether the record's pause went over its limit, and why. */
export function downtimeVerdict(record: MigrationRecord): DowntimeVerdict {
  const limitS = record.downtimeLimitS ?? 0;
  if (!(limitS > 0) || !(record.downtimeS > limitS)) return { downtimeOverLimit: false };
  if (record.strategy === 'stop-and-copy') return { downtimeOverLimit: true, downtimeOverLimitCause: 'stop-and-copy' };
  // A switch to postcopy copies no memory while paused: its pause is all switchover (bitmap, setup, addressing).
  if (record.phases.some((phase) => phase.phase === 'postcopy')) return { downtimeOverLimit: true, downtimeOverLimitCause: 'switchover' };
  if (record.precopyStop !== undefined && record.precopyStop !== 'converged') return { downtimeOverLimit: true, downtimeOverLimitCause: 'not converged' };
  const paused = record.phases.filter((phase) => phase.guest === 'paused');
  const copyS = paused.length === 0 ? 0 : Math.max(...paused.map((p) => p.endS)) - Math.min(...paused.map((p) => p.startS));
  const cause: OverLimitCause = copyS > limitS ? 'final round' : 'switchover';
  return { downtimeOverLimit: true, downtimeOverLimitCause: cause };
}

/** The first instant the record's guest was paused, or undefined when it never was. */
export function pauseStartS(record: MigrationRecord): number | undefined {
  let start: number | undefined;
  for (const phase of record.phases) if (phase.guest === 'paused' && (start === undefined || phase.startS < start)) start = phase.startS;
  return start;
}

/** Length of the union of the intervals [start, start + length). */
export function unionLengthS(intervals: readonly (readonly [number, number])[]): number {
  const sorted = intervals.filter(([, length]) => length > 0).map(([start, length]) => [start, start + length] as const).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let openS = -Infinity;
  let closeS = -Infinity;
  for (const [start, end] of sorted) {
    if (start > closeS) {
      if (closeS > openS) total += closeS - openS;
      openS = start;
      closeS = end;
    } else if (end > closeS) {
      closeS = end;
    }
  }
  if (closeS > openS) total += closeS - openS;
  return total;
}

/** The nearest-rank q-quantile of `values` (0 for none). */
export function nearestRankQuantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length))) - 1]!;
}
