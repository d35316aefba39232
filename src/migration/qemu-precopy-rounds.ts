// Precopy's iteration with QEMU's convergence check (convergenceCheck: qemu); the module comment of
// precopy-rounds.ts says what the iteration models, the class comment below where QEMU checks.
import { nextThrottle, THROTTLE_MAX, UNTHROTTLED, type ThrottleState } from './auto-converge.js';
import { dirtiedBySet } from './memory-model.js';
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

/** QEMU's ram_save_iterate returns after MAX_WAIT = 50 ms of sending (migration/ram.c); migration.c
 * migration_iteration_run estimates what is pending between two such iterations. */
const ITERATION_S = 0.05;
/** Share of memory the first step sends to measure the rate the threshold needs: QEMU has no threshold before
 * it has measured its stream for BUFFER_DELAY = 100 ms (migration.c migration_update_counters). An eighth is
 * our choice: enough bytes that the step's rate is the stream's, few enough to leave the first check ahead. */
const FIRST_MEASUREMENT_SHARE = 1 / 8;
/** ram.c migration_bitmap_sync evaluates auto-converge's trigger (migration_trigger_throttle) only at a sync more
 * than 1000 ms after the last evaluation, over everything dirtied and sent since. */
const THROTTLE_PERIOD_S = 1;

/** QEMU's dirty bitmap: pages of the first pass not sent yet (spread evenly over memory), and dirtied pages to
 * send again, by set. */
interface DirtyBitmap {
  firstBytes: number;
  hotBytes: number;
  coldBytes: number;
}

/**
 * Rounds checked where QEMU checks (convergenceCheck: qemu). QEMU's migration thread (migration/migration.c
 * migration_iteration_run) sends in iterations of at most MAX_WAIT = 50 ms (migration/ram.c ram_save_iterate).
 * Before each it estimates what is pending as the pages still dirty in its bitmap (ram.c
 * ram_state_pending_estimate: migration_dirty_pages × page size); once that is below threshold_size (bandwidth ×
 * downtime-limit, migration.c migration_update_counters) it syncs the bitmap, adding the pages dirtied since the
 * last sync (ram_state_pending_exact), and completes — stops the guest and sends the rest — if the exact figure is
 * still below the threshold; otherwise it iterates on from the synced bitmap. A round here is the time between two
 * syncs (QEMU's dirty-sync-count): a step sends the bitmap down to the first 50 ms boundary, at the rate just
 * measured, where the estimate falls below the threshold; there it syncs and checks. An idle guest stops with
 * the threshold less up to one iteration left for the pause; a guest that writes converges once it dirties,
 * between two checks, less than that slack below the threshold (round-end asks less than the threshold), so it
 * takes more, shorter rounds and pauses with nearly the threshold left.
 * Model choices:
 * - The first check cannot be placed before the rate is known: the first step sends FIRST_MEASUREMENT_SHARE of
 *   memory and measures it (QEMU measures its first 100 ms); the first pass shows as two precopy steps.
 * - The rate is the one a step's stream had while it sent: its duration less the path latency of its last byte
 *   (QEMU counts the bytes put on its socket over the last 100 ms). Each check compares with the threshold of the
 *   step that led to it; where the rate changed within the step, the check is where the previous rate placed it.
 * - Pending = unsent ∪ dirtied since the sync within each set, the dirtied pages spread evenly over their set:
 *   unsent + dirtied·(1 − unsent / set).
 * - A step that holds both first-pass pages and re-sent ones is costed as the kind with more of its bytes; the
 *   final round and a postcopy push are costed as re-sent pages, as in round-end (storage-process.ts tells a
 *   disk's final copy by it); the 50 ms grid keeps a first-pass rest below the threshold, so at most that much
 *   loses its zero, free and duplicate savings.
 * - Xen's no-progress rules apply per round as in round-end; maxRounds and hybrid.rounds count syncs (QEMU has
 *   no cap). Auto-converge's trigger is evaluated at syncs THROTTLE_PERIOD_S apart, as QEMU does.
 */
