// Runs one migration: carries out its strategy's steps as flows on the network, keeps the guest's state
// (running on the source, paused, running on the destination) and accounts time, downtime and bytes.
// Downtime is the time the guest spends paused (Clark et al., NSDI 2005, §2); degraded time the time it
// runs throttled (auto-converge) or with pages still remote (postcopy). Every step's pages are costed by
// page-cost.ts: the stream carries its payload, and the stream's rate is capped by `maxBandwidth` and by
// what the migration's cores can copy, compress, encode, hash and encrypt (src/power/migration-cpu.ts
// migrationCpuLimitedRate: the stream cannot outrun the cores given to it). The stream's rate, each time the
// network changes it, is told to the plan's observer (host CPU load and power).
// With IRLM or gang dedup (shared-pages.ts) a first pass sends the VM's shared pages that already went
// with another migration of its cohort as references: the stream shrinks by their contents, which the
// destination copies from a peer inside its rack (a second flow, alongside the stream; none when the peer is
// the destination itself); shared pages the guest dirtied before their turn go in full after the stream (a
// top-up on the migration path). The step ends when all have arrived.
import type { MigrationSpec, VmSpec } from '../config/scenario.js';
import { SimulationError } from '../engine/simulation-error.js';
import type { Simulator } from '../engine/simulator.js';
import { migrationCpuLimitedRate, type MigrationCpuOptions, type StreamCost } from '../power/migration-cpu.js';
import type { FlowId, FlowNetwork } from '../transport/flow-network.js';
import { hypervisorProfile } from './hypervisor.js';
import { sendCost, type SendCost } from './page-cost.js';
import type { PrecopyStop } from './precopy-steps.js';
import { meanDirtiedFraction, referenceSavings, type SharedPageSession, type SharedResolution } from './shared-pages.js';
import type { StoragePhase, StorageRecord } from './storage-process.js';
import type { GuestState, MigrationStrategy, PhaseName, Step, TransferStep } from './strategy.js';
import type { Switchover } from './switchover.js';

export interface PhaseRecord {
  phase: PhaseName | StoragePhase;
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
  /** guest memory sent as references to identical pages that went with another migration (irlm, gang) */
  referencedBytes: number;
  /** wire bytes kept off the migration path by those references */
  savedWireBytes: number;
  /** wire bytes of the referenced pages' contents copied inside the destination rack (included in wireBytes) */
  fetchWireBytes: number;
  /** disk bytes the step copied (storage phases: storage-process.ts) */
  storageBytes?: number;
}

export type MigrationStatus = 'pending' | 'running' | 'completed' | 'refused' | 'failed';

export interface MigrationRecord {
  vm: string;
  from: string;
  to: string;
  strategy: string;
  status: MigrationStatus;
  reason?: string;
  /** the migration's downtimeLimit, for the verdict on its pause (src/engine/downtime-accounting.ts) */
  downtimeLimitS?: number;
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
  /** sums of the phases' fields of the same names */
  referencedBytes: number;
  savedWireBytes: number;
  fetchWireBytes: number;
  /** wire bytes summed over the core links each of its flows crossed, path segment by path segment (a flow a
   * fault re-routes counts each segment on its own path): counted by the run from what the fault watcher
   * reports of every flow (src/engine/migration-faults.ts `carried`, run-scenario.ts), not by the processes */
  coreWireBytes: number;
  /** disk bytes copied, mirrored writes included, and how (storage-process.ts); absent: shared storage */
  storageBytes?: number;
  storage?: StorageRecord;
  /** the addressing scheme and the switchover delay it added to downtime (src/transport/addressing.ts) */
  addressing?: { scheme: string; switchoverDelayS: number };
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
  /** the migration's cohort for shared pages (irlm, gang), when it has one */
  sharing?: SharedPageSession;
  /** the pause shared with the disk's copy and the addressing delay before the resume (switchover.ts) */
  switchover?: Switchover;
  /** the path between two hosts (for copies inside the destination rack) */
  route?: (from: string, to: string) => Int32Array | null;
  /** the cipher and copy throughputs the stream's CPU work is costed with (default: no cipher, QEMU's copy) */
  cpu?: MigrationCpuOptions;
  /** told the stream's payload rate each time it changes (0 when it stops), with the step's cost per byte */
  onStreamRate?: (payloadBytesPerS: number, cost: StreamCost) => void;
}

