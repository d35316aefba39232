// What both precopy iterations (precopy-rounds.ts: checked at round ends; qemu-precopy-rounds.ts: checked where
// QEMU checks) share: their decisions, the steps they hand the runtime, and Xen's cap on what they may send.
import type { WorkloadSpec } from '../config/scenario.js';
import { hypervisorProfile, type ProfileRules } from './hypervisor.js';
import { effectiveDirtyRate, PAGE_BYTES, timeToDirtyBytes } from './memory-model.js';
import type { PushSet } from './postcopy.js';
import type { HoldStep, MigrationContext, TransferOutcome, TransferStep } from './strategy.js';

/** Why the iteration stopped; 'timeout' is the migration's `timeout` (its action says what follows). */
export type PrecopyStop = 'converged' | 'max-rounds' | 'time-limit' | 'no-progress' | 'timeout';

/** The stop rules no knob covers: the context's own (a disk's copy: disk-model.ts), else its hypervisor's. */
export function precopyRules(context: MigrationContext): ProfileRules {
  return context.rules ?? hypervisorProfile(context.migration.hypervisor).rules;
}

/**
 * The documented bound of a precopy that iterates until cancelled (QEMU) and has no `timeout`: QEMU would go on
 * for ever; mignet gives up — the migration fails, reason "not converged" — once the pending bytes at a check
 * have not reached a new low, by at least a page, for NOT_CONVERGED_CHECKS checks in a row (and auto-converge,
 * when on, is at its maximum throttle). A guest that keeps making progress, however slowly, is never cut.
 */
export const NOT_CONVERGED_CHECKS = 30;

export class NotConvergedWatch {
  private lowestBytes = Infinity;
  private checksSinceLow = 0;

  constructor(private readonly context: MigrationContext) {}

  /** Whether to give up after a check that left `pendingBytes` pending; `mayThrottleMore`: auto-converge can still
   * slow the guest. */
  givesUp(pendingBytes: number, mayThrottleMore: boolean): boolean {
    const { migration } = this.context;
    if (!precopyRules(this.context).iteratesUntilCancelled || migration.timeout !== undefined) return false;
    if (pendingBytes <= this.lowestBytes - PAGE_BYTES) {
      this.lowestBytes = pendingBytes;
      this.checksSinceLow = 0;
      return false;
    }
    this.checksSinceLow++;
    return !mayThrottleMore && this.checksSinceLow >= NOT_CONVERGED_CHECKS;
  }

  reason(pendingBytes: number, thresholdBytes: number, elapsedS: number, checks: number): string {
    const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);
    return `not converged: after ${checks} checks in ${elapsedS.toFixed(1)} s, ${mib(pendingBytes)} MiB still pending against a budget of ${mib(thresholdBytes)} MiB (no new low for ${NOT_CONVERGED_CHECKS} checks; set timeout to bound it)`;
  }
}

/** Whether the migration's `timeout` has passed after `elapsedS` of precopy (within the clock's resolution). */
export function timedOut(context: MigrationContext, elapsedS: number): boolean {
  const timeout = context.migration.timeout;
  return timeout !== undefined && elapsedS >= timeout.afterS * (1 - 1e-9);
}

export interface PrecopyBound {
  maxRounds: number;
  maxTimeS: number;
}

export type RoundDecision =
  | { kind: 'round'; step: TransferStep }
  | { kind: 'hold'; step: HoldStep }
  | { kind: 'stop'; reason: PrecopyStop; pending: PushSet }
  | { kind: 'fail'; reason: string };

/** Precopy's iterative phase as its strategies drive it: the first step, then a decision after each step. */
export interface PrecopyIteration {
  first(): TransferStep;
  afterRound(outcome: TransferOutcome): RoundDecision;
}

/**
 * What may be left for the pause at `rateBytesPerS`: QEMU's threshold_size = bandwidth × downtime-limit
 * (migration.c migration_update_counters). A zero limit leaves nothing whatever the rate: a step too short for
 * the clock to time has an infinite rate, and Infinity × 0 is NaN, which no pending size is ever below.
 */
export function downtimeBudgetBytes(rateBytesPerS: number, downtimeLimitS: number): number {
  return downtimeLimitS > 0 ? rateBytesPerS * downtimeLimitS : 0;
}

/**
 * How long a held guest may run on before what a keep-alive round would send (the writes since the last sync,
 * `sinceSyncS` ago, on top of `alreadyBytes` pending) reaches `budgetBytes`; at least a page. Infinity when it
 * never does. The writes are those a round may send (sendableWrites).
 */
export function keepAliveDelayS(
  vm: MigrationContext['vm'],
  deferHot: boolean,
  budgetBytes: number,
  alreadyBytes: number,
  throttle: number,
  sinceSyncS: number,
): number {
  const [sendable, sendableBytes] = sendableWrites(vm, deferHot);
  const untilS = timeToDirtyBytes(sendable, sendableBytes, Math.max(budgetBytes - alreadyBytes, PAGE_BYTES), throttle);
  return Math.max(0, untilS - sinceSyncS);
}

/** The writes a round may send, and the memory they land in: the cold set's alone when hot pages are deferred. */
export function sendableWrites(vm: MigrationContext['vm'], deferHot: boolean): [WorkloadSpec, number] {
  const workload = vm.workload;
  if (!deferHot) return [workload, vm.memoryBytes];
  const cold: WorkloadSpec = { ...workload, dirtyRateBytesPerS: (1 - workload.hotFraction) * workload.dirtyRateBytesPerS, hotSetBytes: 0, hotFraction: 0 };
  return [cold, vm.memoryBytes - workload.hotSetBytes];
}

export function precopyStep(vm: MigrationContext['vm'], memoryBytes: number, pages: TransferStep['pages'], throttle: number): TransferStep {
  return {
    kind: 'transfer',
    phase: 'precopy',
    guest: 'running-on-source',
    memoryBytes,
    pages,
    throttle,
    dirtyRateBytesPerS: effectiveDirtyRate(vm.workload, throttle),
  };
}

/** The final stop-and-copy round: the guest is paused while the pending pages go. */
export function finalRound(pending: PushSet, reason: PrecopyStop): TransferStep {
  return {
    kind: 'transfer',
    phase: 'stop-and-copy',
    guest: 'paused',
    memoryBytes: pending.hotBytes + pending.coldBytes,
    pages: 'resend',
    throttle: 0,
    dirtyRateBytesPerS: 0,
    precopyStop: reason,
  };
}