export class QemuPrecopyRounds implements PrecopyIteration {
  /** syncs with a check so far */
  private rounds = 0;
  private elapsedS = 0;
  private sentBytes = 0;
  private throttle: ThrottleState = UNTHROTTLED;
  private sinceSyncS = 0;
  private readonly bitmap: DirtyBitmap;
  /** memory sent since the last sync */
  private sentSinceSyncBytes = 0;
  /** rates of the stream and of the memory it carried while the last step sent, B/s */
  private streamRate = 0;
  private memoryRate = 0;
  /** the highest stream rate seen, B/s: a held copy's budget */
  private peakStreamRate = 0;
  /** the step under way ends where a check was placed (every step but the first measurement) */
  private checkAtEnd = false;
  /** auto-converge's period: since when, bytes newly dirty at its syncs and stream bytes sent in it */
  private throttlePeriod = { startS: 0, dirtiedBytes: 0, streamBytes: 0 };
  private holding = false;
  /** the step under way is a keep-alive round, sent while held */
  private keepAlive = false;
  private stopReason: PrecopyStop | undefined;
  /** the step under way is the first pass's measurement: the step after it carries on round 0 */
  private measuring = true;
  private readonly notConverged: NotConvergedWatch;

  constructor(
    private readonly context: MigrationContext,
    private readonly bound: PrecopyBound,
  ) {
    this.notConverged = new NotConvergedWatch(context);
    // ram.c ram_save_setup marks every page dirty: the first pass is the whole bitmap.
    this.bitmap = { firstBytes: context.vm.memoryBytes, hotBytes: 0, coldBytes: 0 };
  }

  first(): TransferStep {
    // Shared pages (irlm, gang) are claimed from the cohort once, for the whole first pass (shared-pages.ts): the
    // pass then goes in one step, and the first check comes at its end.
    const { vm, migration } = this.context;
    const sharesPages = vm.content.image !== undefined && (migration.optimizations.irlm || migration.optimizations.gang === true);
    if (sharesPages) this.measuring = false;
    return this.step(vm.memoryBytes * (sharesPages ? 1 : FIRST_MEASUREMENT_SHARE));
  }

  afterRound(outcome: TransferOutcome): RoundDecision {
    if (this.holding) return this.afterHold(outcome.durationS);
    this.account(outcome);
    const afterMeasurement = this.measuring;
    this.measuring = false;
    if (this.keepAlive) {
      // The iteration has stopped already: back to holding (or to the pause).
      this.keepAlive = false;
      this.sync();
      return this.stopOrHold(this.stopReason ?? 'converged');
    }
    const limitS = this.context.migration.downtimeLimitS;
    const threshold = limitS > 0 ? this.streamRate * limitS : 0; // migration_update_counters: threshold_size
    if (this.checkAtEnd || this.estimate() < threshold || !(this.sendable() > 0)) return this.check(threshold);
    const step = this.nextStep(threshold);
    return { kind: 'round', step: afterMeasurement ? { ...step, continuesRound: true } : step };
  }

  private account(outcome: TransferOutcome): void {
    const { memoryBytes, streamBytes, durationS } = outcome;
    this.elapsedS += durationS;
    this.sinceSyncS += durationS;
    this.sentBytes += memoryBytes;
    this.sentSinceSyncBytes += memoryBytes;
    this.throttlePeriod.streamBytes += streamBytes;
    this.consume(memoryBytes);
    if (!(memoryBytes > 0)) return;
    // The last byte arrives one path latency after it left; QEMU's rate counts the time spent sending.
    const latencyS = this.context.pathRttS / 2;
    const sendingS = durationS > latencyS ? durationS - latencyS : durationS;
    this.streamRate = sendingS > 0 ? streamBytes / sendingS : Infinity;
    this.memoryRate = sendingS > 0 ? memoryBytes / sendingS : Infinity;
    this.peakStreamRate = Math.max(this.peakStreamRate, this.streamRate);
  }

  /** Takes sent bytes off the bitmap: the first pass's rest first (it lies ahead of QEMU's walker in address
   * order), then the re-sent pages, evenly. */
  private consume(bytes: number): void {
    const bitmap = this.bitmap;
    const fromFirst = Math.min(bitmap.firstBytes, bytes);
    bitmap.firstBytes -= fromFirst;
    const rest = bytes - fromFirst;
    const hot = this.defersHot() ? 0 : bitmap.hotBytes;
    const dirty = hot + bitmap.coldBytes;
    if (!(rest > 0) || !(dirty > 0)) return;
    const share = Math.min(1, rest / dirty);
    bitmap.hotBytes -= hot * share;
    bitmap.coldBytes -= bitmap.coldBytes * share;
  }

  /** ram.c ram_state_pending_estimate: what the bitmap holds, without a sync. */
  private estimate(): number {
    const bitmap = this.bitmap;
    return bitmap.firstBytes + bitmap.hotBytes + bitmap.coldBytes;
  }

