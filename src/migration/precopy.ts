// Precopy (Clark et al., NSDI 2005; QEMU's default live migration): iterative rounds while the guest runs
// (precopy-rounds.ts), then suspend, send what is left, resume on the destination.
import { createPrecopyRounds } from './precopy-rounds.js';
import { finalRound } from './precopy-steps.js';
import { NO_FAULTS, type MigrationContext, type MigrationStrategy, type Step } from './strategy.js';

export function createPrecopy(context: MigrationContext): MigrationStrategy {
  const rounds = createPrecopyRounds(context, { maxRounds: context.migration.maxRounds, maxTimeS: Infinity });
  let stopped = false;
  return {
    begin: (): Step => rounds.first(),
    next: (outcome): Step => {
      if (stopped) return NO_FAULTS;
      const decision = rounds.afterRound(outcome);
      if (decision.kind !== 'stop') return decision.step;
      stopped = true;
      return finalRound(decision.pending, decision.reason);
    },
  };
}
