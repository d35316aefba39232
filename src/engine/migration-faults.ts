// What faults do to migrations (issue 9), by technique (Clark et al. NSDI 2005 §3; Hines & Gopalan VEE 2009
// §2-3; Svärd et al., The Noble Art of Live VM Migration):
//   - before the switchover (precopy rounds, the stop-and-copy of precopy, hybrid's precopy phase) the source
//     holds the whole VM: a migration that cannot go on is aborted and the VM keeps (or resumes) running on
//     the source — unless the source itself crashed, which takes the VM with it;
//   - after the switchover (postcopy's push, hybrid's postcopy phase) the VM runs on the destination with pages
//     still on the source: losing the source, the destination or the path between them loses the VM.
// A migration cannot go on when its destination or source crashes (at once), or when a flow of it has crossed a
// link that carries nothing for `stallTimeout` (default 30 s, fault-schema.ts: libvirt's keepalive closes the
// connection, and libvirt aborts the job) — any flow: the memory stream's, the disk copy's, the mirror's (QEMU
// sends RAM and block data over one migration connection, so a stalled disk copy stalls the whole job). Each
// attempt gets a watcher that stands between the migration's processes (memory and disk) and the network: its
// flows are tracked, and nothing reaches the processes once the attempt has ended. The watcher also tells the
// run the wire bytes each flow sent on each path it took (`carried`, per path segment: a flow a fault re-routes
// sent some bytes on one path and the rest on another), which exposure (policy-gate.ts) and the migration's
// core bytes (run-scenario.ts) are counted from.
// A failed, not lost migration may start again from scratch after a backoff (`retry`); its bytes, rounds and
// phases add up over the attempts, and its start stays the first attempt's.
import type { MigrationSpec } from '../config/scenario.js';
import type { GuestObserver, MigrationRecord } from '../migration/migration-process.js';
import type { GuestState } from '../migration/strategy.js';
import type { FlowId, FlowNetwork, FlowRequest } from '../transport/flow-network.js';
import type { FaultInjector, FaultListener } from './fault-injector.js';
import type { ScheduledEvent } from './event-queue.js';
import type { Simulator } from './simulator.js';

/** A VM's place at the end of the run (results `vms`). */
export interface VmOutcome {
  id: string;
  /** the host it runs on, or the host it was lost on */
  host: string;
  state: 'running' | 'lost';
}

type Cause = 'stalled' | 'source-crashed' | 'destination-crashed';

/**
 * The progress floor of the stall timer: a path with a link below 1 kbit/s (125 B/s) counts as stalled, as a
 * cut one does. At that rate a single GiB takes 99 days; a link degraded to 1 bit/s kept a migration "moving"
 * until the run hit limits.maxSimulatedTime, with no results at all (issue 17). Only the stall timer uses it:
 * the flow still runs at its rate until the timer aborts the attempt.
 */
export const PROGRESS_FLOOR_BYTES_PER_S = 125;

/** Told the wire bytes a flow of migration `index` sent along `path` (one path segment of the flow). */
export type CarriedListener = (index: number, path: Int32Array, wireBytes: number) => void;

/** A flow of an attempt: the path it is on now, and what it sent on the paths it left. */
interface TrackedFlow {
  path: Int32Array;
  wireBytes: number;
  sentBeforeBytes: number;
}

export class MigrationFaults implements FaultListener {
  private readonly watches = new Set<AttemptWatch>();
  private readonly lostVms = new Set<string>();
  private readonly lostMigrations = new Set<number>();
  private readonly attempts = new Map<number, number>();
  /** when each retried migration's first attempt started */
  private readonly firstStarts = new Map<number, number>();

  constructor(
    private readonly sim: Simulator,
    private readonly network: FlowNetwork,
    private readonly injector: FaultInjector,
    /** where each VM runs now (run-scenario's placement) */
    private readonly placement: ReadonlyMap<string, string>,
    private readonly carried: CarriedListener = () => {},
  ) {
    injector.listen(this);
  }

  linksChanged(): void {
    for (const watch of [...this.watches]) watch.checkStall();
  }

  hostCrashed(host: string): void {
    for (const watch of [...this.watches]) watch.hostCrashed(host);
    // VMs on the host that no migration was moving are gone with it.
    const moving = new Set([...this.watches].map((watch) => watch.vm));
    for (const [vm, at] of this.placement) if (at === host && !moving.has(vm)) this.lostVms.add(vm);
  }

  /** why a migration cannot even start: its VM is already lost */
  startProblem(vm: string): string | undefined {
    return this.lostVms.has(vm) ? `lost: the VM's host crashed before the migration started` : undefined;
  }

