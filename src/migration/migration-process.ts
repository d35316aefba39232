// Runs one migration: carries out its strategy's steps as flows on the network, keeps the guest's state
// (running on the source, paused, running on the destination) and accounts time, downtime and bytes.
// Downtime is the time the guest spends paused (Clark et al., NSDI 2005, §2); degraded time the time it
// runs throttled (auto-converge) or with pages still remote (postcopy). Every step's pages are costed by
// page-cost.ts: the stream carries its payload, and the stream's rate is capped by `maxBandwidth` and by
// what the migration's cores can compress, encode or hash (cpuLimitedPayloadRate).
import type { MigrationSpec, VmSpec } from '../config/scenario.js';
import type { Simulator } from '../engine/simulator.js';
import type { FlowNetwork } from '../transport/flow-network.js';
import { cpuLimitedPayloadRate, sendCost } from './page-cost.js';
import type { PrecopyStop } from './precopy-rounds.js';
import type { GuestState, MigrationStrategy, PhaseName, Step, TransferStep } from './strategy.js';

export interface PhaseRecord {
  phase: PhaseName;
  guest: GuestState;
  startS: number;
  endS: number;
  /** guest memory covered by the step */
  memoryBytes: number;
  /** memory whose contents went on the stream (memoryBytes less free, zero and duplicate pages) */
  sentMemoryBytes: number;
  streamBytes: number;
  wireBytes: number;
  throttle: number;
  dirtyRateBytesPerS: number;
}

export type MigrationStatus = 'pending' | 'running' | 'completed' | 'refused' | 'failed';

export interface MigrationRecord {
  vm: string;
  from: string;
  to: string;
  strategy: string;
  status: MigrationStatus;
  reason?: string;
  startS: number;
  endS: number;
  downtimeS: number;
  rounds: number;
  memoryBytes: number;
  wireBytes: number;
  degradedTimeS: number;
  faults: number;
  faultWaitS: number;
  precopyStop?: PrecopyStop;
  phases: PhaseRecord[];
}

/** How a migration's bytes travel: fixed when it starts. */
export interface TransferPlan {
  vm: VmSpec;
  migration: MigrationSpec;
  path: Int32Array;
  /** wire bytes per stream byte on this path */
  wireFactor: number;
  /** cores each end gives the migration's stream processing */
  cores: number;
}

export class MigrationProcess {
  private guest: GuestState = 'running-on-source';
  private pausedAtS = 0;

  constructor(
    private readonly sim: Simulator,
    private readonly network: FlowNetwork,
    private readonly plan: TransferPlan,
    private readonly strategy: MigrationStrategy,
    private readonly record: MigrationRecord,
    private readonly onEnd: (record: MigrationRecord) => void,
  ) {}

  start(): void {
    this.record.status = 'running';
    this.record.startS = this.sim.nowS;
    this.perform(this.strategy.begin());
  }

  private perform(step: Step): void {
    if (step.kind === 'finish') {
      this.setGuest('running-on-destination');
      this.record.status = 'completed';
      this.record.endS = this.sim.nowS;
      this.record.faults = step.faults;
      this.record.faultWaitS = step.faultWaitS;
      this.onEnd(this.record);
      return;
    }
    this.setGuest(step.guest);
    if (step.precopyStop !== undefined) this.record.precopyStop = step.precopyStop;
    const { vm, migration, wireFactor, cores } = this.plan;
    const cost = sendCost(step.memoryBytes, step.pages, vm.content, migration.optimizations);
    const streamCapBytesPerS = Math.min(migration.maxBandwidthBytesPerS, cpuLimitedPayloadRate(cost, cores, cores));
    const startS = this.sim.nowS;
    const wireBytes = cost.payloadBytes * wireFactor;
    this.network.start({
      path: this.plan.path,
      wireBytes,
      capBytesPerS: streamCapBytesPerS * wireFactor,
      onDelivered: () => {
        const endS = this.sim.nowS;
        const sentMemoryBytes = step.memoryBytes - cost.skippedBytes;
        this.account(step, { startS, endS, sentMemoryBytes, streamBytes: cost.payloadBytes, wireBytes });
        this.perform(
          this.strategy.next({ memoryBytes: step.memoryBytes, streamBytes: cost.payloadBytes, durationS: endS - startS }),
        );
      },
    });
  }

  private account(
    step: TransferStep,
    moved: Pick<PhaseRecord, 'startS' | 'endS' | 'sentMemoryBytes' | 'streamBytes' | 'wireBytes'>,
  ): void {
    const record = this.record;
    record.phases.push({
      phase: step.phase,
      guest: step.guest,
      memoryBytes: step.memoryBytes,
      throttle: step.throttle,
      dirtyRateBytesPerS: step.dirtyRateBytesPerS,
      ...moved,
    });
    record.memoryBytes += moved.sentMemoryBytes;
    record.wireBytes += moved.wireBytes;
    // Rounds are passes over memory on the source: precopy rounds and a non-empty final round.
    if (step.phase !== 'postcopy' && step.memoryBytes > 0) record.rounds++;
    const degraded = step.guest === 'running-on-destination' || (step.guest === 'running-on-source' && step.throttle > 0);
    if (degraded) record.degradedTimeS += moved.endS - moved.startS;
  }

  private setGuest(next: GuestState): void {
    if (next === this.guest) return;
    if (this.guest === 'paused') this.record.downtimeS += this.sim.nowS - this.pausedAtS;
    if (next === 'paused') this.pausedAtS = this.sim.nowS;
    this.guest = next;
  }
}
