// Runs one migration: carries out its strategy's steps as flows on the network, keeps the guest's state
// (running on the source, paused, running on the destination) and accounts time, downtime and bytes.
// Downtime is the time the guest spends paused (Clark et al., NSDI 2005, §2: the stop-and-copy phase).
import type { Simulator } from '../engine/simulator.js';
import type { FlowNetwork } from '../transport/flow-network.js';
import type { GuestState, MigrationStrategy, PhaseName, Step } from './strategy.js';

export interface PhaseRecord {
  phase: PhaseName;
  guest: GuestState;
  startS: number;
  endS: number;
  payloadBytes: number;
  wireBytes: number;
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
  phases: PhaseRecord[];
}

/** How a migration's bytes travel: fixed when it starts. */
export interface TransferPlan {
  path: Int32Array;
  /** wire bytes per payload byte on this path */
  wireFactor: number;
  /** wire-rate cap from the migration's maxBandwidth, Infinity for none */
  capBytesPerS: number;
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
      this.record.degradedTimeS = 0;
      this.onEnd(this.record);
      return;
    }
    this.setGuest(step.guest);
    if (step.phase !== 'postcopy') this.record.rounds++;
    const startS = this.sim.nowS;
    const wireBytes = step.payloadBytes * this.plan.wireFactor;
    this.network.start({
      path: this.plan.path,
      wireBytes,
      capBytesPerS: this.plan.capBytesPerS,
      onDelivered: () => {
        const endS = this.sim.nowS;
        this.record.phases.push({ phase: step.phase, guest: step.guest, startS, endS, payloadBytes: step.payloadBytes, wireBytes });
        this.record.memoryBytes += step.payloadBytes;
        this.record.wireBytes += wireBytes;
        this.perform(this.strategy.next({ payloadBytes: step.payloadBytes, durationS: endS - startS }));
      },
    });
  }

  private setGuest(next: GuestState): void {
    if (next === this.guest) return;
    if (this.guest === 'paused') this.record.downtimeS += this.sim.nowS - this.pausedAtS;
    if (next === 'paused') this.pausedAtS = this.sim.nowS;
    this.guest = next;
  }
}
