// Hybrid (Hines & Gopalan, VEE 2009, §2; Svärd et al., The Noble Art of Live VM Migration): a bounded
// precopy — `hybrid.rounds` rounds or `hybrid.time` seconds (checked at round ends); one full pass when
// neither is set — then postcopy for the pages still dirty. If the precopy converges within its bound it
// ends as a precopy (QEMU completes a converged precopy without switching to postcopy). With
// `convergenceCheck: qemu` the rounds are QEMU's (precopy-rounds.ts): the bound counts bitmap syncs, so the
// default single round ends at the first check, with up to the threshold of the first pass left to the push.
import { pushFaults, pushStep, SWITCHOVER_STEP, type PushSet } from './postcopy.js';
import { createPrecopyRounds } from './precopy-rounds.js';
import { finalRound } from './precopy-steps.js';
import { NO_FAULTS, type MigrationContext, type MigrationStrategy, type Step } from './strategy.js';

type HybridPhase = 'precopy' | 'final-round' | 'switchover' | 'push';

export function createHybrid(context: MigrationContext): MigrationStrategy {
  const { hybrid, maxRounds } = context.migration;
  const bounded = hybrid.rounds !== undefined || hybrid.timeS !== undefined;
  const rounds = createPrecopyRounds(context, {
    maxRounds: Math.min(maxRounds, hybrid.rounds ?? (bounded ? Infinity : 1)),
    maxTimeS: hybrid.timeS ?? Infinity,
  });
  let phase: HybridPhase = 'precopy';
  let pending: PushSet = { hotBytes: 0, coldBytes: 0 };
  return {
    begin: (): Step => rounds.first(),
    next: (outcome): Step => {
      switch (phase) {
        case 'precopy': {
          const decision = rounds.afterRound(outcome);
          if (decision.kind !== 'stop') return decision.step;
          if (decision.reason === 'converged') {
            phase = 'final-round';
            return finalRound(decision.pending, decision.reason);
          }
          phase = 'switchover';
          pending = decision.pending;
          return { ...SWITCHOVER_STEP, precopyStop: decision.reason };
        }
        case 'switchover':
          phase = 'push';
          return pushStep(context.vm, pending, 'resend');
        case 'push':
          return pushFaults(context, pending, outcome);
        case 'final-round':
          return NO_FAULTS;
      }
    },
  };
}
