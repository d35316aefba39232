// Hybrid (Hines & Gopalan, VEE 2009, §2; Svärd et al., The Noble Art of Live VM Migration): a bounded
// precopy — `hybrid.rounds` rounds or `hybrid.time` seconds; one full pass when neither is set — then postcopy
// for the pages still dirty. If the precopy converges within its bound it ends as a precopy (QEMU completes a
// converged precopy without switching to postcopy). With `convergenceCheck: qemu` the rounds are QEMU's
// (precopy-rounds.ts): the bound counts bitmap syncs, so the default single round ends at the first check, with
// up to the threshold of the first pass left to the push, and `hybrid.time` cuts the running pass where it
// falls (qemu-precopy-rounds.ts); with `round-end` it is checked at round ends.
import { PrecopyThenFinish } from './precopy.js';
import { createPrecopyRounds } from './precopy-rounds.js';
import type { MigrationContext, MigrationStrategy } from './strategy.js';

export function createHybrid(context: MigrationContext): MigrationStrategy {
  const { hybrid, maxRounds } = context.migration;
  const bounded = hybrid.rounds !== undefined || hybrid.timeS !== undefined;
  const rounds = createPrecopyRounds(context, {
    maxRounds: Math.min(maxRounds, hybrid.rounds ?? (bounded ? Infinity : 1)),
    maxTimeS: hybrid.timeS ?? Infinity,
  });
  return new PrecopyThenFinish(context, rounds, true);
}
