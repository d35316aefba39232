// The switchover of a migration that moves memory and a disk: one pause for both copies, then the addressing
// scheme's switchover delay, then the guest resumes on the destination. Two copies run as decision objects
// (the memory strategy in migration-process.ts, the disk's in storage-process.ts); each, when it wants the
// guest paused, either may pause it (the other copy is holding, waiting or already paused) or holds, the
// guest running on, until the other is ready too (precopy-rounds.ts keeps a held copy fresh with keep-alive
// rounds). Once paused, both send their last bytes; the guest resumes when the disk's final copy has arrived
// and the switchover delay (src/transport/addressing.ts: ARP propagation, mapping update, registration with
// the home agent, binding update, controller and rule updates) has passed: downtime includes it exactly,
// since the VM is unreachable until its traffic finds it.
// Order (Mashtizadeh et al., USENIX ATC 2011, §6: ESX copies storage before memory): 'before' starts the
// memory migration when the disk's live copy is first ready to switch over; 'concurrent' starts both at once
// (QEMU's block migration iterated disk and RAM in one loop and switched over when both were small).
import type { StorageOrder } from '../config/scenario.js';
import type { ScheduledEvent } from '../engine/event-queue.js';
import { SimulationError } from '../engine/simulation-error.js';
import type { Simulator } from '../engine/simulator.js';

export type CopySide = 'memory' | 'storage';

/** copying: sending its live phase; holding: ready, the guest held running; waiting: wants the pause now. */
type SideState = 'copying' | 'holding' | 'waiting' | 'paused' | 'done';

interface Side {
  state: SideState;
  holdStartS: number;
  holdTimer: ScheduledEvent | undefined;
  wake: ((heldS: number) => void) | undefined;
  proceed: (() => void) | undefined;
}

export interface SwitchoverOptions {
  /** whether a disk moves (a storage copy takes part); without one the memory alone decides */
  storage: boolean;
  order: StorageOrder;
  /** the addressing scheme's switchover delay, added to downtime */
  delayS: number;
}

export class Switchover {
  private readonly sides: Partial<Record<CopySide, Side>> = {};
  private pausing = false;
  private resumeWaiter: (() => void) | undefined;
  private startMemory: (() => void) | undefined;
  private startStorage: (() => void) | undefined;
  private aborted = false;
  /** when the guest paused, NaN before */
  pausedAtS = NaN;

  constructor(
    private readonly sim: Simulator,
    private readonly options: SwitchoverOptions,
  ) {
    this.sides.memory = newSide();
    if (options.storage) this.sides.storage = newSide();
  }

  get delayS(): number {
    return this.options.delayS;
  }

  /** The storage copy's first step; set by the storage process before start(). */
  onStorageStart(start: () => void): void {
    this.startStorage = start;
  }

  /** The migration ended without completing: nothing waits or wakes any more. */
  abort(): void {
    this.aborted = true;
    for (const side of Object.values(this.sides)) {
      this.sim.cancel(side.holdTimer);
      Object.assign(side, { holdTimer: undefined, wake: undefined, proceed: undefined });
    }
    this.resumeWaiter = undefined;
    this.startMemory = undefined;
  }

  /** Starts the copies: the disk's, and the memory's now or, with order 'before', once the disk is ready. */
  start(beginMemory: () => void): void {
    this.startStorage?.();
    if (this.sides.storage === undefined || this.options.order === 'concurrent' || this.ready('storage')) beginMemory();
    else this.startMemory = beginMemory;
  }

  /** Whether `side` may pause the guest now: the other copy is ready too, or the pause has begun. */
  mayPause(side: CopySide): boolean {
    return this.pausing || this.ready(other(side));
  }

  /** `side` is ready and holds the guest running until the pause may happen or `maxS` has passed. */
  hold(side: CopySide, maxS: number, wake: (heldS: number) => void): void {
    if (this.aborted) return;
    const state = this.side(side);
    if (this.pausing) {
      this.later(0, () => wake(0));
      return;
    }
    state.state = 'holding';
    state.holdStartS = this.sim.nowS;
    state.wake = wake;
    state.holdTimer = Number.isFinite(maxS) ? this.sim.after(Math.max(0, maxS), () => this.endHold(side)) : undefined;
    this.becameReady(side);
  }

  /** `side` wants the guest paused now: `proceed` runs when it may be (at once, or when the other copy is ready). */
  pause(side: CopySide, proceed: () => void): void {
    if (this.aborted) return;
    const state = this.side(side);
    if (!this.mayPause(side)) {
      state.state = 'waiting';
      state.proceed = proceed;
      this.becameReady(side);
      return;
    }
    if (!this.pausing) {
      this.pausing = true;
      this.pausedAtS = this.sim.nowS;
    }
    state.state = 'paused';
    state.proceed = undefined;
    const otherSide = this.sides[other(side)];
    if (otherSide?.state === 'holding') this.sim.after(0, () => this.endHold(other(side)));
    if (otherSide?.state === 'waiting') this.sim.after(0, () => this.pause(other(side), otherSide.proceed ?? (() => {})));
    proceed();
  }

  /** The disk's final copy has arrived. */
  storageDone(): void {
    this.side('storage').state = 'done';
    this.tryResume();
  }

  /** The memory copy wants the guest to leave the pause: `proceed` runs once the disk is in and the delay has passed. */
  resume(proceed: () => void): void {
    if (this.aborted) return;
    if (this.resumeWaiter !== undefined) throw new SimulationError('switchover', 'resume asked twice');
    this.resumeWaiter = proceed;
    this.tryResume();
  }

  private tryResume(): void {
    const storage = this.sides.storage;
    if (this.resumeWaiter === undefined || (storage !== undefined && storage.state !== 'done')) return;
    const proceed = this.resumeWaiter;
    this.resumeWaiter = undefined;
    this.later(this.options.delayS, proceed);
  }

  /** Runs `proceed` after `delayS` unless the migration is aborted first: an abort inside the switchover delay
   * (the destination crashing) ends the attempt there, and a resume after it would count the pause again. */
  private later(delayS: number, proceed: () => void): void {
    this.sim.after(delayS, () => {
      if (!this.aborted) proceed();
    });
  }

  private ready(side: CopySide): boolean {
    const state = this.sides[side];
    return state === undefined || state.state !== 'copying';
  }

  private becameReady(side: CopySide): void {
    if (this.aborted) return;
    if (side === 'storage' && this.startMemory !== undefined) {
      const begin = this.startMemory;
      this.startMemory = undefined;
      this.later(0, begin);
    }
    const otherSide = this.sides[other(side)];
    if (otherSide?.state === 'waiting') this.sim.after(0, () => this.pause(other(side), otherSide.proceed ?? (() => {})));
  }

  private endHold(side: CopySide): void {
    const state = this.side(side);
    if (state.state !== 'holding') return;
    this.sim.cancel(state.holdTimer);
    state.holdTimer = undefined;
    state.state = 'copying';
    const wake = state.wake;
    state.wake = undefined;
    wake?.(this.sim.nowS - state.holdStartS);
  }

  private side(side: CopySide): Side {
    const state = this.sides[side];
    if (state === undefined) throw new SimulationError('switchover', `no ${side} copy in this migration`);
    return state;
  }
}

function newSide(): Side {
  return { state: 'copying', holdStartS: 0, holdTimer: undefined, wake: undefined, proceed: undefined };
}

function other(side: CopySide): CopySide {
  return side === 'memory' ? 'storage' : 'memory';
}
