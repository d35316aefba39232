// The interface every memory-migration technique implements. A strategy is a decision object (ns-3's
// TcpCongestionOps, xstate's transition()): it is told what the network delivered and decides the next
// step; the runtime (migration-process.ts) carries steps out on the flow network — applying the content
// optimizations (page-cost.ts) and the rate caps — and keeps the clock, the guest's state and the
// accounting.
import type { MigrationSpec, VmSpec } from '../config/scenario.js';
import type { SendKind } from './page-cost.js';
import type { ProfileRules } from './hypervisor.js';
import type { PrecopyStop } from './precopy-steps.js';

/** Where the guest runs while a step's bytes move. */
export type GuestState = 'running-on-source' | 'paused' | 'running-on-destination';

export type PhaseName = 'precopy' | 'stop-and-copy' | 'postcopy';

export interface TransferStep {
  kind: 'transfer';
  phase: PhaseName;
  guest: GuestState;
  /** guest memory this step covers, bytes (before zero/free/dedup skipping and compression) */
  memoryBytes: number;
  /** first pass over these pages, or pages re-sent after the guest dirtied them */
  pages: SendKind;
  /** fraction of vCPU time taken from the guest while this step runs (auto-converge), 0..1 */
  throttle: number;
  /** the guest's effective dirty rate during this step, B/s (for the trace) */
  dirtyRateBytesPerS: number;
  /** on the step that ends a precopy phase: why it ended */
  precopyStop?: PrecopyStop;
  /** the step carries on the round of the step before it (a pass split in two steps), so it is not counted
   * as a round of its own */
  continuesRound?: true;
  /** bytes sent with the step that are not guest memory (the switch to postcopy's discard bitmap), B */
  stateBytes?: number;
  /** time the step takes after its last byte has arrived (the destination's postcopy setup), s */
  setupS?: number;
}

/** The guest resumes (or keeps running) on the destination; the migration has ended. */
export interface FinishStep {
  kind: 'finish';
  /** postcopy: expected number of pages the guest faulted on and fetched over the network */
  faults: number;
  /** postcopy: total time vCPUs waited on those faults, s */
  faultWaitS: number;
}

/**
 * Nothing to send now: the strategy wants the guest paused, but the switchover may not happen yet (the disk's
 * copy is not ready: switchover.ts). The runtime keeps the guest where it is until the switchover may happen
 * or `maxS` has passed, then calls next() with the time held as `durationS` (and no bytes).
 */
export interface HoldStep {
  kind: 'hold';
  maxS: number;
}

/** The migration gives up: the guest keeps (or goes back to) running on the source; `reason` is reported. */
export interface AbortStep {
  kind: 'abort';
  reason: string;
}

export type Step = TransferStep | FinishStep | HoldStep | AbortStep;

/** What the runtime reports after a transfer step has been delivered. */
export interface TransferOutcome {
  memoryBytes: number;
  /** bytes the step put on the migration stream (after optimizations, with page headers) */
  streamBytes: number;
  /** from the step's start to its last byte's arrival, s */
  durationS: number;
}

/** What a strategy may know about its migration when it is created. */
export interface MigrationContext {
  vm: VmSpec;
  migration: MigrationSpec;
  /** round-trip time of the migration path, s */
  pathRttS: number;
  /** whether the guest may be paused now (the other copy, memory or disk, is ready too: switchover.ts);
   * absent: always */
  switchoverReady?: () => boolean;
  /** precopy's stop rules when not its hypervisor's (a disk's copy: disk-model.ts) */
  rules?: ProfileRules;
}

export interface MigrationStrategy {
  begin(): Step;
  next(outcome: TransferOutcome): Step;
}

export interface StrategyEntry {
  name: string;
  /** one line for `--help` and the README */
  description: string;
  citation: string;
  create(context: MigrationContext): MigrationStrategy;
}

export const NO_FAULTS: FinishStep = { kind: 'finish', faults: 0, faultWaitS: 0 };
