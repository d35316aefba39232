// Runs the copy of one VM's local disk (storage-strategies.ts decides, this carries out): each step is one flow
// of the disk's blocks on the migration path (no page headers: blocks go as they are; the wire adds its
// packet overhead), the mirror stream alongside the bulk pass (mirror-stream.ts), the pause shared with the
// memory copy (switchover.ts), and the accounting: bytes.storage, the storage phases of the trace
// ('storage-bulk', 'storage-iteration', 'storage-final', 'mirror'), and the guest's degraded time while its
// writes wait for the mirror (one RTT each) or are throttled (Bradford et al., VEE 2007, §4.2).
// Not atomic (Mashtizadeh et al., USENIX ATC 2011, §3): a snapshot-based copy that is cancelled leaves the
// source running on a chain of snapshots and the destination with a partial copy; abort() records it.
// Assumes the disk reads and writes keep up with the network (disk throughput is not modelled).
import type { DiskSpec, MigrationSpec, StorageOrder } from '../config/scenario.js';
import type { Simulator } from '../engine/simulator.js';
import { SimulationError } from '../engine/simulation-error.js';
import type { FlowId, FlowNetwork } from '../transport/flow-network.js';
import { diskThrottled, diskWorkload } from './disk-model.js';
import type { MigrationRecord, PhaseRecord } from './migration-process.js';
import { DISK_IO_BYTES, MirrorStream } from './mirror-stream.js';
import type { PrecopyStop } from './precopy-steps.js';
import type { MovingStorageMode } from './storage-strategies.js';
import type { MigrationStrategy, Step, TransferStep } from './strategy.js';
import type { Switchover } from './switchover.js';

export type StoragePhase = 'storage-bulk' | 'storage-iteration' | 'storage-final' | 'mirror';

/** What the disk's copy did, for the results (results.ts `storage`). */
export interface StorageRecord {
  mode: MovingStorageMode;
  order: StorageOrder;
  /** copies that moved bytes: the bulk pass, each iteration (snapshot delta, dirty-bitmap pass), the final copy */
  passes: number;
  /** snapshot, dirty-block: why the iteration stopped (precopy-rounds.ts), the first reason */
  stop?: PrecopyStop;
  /** mirror: payload bytes of the guest's writes mirrored to the destination */
  mirroredBytes: number;
  /** mirror: writes of DISK_IO_BYTES mirrored, each waiting one RTT of the path */
  mirroredWrites: number;
  /** mirror: what each mirrored write waits, s */
  mirrorWriteLatencyS: number;
  /** time the guest's disk writes were held to `diskWriteLimit`, s */
  throttledTimeS: number;
  /** snapshot: snapshots taken (each a delta the guest wrote into) */
  snapshots: number;
  /** snapshot: the migration was cancelled after taking snapshots, leaving them on the source */
  divergedSnapshots: boolean;
}

/** How the disk's bytes travel: fixed when the migration starts. */
export interface StoragePlan {
  mode: MovingStorageMode;
  disk: DiskSpec;
  migration: MigrationSpec;
  path: Int32Array;
  /** wire bytes per payload byte on the path */
  wireFactor: number;
  pathRttS: number;
}

export class StorageProcess {
  private paused = false;
  private finished = false;
  private readonly startS: number;
  private flow: FlowId | undefined;
  private mirror: MirrorStream | undefined;
  private mirrorStartS = 0;
  private readonly storage: StorageRecord;

  constructor(
    private readonly sim: Simulator,
    private readonly network: FlowNetwork,
    private readonly plan: StoragePlan,
    private readonly strategy: MigrationStrategy,
    private readonly record: MigrationRecord,
    private readonly switchover: Switchover,
  ) {
    this.startS = sim.nowS;
    this.storage = {
      mode: plan.mode,
      order: plan.migration.storageOrder,
      passes: 0,
      mirroredBytes: 0,
      mirroredWrites: 0,
      mirrorWriteLatencyS: plan.mode === 'mirror' ? plan.pathRttS : 0,
      throttledTimeS: 0,
      snapshots: 0,
      divergedSnapshots: false,
    };
    record.storage = this.storage;
    record.storageBytes ??= 0;
    switchover.onStorageStart(() => this.perform(this.strategy.begin()));
  }

  /** the guest's disk write rate while its disk migrates, B/s */
  private get writeRateBytesPerS(): number {
    return diskWorkload(this.plan.disk, this.plan.migration.diskWriteLimitBytesPerS).dirtyRateBytesPerS;
  }