/** Told when the guest changes state (application traffic follows it: src/transport/application-traffic.ts). */
export type GuestObserver = (vm: string, guest: GuestState, host: string) => void;


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
    private readonly observeGuest?: GuestObserver,
  ) {}

  start(): void {
    this.record.status = 'running';
    this.record.startS = this.sim.nowS;
    const begin = (): void => this.perform(this.strategy.begin());
    if (this.plan.switchover === undefined) begin();
    else this.plan.switchover.start(begin);
  }

  /** Carries a step out, first holding the guest, or passing the pause and resume gates of the switchover. */
  private perform(step: Step): void {
    const switchover = this.plan.switchover;
    if (step.kind === 'abort') {
      this.giveUp(step.reason);
    } else if (step.kind === 'hold') {
      if (switchover === undefined) throw new SimulationError('migrationProcess', `${this.plan.vm.id}: a hold without a switchover to wait for`);
      switchover.hold('memory', step.maxS, (heldS) => this.perform(this.strategy.next({ memoryBytes: 0, streamBytes: 0, durationS: heldS })));
    } else if (switchover !== undefined && this.guest === 'paused' && (step.kind === 'finish' || step.guest !== 'paused')) {
      switchover.resume(() => this.carryOut(step));
    } else if (switchover !== undefined && this.guest === 'running-on-source' && step.kind === 'transfer' && step.guest === 'paused') {
      switchover.pause('memory', () => this.carryOut(step));
    } else {
      this.carryOut(step);
    }
  }

  /** The strategy gave up (not converged, a timeout's abort): the guest runs on on the source (QEMU resumes a
   * cancelled migration's guest there), the attempt fails with `reason`. */
  private giveUp(reason: string): void {
    this.setGuest('running-on-source');
    this.record.status = 'failed';
    this.record.reason = reason;
    this.record.endS = this.sim.nowS;
    this.plan.sharing?.leave();
    this.onEnd(this.record);
  }

  private carryOut(step: Exclude<Step, { kind: 'hold' | 'abort' }>): void {
    if (step.kind === 'finish') {
      this.setGuest('running-on-destination');
      this.record.status = 'completed';
      this.record.endS = this.sim.nowS;
      this.record.faults = step.faults;
      this.record.faultWaitS = step.faultWaitS;
      this.plan.sharing?.leave();
      this.onEnd(this.record);
      return;
    }
    this.setGuest(step.guest);
    if (step.precopyStop !== undefined) this.record.precopyStop = step.precopyStop;
    const { vm, migration, sharing } = this.plan;
    const cost = sendCost(step.memoryBytes, step.pages, vm.content, migration.optimizations);
    // Shared pages are data pages of the first pass (the schema keeps sharedFraction within the data).
    const sharedBytes = step.pages === 'first' && sharing !== undefined
      ? Math.min(vm.content.sharedFraction * step.memoryBytes, cost.memory.dataBytes)
      : 0;
    if (sharing === undefined || !(sharedBytes > 0)) {
      this.send(step, cost, { referencedBytes: 0, uniqueBytes: 0, sourceHost: undefined });
      return;
    }
    sharing.claim(sharedBytes);
    // Claims made at this instant form one batch: resolve once they are all in (shared-pages.ts).
    this.sim.after(0, () => this.send(step, cost, sharing.resolve()));
  }

  /**
   * Sends a step: the stream (with references for `shared.referencedBytes`) and, at the same time, the
   * in-rack copy of the referenced pages; once the stream is in, the shared pages the guest dirtied before
   * their turn go in full (a top-up) and the copy is trimmed to the pages still referenced (when it is still
   * running; one that ran ahead of the stream has copied them all). The step ends when all have arrived.
   */
  private send(step: TransferStep, cost: SendCost, shared: SharedResolution): void {
    const { vm, migration, wireFactor, cores, path } = this.plan;
    const referenced = referenceSavings(shared.referencedBytes, vm.content, migration.optimizations);
    const streamBytes = cost.payloadBytes - referenced.savedPayloadBytes + (step.stateBytes ?? 0);
    const cpuCost = shared.referencedBytes > 0 ? { ...referenced.withHashing(cost), payloadBytes: streamBytes } : cost;
    // QEMU lifts max-bandwidth for the completion — the final round and the switch to postcopy, both ending a
    // precopy — and the postcopy push (hypervisor.ts limitsCompletion); a stop-and-copy is paced throughout.
    const completion = step.precopyStop !== undefined || step.phase === 'postcopy';
    const limited = !completion || hypervisorProfile(migration.hypervisor).rules.limitsCompletion;
    const rateLimitBytesPerS = limited ? migration.maxBandwidthBytesPerS : Infinity;
    const capBytesPerS = Math.min(rateLimitBytesPerS, migrationCpuLimitedRate(cpuCost, cores, cores, this.plan.cpu)) * wireFactor;
    const onStreamRate = this.plan.onStreamRate;
    const onRate = onStreamRate === undefined ? undefined : (wireBytesPerS: number): void => onStreamRate(wireBytesPerS / wireFactor, cpuCost);
    const fetchPath = this.fetchPath(shared.sourceHost);
    const startS = this.sim.nowS;
    let pending = 0;
    let fetchWireBytes = 0;
    let topUpBytes = 0;
    let keptBytes = shared.referencedBytes;
    const done = (): void => {
      if (--pending > 0) return;
      // The destination's setup (postcopy.ts switchoverStep) follows the step's last byte.
      if (step.setupS !== undefined && step.setupS > 0) this.sim.after(step.setupS, finish);
      else finish();
    };
    const finish = (): void => {
      const endS = this.sim.nowS;
      const stepStreamBytes = streamBytes + topUpBytes;
      this.account(step, {
        startS,
        endS,
        sentMemoryBytes: step.memoryBytes - cost.skippedBytes,
        streamBytes: stepStreamBytes,
        wireBytes: stepStreamBytes * wireFactor + fetchWireBytes,
        referencedBytes: keptBytes,
        savedWireBytes: referenceSavings(keptBytes, vm.content, migration.optimizations).savedPayloadBytes * wireFactor,
        fetchWireBytes,
      });
      this.perform(this.strategy.next({ memoryBytes: step.memoryBytes, streamBytes: stepStreamBytes, durationS: endS - startS }));
    };
    // The copy can only follow the references as they arrive: weighted by its size against the stream's, it
    // keeps pace with the stream on the destination's downlink, which both cross (weighted max-min,
    // fair-share.ts), and takes only capacity the stream leaves where the stream is held up elsewhere.
    const copyWeight = streamBytes > 0 ? Math.min(1e3, Math.max(1e-3, referenced.contentPayloadBytes / streamBytes)) : 1;
    const copy = (wireBytes: number): FlowId | undefined => {
      if (fetchPath === undefined || !(wireBytes > 0)) return undefined;
      pending++;
      return this.network.start({
        path: fetchPath,
        wireBytes,
        weight: copyWeight,
        onDelivered: () => {
          copying = undefined;
          fetchWireBytes += wireBytes;
          done();
        },
      });
    };
    pending++;
    this.network.start({
      path,
      wireBytes: streamBytes * wireFactor,
      capBytesPerS,
      ...(onRate === undefined ? {} : { onRate }),
      onDelivered: () => {
        // Shared pages dirtied before their turn are no longer identical: they go in full now.
        const lostFraction = step.guest === 'running-on-source' && shared.referencedBytes > 0
          ? meanDirtiedFraction(vm.workload, vm.memoryBytes, this.sim.nowS - startS, step.throttle)
          : 0;
        keptBytes = shared.referencedBytes * (1 - lostFraction);
        topUpBytes = referenceSavings(shared.referencedBytes - keptBytes, vm.content, migration.optimizations).savedPayloadBytes;
        if (topUpBytes > 0) {
          pending++;
          this.network.start({ path, wireBytes: topUpBytes * wireFactor, capBytesPerS, onDelivered: done, ...(onRate === undefined ? {} : { onRate }) });
        }
        if (copying !== undefined) {
          // Trim the copy to the pages still referenced: stop it, keep what it sent, send what is missing.
          const sent = this.network.cancel(copying);
          copying = undefined;
          fetchWireBytes += sent;
          pending--;
          copying = copy(referenceSavings(keptBytes, vm.content, migration.optimizations).contentPayloadBytes * wireFactor - sent);
        }
        done();
      },
    });
    let copying = copy(referenced.contentPayloadBytes * wireFactor);
  }

  /** The path of the in-rack copy of referenced pages from `host` to the destination; undefined when local. */
  private fetchPath(host: string | undefined): Int32Array | undefined {
    const to = this.plan.migration.to;
    if (host === undefined || host === to || this.plan.route === undefined) return undefined;
    const path = this.plan.route(host, to);
    return path === null || path.length === 0 ? undefined : path;
  }

  private account(
    step: TransferStep,
    moved: Pick<
      PhaseRecord,
      'startS' | 'endS' | 'sentMemoryBytes' | 'streamBytes' | 'wireBytes' | 'referencedBytes' | 'savedWireBytes' | 'fetchWireBytes'
    >,
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
    record.referencedBytes += moved.referencedBytes;
    record.savedWireBytes += moved.savedWireBytes;
    record.fetchWireBytes += moved.fetchWireBytes;
    // Rounds are passes over memory on the source: precopy rounds and a non-empty final round.
    if (step.phase !== 'postcopy' && step.memoryBytes > 0 && step.continuesRound !== true) record.rounds++;
    const degraded = step.guest === 'running-on-destination' || (step.guest === 'running-on-source' && step.throttle > 0);
    if (degraded) record.degradedTimeS += moved.endS - moved.startS;
  }

  private setGuest(next: GuestState): void {
    if (next === this.guest) return;
    if (this.guest === 'paused') this.record.downtimeS += this.sim.nowS - this.pausedAtS;
    if (next === 'paused') this.pausedAtS = this.sim.nowS;
    this.guest = next;
    const host = next === 'running-on-destination' ? this.plan.migration.to : this.record.from;
    this.observeGuest?.(this.plan.vm.id, next, host);
  }
}
