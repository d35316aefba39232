// The iterative phase of precopy (Clark et al., Live Migration of Virtual Machines, NSDI 2005, §3-4, and
// QEMU migration/ram.c, migration.c): round 0 sends every page while the guest runs; round i sends what
// the guest dirtied during round i−1, so with a dirty rate D below the rate B and no saturation the rounds
// shrink as V_i = V_0·(D/B)^i. The iteration stops when
//   converged   the pending bytes fit the downtime limit at the rate just measured (QEMU:
//               threshold = bandwidth × downtime-limit, bandwidth = bytes sent / time of the period),
//   max-rounds  `maxRounds` rounds have run (Xen's cap on iterations; hybrid's bound),
//   time-limit  the precopy time bound is reached (hybrid.time), checked at round ends,
//   no-progress a round dirtied at least as much as it sent, or the rounds have sent 3× the memory (Xen's
//               heuristics, xc_domain_save's max_factor = 3); with auto-converge (QEMU) only a stalled
//               round at the maximum throttle.
// `convergenceCheck` says where the pending bytes are compared with the threshold:
//   round-end   (the default; Clark et al. §4, SimGrid's VM live-migration plugin) at the end of each round, so
//               an idle guest ends with an almost empty final round (a downtime of about one path latency).
//   qemu        where QEMU compares them (QemuPrecopyRounds below): inside a pass, leaving up to the threshold
//               for the pause, so an idle guest's downtime is close to the limit.
// With deferHotPages, dirty hot-set pages are held back to the final round (TO_SEND_LAST, the hot-page
// deferral of Clark §4.3): rounds send only the cold pages the guest dirtied.
// Holding (switchover.ts): when the iteration stops but the switchover may not happen yet (the disk, or the
// memory, still copying), the guest runs on and the pending set grows from the last bitmap sync; once what a
// round would send reaches the downtime budget, a keep-alive round sends it (QEMU keeps iterating while block
// migration is not done). The stop reason reported is the first one. The same rounds move a disk
// (disk-model.ts diskAsMemory: snapshot deltas, dirty-block passes), always checked at round ends.
import { nextThrottle, THROTTLE_MAX, UNTHROTTLED, type ThrottleState } from './auto-converge.js';
import { dirtiedBySet } from './memory-model.js';
import { QemuPrecopyRounds } from './qemu-precopy-rounds.js';
import type { PushSet } from './postcopy.js';
import {
  downtimeBudgetBytes,
  keepAliveDelayS,
  NotConvergedWatch,
  precopyRules,
  precopyStep,
  timedOut,
  type PrecopyBound,
  type PrecopyIteration,
  type PrecopyStop,
  type RoundDecision,
} from './precopy-steps.js';
import type { MigrationContext, TransferOutcome, TransferStep } from './strategy.js';

/** The iteration for the migration's `convergenceCheck`. */
export function createPrecopyRounds(context: MigrationContext, bound: PrecopyBound): PrecopyIteration {
  return context.migration.convergenceCheck === 'qemu' ? new QemuPrecopyRounds(context, bound) : new PrecopyRounds(context, bound);
}

/** Rounds checked at their end (convergenceCheck: round-end). */
export class PrecopyRounds implements PrecopyIteration {
  private rounds = 0;
  private elapsedS = 0;
  private sentBytes = 0;
  private throttle: ThrottleState = UNTHROTTLED;
  /** time since the last bitmap sync (the start of the last round), s */
  private sinceSyncS = 0;
  /** the highest rate a round has reached, B/s: a held copy's budget (a short round's rate is mostly latency) */
  private peakBandwidth = 0;
  private holding = false;
  /** the round under way is a keep-alive round, sent while held */
  private keepAlive = false;
  private stopReason: PrecopyStop | undefined;
  private readonly notConverged: NotConvergedWatch;

  constructor(
    private readonly context: MigrationContext,
    private readonly bound: PrecopyBound,
  ) {
    this.notConverged = new NotConvergedWatch(context);
  }

  first(): TransferStep {
    return this.roundStep(this.context.vm.memoryBytes, 'first');
  }

