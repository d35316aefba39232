// What both precopy iterations (precopy-rounds.ts: checked at round ends; qemu-precopy-rounds.ts: checked where
// QEMU checks) share: their decisions, the steps they hand the runtime, and Xen's cap on what they may send.
import type { WorkloadSpec } from '../config/scenario.js';
import { effectiveDirtyRate, PAGE_BYTES, timeToDirtyBytes } from './memory-model.js';
import type { PushSet } from './postcopy.js';
import type { HoldStep, MigrationContext, TransferOutcome, TransferStep } from './strategy.js';

/** Xen's xc_domain_save: give up iterating once 3× the guest's memory has been sent. */
export const MAX_SENT_FACTOR = 3;

export type PrecopyStop = 'converged' | 'max-rounds' | 'time-limit' | 'no-progress';

export interface PrecopyBound {
  maxRounds: number;
  maxTimeS: number;
}

export type RoundDecision =
  | { kind: 'round'; step: TransferStep }
  | { kind: 'hold'; step: HoldStep }
  | { kind: 'stop'; reason: PrecopyStop; pending: PushSet };

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
