// The interface every memory-migration technique implements. A strategy is a decision object (ns-3's
// TcpCongestionOps, xstate's transition()): it is told what the network delivered and decides the next
// step; the runtime (migration-process.ts) carries steps out on the flow network and keeps the clock,
// the guest's state and the accounting.
import type { MigrationSpec, VmSpec } from '../config/scenario.js';

/** Where the guest runs while a step's bytes move. */
export type GuestState = 'running-on-source' | 'paused' | 'running-on-destination';

export type PhaseName = 'precopy' | 'stop-and-copy' | 'postcopy';

export interface TransferStep {
  kind: 'transfer';
  phase: PhaseName;
  guest: GuestState;
  /** memory payload this step moves, bytes */
  payloadBytes: number;
}

/** The guest resumes (or keeps running) on the destination; the migration has ended. */
export interface FinishStep {
  kind: 'finish';
}

export type Step = TransferStep | FinishStep;

/** What the runtime reports after a transfer step has been delivered. */
export interface TransferOutcome {
  payloadBytes: number;
  /** from the step's start to its last byte's arrival, s */
  durationS: number;
}

/** What a strategy may know about its migration when it is created. */
export interface MigrationContext {
  vm: VmSpec;
  migration: MigrationSpec;
  /** round-trip time of the migration path, s */
  pathRttS: number;
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