  afterRound(outcome: TransferOutcome): RoundDecision {
    if (this.holding) return this.afterHold(outcome.durationS);
    const { vm, migration } = this.context;
    this.rounds++;
    this.sinceSyncS = outcome.durationS;
    this.elapsedS += outcome.durationS;
    this.sentBytes += outcome.memoryBytes;
    const throttle = this.throttle.throttle;
    const dirtied = dirtiedBySet(vm.workload, vm.memoryBytes, outcome.durationS, throttle);
    // Deferred hot pages accumulate from the start: every hot page dirtied since round 0 is still unsent.
    const deferHot = migration.optimizations.deferHotPages && this.rounds > 0;
    const hotPending = deferHot ? dirtiedBySet(vm.workload, vm.memoryBytes, this.elapsedS, throttle).hotBytes : dirtied.hotBytes;
    const pending: PushSet = { hotBytes: hotPending, coldBytes: dirtied.coldBytes };
    const pendingBytes = pending.hotBytes + pending.coldBytes;
    if (this.keepAlive) {
      // The iteration has stopped already: back to holding (or to the pause).
      this.keepAlive = false;
      return this.stopOrHold(this.stopReason ?? 'converged', pending);
    }
    const bandwidth = outcome.durationS > 0 ? outcome.streamBytes / outcome.durationS : Infinity;
    this.peakBandwidth = Math.max(this.peakBandwidth, bandwidth);

    const budgetBytes = downtimeBudgetBytes(bandwidth, migration.downtimeLimitS);
    const rules = precopyRules(this.context);
    if (pendingBytes <= budgetBytes) return this.stopOrHold('converged', pending);
    // Xen's last-iteration test: the pass just sent fewer than 50 pages (hypervisor.ts).
    if (outcome.memoryBytes < rules.finalRoundBelowBytes) return this.stopOrHold('converged', pending);
    if (this.rounds >= this.bound.maxRounds) return this.stopOrHold('max-rounds', pending);
    if (this.elapsedS >= this.bound.maxTimeS) return this.stopOrHold('time-limit', pending);
    if (timedOut(this.context, this.elapsedS)) return this.stopOrHold('timeout', pending);
    const sentNext = deferHot ? pending.coldBytes : pendingBytes;
    const roundStalled = dirtied.hotBytes + dirtied.coldBytes >= outcome.memoryBytes;
    if (migration.autoConverge) {
      // QEMU never gives up while it can still throttle; it compares the bytes dirtied in the period with
      // the bytes transferred in it.
      this.throttle = nextThrottle(this.throttle, dirtied.hotBytes + dirtied.coldBytes, outcome.streamBytes);
      if (roundStalled && throttle >= THROTTLE_MAX && rules.stopWhenStalled) return this.stopOrHold('no-progress', pending);
    } else if ((rules.stopWhenStalled && roundStalled) || this.sentBytes >= rules.maxSentFactor * vm.memoryBytes) {
      return this.stopOrHold('no-progress', pending);
    }
    const mayThrottleMore = migration.autoConverge && throttle < THROTTLE_MAX;
    if (this.notConverged.givesUp(pendingBytes, mayThrottleMore)) {
      return { kind: 'fail', reason: this.notConverged.reason(pendingBytes, budgetBytes, this.elapsedS, this.rounds) };
    }
    return { kind: 'round', step: this.roundStep(sentNext, 'resend') };
  }

  /** Stop, or hold while the switchover may not happen yet; the first stop reason is the one reported. */
  private stopOrHold(reason: PrecopyStop, pending: PushSet): RoundDecision {
    this.stopReason ??= reason;
    if (this.context.switchoverReady?.() ?? true) return { kind: 'stop', reason: this.stopReason, pending };
    this.holding = true;
    return { kind: 'hold', step: { kind: 'hold', maxS: this.keepAliveAfterS() } };
  }

  /** After a hold of `heldS`: stop if the switchover may happen now, else send what the guest dirtied meanwhile. */
  private afterHold(heldS: number): RoundDecision {
    this.holding = false;
    this.elapsedS += heldS;
    this.sinceSyncS += heldS;
    const { vm, migration } = this.context;
    const throttle = this.throttle.throttle;
    const dirtied = dirtiedBySet(vm.workload, vm.memoryBytes, this.sinceSyncS, throttle);
    const deferHot = migration.optimizations.deferHotPages;
    const hotBytes = deferHot ? dirtiedBySet(vm.workload, vm.memoryBytes, this.elapsedS, throttle).hotBytes : dirtied.hotBytes;
    const pending: PushSet = { hotBytes, coldBytes: dirtied.coldBytes };
    const sendable = deferHot ? pending.coldBytes : pending.hotBytes + pending.coldBytes;
    if ((this.context.switchoverReady?.() ?? true) || !(sendable > 0)) return this.stopOrHold(this.stopReason ?? 'converged', pending);
    this.keepAlive = true;
    return { kind: 'round', step: this.roundStep(sendable, 'resend') };
  }

  /**
   * How long the guest may be held before what a round would send (the cold set with deferHotPages, else all
   * of it) reaches the downtime budget at the best rate seen, counted from now; at least a page. Infinity when
   * it never does.
   */
  private keepAliveAfterS(): number {
    const { vm, migration } = this.context;
    const budgetBytes = downtimeBudgetBytes(this.peakBandwidth, migration.downtimeLimitS);
    return keepAliveDelayS(vm, migration.optimizations.deferHotPages, budgetBytes, 0, this.throttle.throttle, this.sinceSyncS);
  }

  private roundStep(memoryBytes: number, pages: TransferStep['pages']): TransferStep {
    return precopyStep(this.context.vm, memoryBytes, pages, this.throttle.throttle);
  }
}