  /** A watcher for one attempt of migration `index`; pass its network and observer to the process, and wrap the
   * process's end handler with `ended`. */
  watch(index: number, migration: MigrationSpec, from: string, record: MigrationRecord, observeGuest: GuestObserver): AttemptWatch {
    this.attempts.set(index, (this.attempts.get(index) ?? 0) + 1);
    const carried = (path: Int32Array, wireBytes: number): void => this.carried(index, path, wireBytes);
    const watch = new AttemptWatch(this.sim, this.network, this.injector, migration, from, record, observeGuest, carried, (lost) => {
      this.watches.delete(watch);
      if (lost) {
        this.lostVms.add(migration.vm);
        this.lostMigrations.add(index);
      }
    });
    this.watches.add(watch);
    if (this.injector.isCrashed(migration.to)) this.sim.after(0, () => watch.hostCrashed(migration.to));
    return watch;
  }

  /** Whether migration `index`, which just failed, starts again: after the backoff `relaunch` is called. */
  retry(index: number, migration: MigrationSpec, record: MigrationRecord, relaunch: () => void): boolean {
    const retry = migration.retry;
    if (retry === undefined || this.lostMigrations.has(index) || record.status !== 'failed') return false;
    if ((this.attempts.get(index) ?? 1) > retry.attempts) return false;
    // The first attempt's start, kept here: a retry that could not start (failedStart) has set the record's.
    const firstStartS = this.firstStarts.get(index) ?? record.startS;
    this.firstStarts.set(index, firstStartS);
    this.sim.after(retry.backoffS, () => {
      relaunch();
      record.startS = firstStartS;
    });
    return true;
  }

  /** A retry of migration `index` that could not start (no path, or refused now): it counts as a failed attempt,
   * and another follows after the backoff while attempts are left (as `retry`). */
  failedStart(index: number, migration: MigrationSpec, record: MigrationRecord, relaunch: () => void): boolean {
    this.attempts.set(index, (this.attempts.get(index) ?? 0) + 1);
    return this.retry(index, migration, record, relaunch);
  }

  attemptsOf(index: number): number {
    return this.attempts.get(index) ?? 0;
  }

  isLost(index: number): boolean {
    return this.lostMigrations.has(index);
  }

  get lostCount(): number {
    return this.lostMigrations.size;
  }

  vmOutcomes(vms: readonly string[]): VmOutcome[] {
    return vms.map((id) => ({ id, host: this.placement.get(id) ?? '', state: this.lostVms.has(id) ? 'lost' : 'running' }));
  }
}

export class AttemptWatch {
  readonly vm: string;
  /** the network as the process sees it: the same flows, tracked, and silent once the attempt has ended */
  readonly network: FlowNetwork;
  private readonly active = new Map<FlowId, TrackedFlow>();
  private guest: GuestState = 'running-on-source';
  private pausedAtS = 0;
  private stallTimer: ScheduledEvent | undefined;
  private over = false;
  private endHandler: ((record: MigrationRecord) => void) | undefined;
  private stopOthers: (() => void) | undefined;
  /** the record's outcome as the abort set it */
  private outcome: Pick<MigrationRecord, 'status' | 'endS'> & { reason: string } | undefined;

  constructor(
    private readonly sim: Simulator,
    /** the network itself, under the view */
    private readonly flows: FlowNetwork,
    private readonly injector: FaultInjector,
    private readonly migration: MigrationSpec,
    private readonly from: string,
    private readonly record: MigrationRecord,
    private readonly observeGuest: GuestObserver,
    private readonly carried: (path: Int32Array, wireBytes: number) => void,
    private readonly release: (lost: boolean) => void,
  ) {
    this.vm = migration.vm;
    // Every method of the real network, bound to it, with start and cancel tracked: the process keeps its type.
    const view = Object.create(null) as Record<string, unknown>;
    for (const key of Object.getOwnPropertyNames(Object.getPrototypeOf(flows))) {
      const member = (flows as unknown as Record<string, unknown>)[key];
      if (key !== 'constructor' && typeof member === 'function') view[key] = member.bind(flows);
    }
    view.start = (request: FlowRequest): FlowId => this.start(request);
    view.cancel = (id: FlowId): number => {
      const sent = this.stop(id);
      this.checkStall();
      return sent;
    };
    this.network = view as unknown as FlowNetwork;
  }

  /** the guest observer to give the process */
  readonly observe: GuestObserver = (vm, guest, host) => {
    if (this.over) return;
    if (guest === 'paused' && this.guest !== 'paused') this.pausedAtS = this.sim.nowS;
    this.guest = guest;
    this.observeGuest(vm, guest, host);
  };

  /** the process's end handler, wrapped: a migration ends exactly once */
  ended(handler: (record: MigrationRecord) => void): (record: MigrationRecord) => void {
    this.endHandler = handler;
    return (record) => {
      if (this.over) {
        // A step the abort could not stop (a timer of the process) finished it: the abort's outcome stands.
        if (this.outcome !== undefined) Object.assign(record, this.outcome);
        return;
      }
      this.finish(false);
      handler(record);
    };
  }