  /**
   * Stops the copy where it is (a failed migration): what its flows had sent counts in the wire bytes (the
   * mirrored writes as their phase, as at a pause), and a snapshot copy leaves its snapshots behind.
   */
  abort(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.flow !== undefined) this.record.wireBytes += this.network.cancel(this.flow);
    this.flow = undefined;
    if (!this.paused) this.stopMirror();
    if (this.plan.mode === 'snapshot' && this.storage.snapshots > 0) this.storage.divergedSnapshots = true;
  }

  private perform(step: Step): void {
    if (this.finished) return;
    if (step.kind === 'finish') {
      this.finished = true;
      return;
    }
    if (step.kind === 'abort') throw new SimulationError('storageProcess', `a disk copy gave up (${step.reason}); its rules always end it`);
    if (step.kind === 'hold') {
      this.switchover.hold('storage', step.maxS, (heldS) => this.perform(this.strategy.next({ memoryBytes: 0, streamBytes: 0, durationS: heldS })));
      return;
    }
    if (step.guest === 'paused' && !this.paused) {
      this.switchover.pause('storage', () => {
        this.atPause();
        this.send(step);
      });
      return;
    }
    this.send(step);
  }

  private send(step: TransferStep): void {
    const { path, wireFactor, mode } = this.plan;
    const phase: StoragePhase = step.pages === 'first' ? 'storage-bulk' : step.guest === 'paused' ? 'storage-final' : 'storage-iteration';
    if (step.precopyStop !== undefined) this.storage.stop = step.precopyStop;
    // A snapshot takes the writes while the disk, then each delta, is copied; the last delta goes while paused.
    if (mode === 'snapshot' && phase !== 'storage-final') this.storage.snapshots++;
    if (mode === 'mirror' && phase === 'storage-bulk') this.startMirror();
    const bytes = step.memoryBytes;
    const startS = this.sim.nowS;
    this.flow = this.network.start({
      path,
      wireBytes: bytes * wireFactor,
      onDelivered: () => {
        if (this.finished) return;
        this.flow = undefined;
        this.account(phase, step.guest, startS, bytes);
        if (phase === 'storage-final') this.switchover.storageDone();
        // All writes are mirrored once the pass is over (mirror-stream.ts).
        if (phase === 'storage-bulk') this.mirror?.setRate(this.writeRateBytesPerS);
        this.perform(this.strategy.next({ memoryBytes: bytes, streamBytes: bytes, durationS: this.sim.nowS - startS }));
      },
    });
  }

  private startMirror(): void {
    this.mirror = new MirrorStream(this.network, this.plan.path, this.plan.wireFactor);
    this.mirrorStartS = this.sim.nowS;
    this.mirror.setRate(this.writeRateBytesPerS / 2);
  }

  /** The guest pauses: its writes stop (the mirror with them), and its degraded time is known. */
  private atPause(): void {
    this.paused = true;
    const nowS = this.sim.nowS;
    const mirror = this.mirror;
    this.stopMirror();
    const throttled = diskThrottled(this.plan.disk, this.plan.migration);
    if (throttled) this.storage.throttledTimeS = nowS - this.startS;
    const degradedFromS = throttled ? this.startS : mirror !== undefined && this.writeRateBytesPerS > 0 ? this.mirrorStartS : undefined;
    if (degradedFromS !== undefined) this.record.degradedTimeS += nowS - degradedFromS - this.alreadyDegradedS(degradedFromS, nowS);
  }

  /** The guest's writes stop being mirrored (it pauses, or the migration failed): the mirror's phase. */
  private stopMirror(): void {
    const mirror = this.mirror;
    if (mirror === undefined) return;
    mirror.stop();
    const bytes = mirror.payloadBytes;
    this.storage.mirroredBytes = bytes;
    this.storage.mirroredWrites = bytes / DISK_IO_BYTES;
    this.push({ phase: 'mirror', startS: this.mirrorStartS, bytes, wireBytes: mirror.wireBytes, guest: 'running-on-source' });
  }

  /** Time in [fromS, toS] the memory copy already counted as degraded (auto-converge throttling the guest). */
  private alreadyDegradedS(fromS: number, toS: number): number {
    return this.record.phases
      .filter((p) => p.guest === 'running-on-source' && p.throttle > 0)
      .reduce((sum, p) => sum + Math.max(0, Math.min(toS, p.endS) - Math.max(fromS, p.startS)), 0);
  }

  private account(phase: StoragePhase, guest: TransferStep['guest'], startS: number, bytes: number): void {
    const wireBytes = bytes * this.plan.wireFactor;
    if (bytes > 0) this.storage.passes++;
    this.push({ phase, startS, bytes, wireBytes, guest });
  }

  private push(entry: { phase: StoragePhase; startS: number; bytes: number; wireBytes: number; guest: TransferStep['guest'] }): void {
    const record = this.record;
    const phase: PhaseRecord = {
      phase: entry.phase,
      guest: entry.guest,
      startS: entry.startS,
      endS: this.sim.nowS,
      memoryBytes: 0,
      sentMemoryBytes: 0,
      streamBytes: entry.bytes,
      wireBytes: entry.wireBytes,
      throttle: 0,
      dirtyRateBytesPerS: entry.guest === 'paused' ? 0 : this.writeRateBytesPerS,
      referencedBytes: 0,
      savedWireBytes: 0,
      fetchWireBytes: 0,
      storageBytes: entry.bytes,
    };
    record.phases.push(phase);
    record.storageBytes = (record.storageBytes ?? 0) + entry.bytes;
    record.wireBytes += entry.wireBytes;
  }
}

/** A disk's copy as the results report it (results.ts `migrations[].storage`), in SI units. */
export interface StorageResult {
  mode: MovingStorageMode;
  order: StorageOrder;
  passes: number;
  stop?: PrecopyStop;
  mirrored: number;
  mirroredWrites: number;
  mirrorWriteLatency: number;
  throttledTime: number;
  snapshots: number;
  divergedSnapshots: boolean;
}

export function storageResult(storage: StorageRecord): StorageResult {
  return {
    mode: storage.mode,
    order: storage.order,
    passes: storage.passes,
    ...(storage.stop === undefined ? {} : { stop: storage.stop }),
    mirrored: storage.mirroredBytes,
    mirroredWrites: storage.mirroredWrites,
    mirrorWriteLatency: storage.mirrorWriteLatencyS,
    throttledTime: storage.throttledTimeS,
    snapshots: storage.snapshots,
    divergedSnapshots: storage.divergedSnapshots,
  };
}