  /** What the next step may send: all the bitmap but deferred hot pages. */
  private sendable(): number {
    const bitmap = this.bitmap;
    return bitmap.firstBytes + bitmap.coldBytes + (this.defersHot() ? 0 : bitmap.hotBytes);
  }

  private defersHot(): boolean {
    return this.context.migration.optimizations.deferHotPages;
  }

  /**
   * ram.c migration_bitmap_sync: the pages dirtied since the last sync join the bitmap (pending_exact). With
   * deferHotPages the hot part is every hot page dirtied since the start, as in round-end. Returns the bytes
   * newly dirty in the bitmap and the unique bytes the guest dirtied since the last sync.
   */
  private sync(): { newlyDirtyBytes: number; dirtiedBytes: number } {
    const { vm } = this.context;
    const { workload, memoryBytes } = vm;
    const throttle = this.throttle.throttle;
    const bitmap = this.bitmap;
    const before = this.estimate();
    const dirtied = dirtiedBySet(workload, memoryBytes, this.sinceSyncS, throttle);
    const unsentFirstShare = memoryBytes > 0 ? bitmap.firstBytes / memoryBytes : 0;
    const hotSetBytes = workload.hotSetBytes;
    const coldSetBytes = memoryBytes - hotSetBytes;
    bitmap.hotBytes = this.defersHot()
      ? dirtiedBySet(workload, memoryBytes, this.elapsedS, throttle).hotBytes * (1 - unsentFirstShare)
      : joined(bitmap.hotBytes, hotSetBytes * unsentFirstShare, dirtied.hotBytes, hotSetBytes);
    bitmap.coldBytes = joined(bitmap.coldBytes, coldSetBytes * unsentFirstShare, dirtied.coldBytes, coldSetBytes);
    this.sinceSyncS = 0;
    this.sentSinceSyncBytes = 0;
    return { newlyDirtyBytes: this.estimate() - before, dirtiedBytes: dirtied.hotBytes + dirtied.coldBytes };
  }

  /** A sync and migration_iteration_run's test, then precopy's other stop rules. */
  private check(threshold: number): RoundDecision {
    const { vm, migration } = this.context;
    const sentInRound = this.sentSinceSyncBytes;
    const { newlyDirtyBytes, dirtiedBytes } = this.sync();
    this.rounds++;
    const pending = this.estimate();
    const rules = precopyRules(this.context);
    // migration.c migration_iteration_run: complete when !pending_size || pending_size < threshold_size.
    if (pending === 0 || pending < threshold) return this.stopOrHold('converged');
    if (sentInRound < rules.finalRoundBelowBytes) return this.stopOrHold('converged');
    if (this.rounds >= this.bound.maxRounds) return this.stopOrHold('max-rounds');
    if (this.pastTimeBound()) return this.stopOrHold('time-limit');
    if (timedOut(this.context, this.elapsedS)) return this.stopOrHold('timeout');
    const roundStalled = dirtiedBytes >= sentInRound;
    const throttle = this.throttle.throttle;
    if (migration.autoConverge) {
      const period = this.throttlePeriod;
      period.dirtiedBytes += newlyDirtyBytes;
      if (this.elapsedS - period.startS > THROTTLE_PERIOD_S) {
        this.throttle = nextThrottle(this.throttle, period.dirtiedBytes, period.streamBytes);
        this.throttlePeriod = { startS: this.elapsedS, dirtiedBytes: 0, streamBytes: 0 };
      }
      if (roundStalled && throttle >= THROTTLE_MAX && rules.stopWhenStalled) return this.stopOrHold('no-progress');
    } else if ((rules.stopWhenStalled && roundStalled) || this.sentBytes >= rules.maxSentFactor * vm.memoryBytes) {
      return this.stopOrHold('no-progress');
    }
    // Only deferred hot pages left, and too many of them: nothing more to iterate on.
    if (!(this.sendable() > 0)) return this.stopOrHold('no-progress');
    if (this.notConverged.givesUp(pending, migration.autoConverge && this.throttle.throttle < THROTTLE_MAX)) {
      return { kind: 'fail', reason: this.notConverged.reason(pending, threshold, this.elapsedS, this.rounds) };
    }
    return { kind: 'round', step: this.nextStep(threshold) };
  }