  /** What stops the attempt's other process (the disk's copy) when the attempt is aborted: it runs first, so
   * that process accounts for its own flows (storage-addressing.ts abort). */
  onAbort(stop: () => void): void {
    this.stopOthers = stop;
  }

  hostCrashed(host: string): void {
    if (this.over) return;
    if (host === this.from) this.abort('source-crashed');
    else if (host === this.migration.to) this.abort('destination-crashed');
  }

  /** starts or stops the stall timer as the attempt's flows can move or not */
  checkStall(): void {
    if (this.over) return;
    let stalled = false;
    for (const id of this.active.keys()) {
      const path = this.network.pathOf(id);
      if (path !== undefined && this.injector.isSlowerThan(path, PROGRESS_FLOOR_BYTES_PER_S)) stalled = true;
    }
    if (stalled && this.stallTimer === undefined) {
      this.stallTimer = this.sim.after(this.migration.stallTimeoutS, () => this.abort('stalled'));
    } else if (!stalled && this.stallTimer !== undefined) {
      this.sim.cancel(this.stallTimer);
      this.stallTimer = undefined;
    }
  }

  private start(request: FlowRequest): FlowId {
    if (this.over) return -1;
    const network = this.flows;
    const flow: TrackedFlow = { path: request.path, wireBytes: Math.max(0, request.wireBytes), sentBeforeBytes: 0 };
    const id: FlowId = network.start({
      ...request,
      onDelivered: () => {
        if (this.active.delete(id)) this.carried(flow.path, segmentBytes(flow.wireBytes, flow.sentBeforeBytes));
        if (!this.over) request.onDelivered();
      },
      onReroute: (sentWireBytes, fromPath, toPath) => {
        this.carried(fromPath, segmentBytes(sentWireBytes, flow.sentBeforeBytes));
        flow.sentBeforeBytes = sentWireBytes;
        flow.path = toPath;
        request.onReroute?.(sentWireBytes, fromPath, toPath);
      },
    });
    this.active.set(id, flow);
    // A step that starts on a cut path: move it now if another path exists (fault-injector.ts does the rest).
    const path = network.pathOf(id);
    if (path !== undefined && this.injector.isStalled(path)) this.injector.rerouteFlow(id);
    this.checkStall();
    return id;
  }

  private abort(cause: Cause): void {
    const { record, migration, from } = this;
    const to = migration.to;
    const switchedOver = this.guest === 'running-on-destination';
    const lost = switchedOver || cause === 'source-crashed';
    // The disk's copy stops first and counts its own flows; what is left is the memory's.
    this.stopOthers?.();
    for (const id of [...this.active.keys()].sort((a, b) => a - b)) record.wireBytes += this.stop(id);
    const now = this.sim.nowS;
    if (this.guest === 'paused') record.downtimeS += now - this.pausedAtS;
    const what =
      cause === 'stalled'
        ? `the migration stream made no progress for ${migration.stallTimeoutS} s (no working path from ${from} to ${to}: every link up and at least 1 kbit/s)`
        : cause === 'source-crashed'
          ? `the source ${from} crashed`
          : `the destination ${to} crashed`;
    record.reason = lost
      ? `lost: ${what}${switchedOver ? ` after the switchover (${migration.strategy}): the VM ran on ${to} with pages only ${from} held` : ''}`
      : `aborted: ${what}; the VM keeps running on ${from}`;
    record.status = 'failed';
    record.endS = now;
    this.outcome = { status: 'failed', endS: now, reason: record.reason };
    // Before the switchover the source still has the whole VM: it resumes there (QEMU resumes a failed
    // migration's guest on the source).
    if (!lost && this.guest !== 'running-on-source') this.observeGuest(this.vm, 'running-on-source', from);
    this.finish(lost);
    this.endHandler?.(record);
  }

  /**
   * Stops a tracked flow where it is and tells `carried` what it sent on its last path (all it had left when it
   * had finished sending, its last bytes still on their way); returns what the network's cancel returns.
   */
  private stop(id: FlowId): number {
    const network = this.flows;
    const flow = this.active.get(id);
    const sending = network.pathOf(id) !== undefined;
    const sent = network.cancel(id);
    if (flow !== undefined) {
      this.active.delete(id);
      this.carried(flow.path, segmentBytes(sending ? sent : flow.wireBytes, flow.sentBeforeBytes));
    }
    return sent;
  }

  private finish(lost: boolean): void {
    this.over = true;
    this.sim.cancel(this.stallTimer);
    this.stallTimer = undefined;
    this.release(lost);
  }
}

/** Bytes sent between two of a flow's byte counts: never below 0 (a flow moved at the instant it finishes may
 * have counted a rounding error past its size). */
function segmentBytes(sentByNowBytes: number, sentBeforeBytes: number): number {
  return Math.max(0, sentByNowBytes - sentBeforeBytes);
}
