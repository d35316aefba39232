// Precopy (Clark et al., NSDI 2005; QEMU's default live migration): iterative rounds while the guest runs
// (precopy-rounds.ts), then suspend, send what is left, resume on the destination. A `timeout` (libvirt's virsh
// migrate --timeout) ends the iteration where it falls: its action pauses the guest and finishes
// (--timeout-suspend), switches to postcopy (--timeout-postcopy) or gives up. A precopy that iterates until
// cancelled and has no timeout fails as not converged (precopy-steps.ts NotConvergedWatch).
import { pushFaults, pushStep, switchoverStep, type PushSet } from './postcopy.js';
import { createPrecopyRounds } from './precopy-rounds.js';
import { finalRound, type PrecopyIteration, type PrecopyStop, type RoundDecision } from './precopy-steps.js';
import { NO_FAULTS, type MigrationContext, type MigrationStrategy, type Step, type TransferOutcome } from './strategy.js';

type TailPhase = 'rounds' | 'final-round' | 'switchover' | 'push';

/**
 * Precopy's iteration and what follows it: the final round while paused, or the switch to postcopy (the guest
 * resumes on the destination at once, the rest is pushed, faults fetched on demand: postcopy.ts). `toPostcopy`
 * says whether a stop that is not a convergence switches to postcopy (hybrid) or pauses (precopy).
 */
export class PrecopyThenFinish implements MigrationStrategy {
  private phase: TailPhase = 'rounds';
  private pending: PushSet = { hotBytes: 0, coldBytes: 0 };

  constructor(
    private readonly context: MigrationContext,
    private readonly rounds: PrecopyIteration,
    private readonly toPostcopy: boolean,
  ) {}

  begin(): Step {
    return this.rounds.first();
  }

  next(outcome: TransferOutcome): Step {
    switch (this.phase) {
      case 'rounds':
        return this.afterRound(this.rounds.afterRound(outcome));
      case 'switchover':
        this.phase = 'push';
        return pushStep(this.context.vm, this.pending, 'resend');
      case 'push':
        return pushFaults(this.context, this.pending, outcome);
      case 'final-round':
        return NO_FAULTS;
    }
  }

  private afterRound(decision: RoundDecision): Step {
    if (decision.kind === 'fail') return { kind: 'abort', reason: decision.reason };
    if (decision.kind !== 'stop') return decision.step;
    const { reason, pending } = decision;
    const timeout = this.context.migration.timeout;
    if (reason === 'timeout' && timeout !== undefined) {
      if (timeout.action === 'abort') {
        return { kind: 'abort', reason: `aborted: timeout after ${timeout.afterS} s of precopy (action abort); the VM keeps running on the source` };
      }
      return timeout.action === 'postcopy' ? this.switchToPostcopy(pending, reason) : this.pause(pending, reason);
    }
    // QEMU completes a converged precopy without switching to postcopy, hybrid or not.
    return reason !== 'converged' && this.toPostcopy ? this.switchToPostcopy(pending, reason) : this.pause(pending, reason);
  }

  private pause(pending: PushSet, reason: PrecopyStop): Step {
    this.phase = 'final-round';
    return finalRound(pending, reason);
  }

  private switchToPostcopy(pending: PushSet, reason: PrecopyStop): Step {
    this.phase = 'switchover';
    this.pending = pending;
    return { ...switchoverStep(this.context.vm), precopyStop: reason };
  }
}

export function createPrecopy(context: MigrationContext): MigrationStrategy {
  const rounds = createPrecopyRounds(context, { maxRounds: context.migration.maxRounds, maxTimeS: Infinity });
  return new PrecopyThenFinish(context, rounds, false);
}