  /** The bitmap down to the first ITERATION_S boundary (at the rate just measured) where the estimate falls below
   * the threshold: ⌊(estimate − threshold) / iteration⌋ + 1 iterations, or all that may go. */
  private nextStep(threshold: number): TransferStep {
    const sendable = this.sendable();
    const iterationBytes = this.memoryRate * ITERATION_S;
    let bytes = sendable;
    if (iterationBytes > 0 && Number.isFinite(iterationBytes)) {
      const iterations = Math.max(1, Math.floor((this.estimate() - threshold) / iterationBytes) + 1);
      bytes = Math.min(sendable, iterations * iterationBytes);
      // A time bound (hybrid.time, the timeout) cuts the pass where it falls, at the rate just measured, to the
      // iteration: libvirt's timer and hybrid's switch to postcopy do not wait for a bitmap sync.
      const untilBoundS = this.timeBoundS() - this.elapsedS;
      if (untilBoundS > 0) bytes = Math.min(bytes, Math.max(iterationBytes, this.memoryRate * untilBoundS));
    }
    this.checkAtEnd = true;
    return this.step(bytes);
  }

  /** The earliest time bound of the precopy (hybrid.time, the timeout), s from its start; Infinity: none. */
  private timeBoundS(): number {
    return Math.min(this.bound.maxTimeS, this.context.migration.timeout?.afterS ?? Infinity);
  }

  /** Whether hybrid's time bound has passed, to the clock's resolution. */
  private pastTimeBound(): boolean {
    return this.elapsedS >= this.bound.maxTimeS * (1 - 1e-9);
  }

  private step(memoryBytes: number): TransferStep {
    const firstBytes = Math.min(this.bitmap.firstBytes, memoryBytes);
    const pages = memoryBytes > 0 && 2 * firstBytes >= memoryBytes ? 'first' : 'resend';
    return precopyStep(this.context.vm, memoryBytes, pages, this.throttle.throttle);
  }

  /** Stop, or hold while the switchover may not happen yet; the first stop reason is the one reported. */
  private stopOrHold(reason: PrecopyStop): RoundDecision {
    this.stopReason ??= reason;
    if (this.context.switchoverReady?.() ?? true) return { kind: 'stop', reason: this.stopReason, pending: this.pending() };
    this.holding = true;
    return { kind: 'hold', step: { kind: 'hold', maxS: this.keepAliveAfterS() } };
  }

  /** The bitmap by set (the first pass's rest spread evenly over memory). */
  private pending(): PushSet {
    const { memoryBytes, workload } = this.context.vm;
    const bitmap = this.bitmap;
    const hotShare = memoryBytes > 0 ? workload.hotSetBytes / memoryBytes : 0;
    return { hotBytes: bitmap.hotBytes + bitmap.firstBytes * hotShare, coldBytes: bitmap.coldBytes + bitmap.firstBytes * (1 - hotShare) };
  }

  /** After a hold of `heldS`: stop if the switchover may happen now, else send all that may go (keep-alive). */
  private afterHold(heldS: number): RoundDecision {
    this.holding = false;
    this.elapsedS += heldS;
    this.sinceSyncS += heldS;
    this.sync();
    if ((this.context.switchoverReady?.() ?? true) || !(this.sendable() > 0)) return this.stopOrHold(this.stopReason ?? 'converged');
    this.keepAlive = true;
    return { kind: 'round', step: this.step(this.sendable()) };
  }

  /** How long the guest may be held before what may be sent reaches the downtime budget at the best rate seen
   * (the bitmap's own bytes count toward it; later writes' overlap with them is left out); at least a page. */
  private keepAliveAfterS(): number {
    const { vm, migration } = this.context;
    const budgetBytes = downtimeBudgetBytes(this.peakStreamRate, migration.downtimeLimitS);
    return keepAliveDelayS(vm, this.defersHot(), budgetBytes, this.sendable(), this.throttle.throttle, this.sinceSyncS);
  }
}

/** A set's pages to re-send after `dirtiedBytes` join the bitmap, which holds `resendBytes` of them and
 * `unsentFirstBytes` not sent yet: the writes spread evenly over the set, those landing on pages already in the
 * bitmap add nothing. */
function joined(resendBytes: number, unsentFirstBytes: number, dirtiedBytes: number, setBytes: number): number {
  if (!(setBytes > 0)) return resendBytes;
  return resendBytes + dirtiedBytes * Math.max(0, 1 - (resendBytes + unsentFirstBytes) / setBytes);
}
