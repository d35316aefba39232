// The flows of a flow network as struct-of-arrays slots, and which flows cross each link, in typed arrays
// (STYLE.md "Fast": no Map or Set and no allocation per event in the hot path; SimGrid keeps its variables
// and constraints in intrusive lists for the same reason, src/kernel/lmm/System.hpp).
// A flow lives in a slot from its start to its end; freed slots are reused (a free list), so the arrays grow
// only with the largest number of flows alive at once, by doubling. A flow's id is never reused: callers
// hold ids after the flow ended (ids index a growing Int32Array of slots, −1 once gone).
// A link's flows are an unordered list of slots with removal by swap with the last: their order does not
// matter to the max-min solution, only to its last bits.
import type { ScheduledEvent } from '../engine/event-queue.js';

export type FlowId = number;

export type RateListener = ((wireBytesPerS: number) => void) | undefined;
export type RerouteListener = ((sentWireBytes: number, fromPath: Int32Array, toPath: Int32Array) => void) | undefined;

const NO_SLOT = -1;
const EMPTY_PATH = new Int32Array(0);

export class FlowTable {
  // per slot
  id = new Float64Array(0);
  wireBytes = new Float64Array(0);
  /** bytes left at updatedS */
  remainingBytes = new Float64Array(0);
  rateBytesPerS = new Float64Array(0);
  updatedS = new Float64Array(0);
  /** the cap the solver sees: the request's cap and the TCP window bound of the path */
  capBytesPerS = new Float64Array(0);
  /** the request's own cap, before the TCP window bound of the path (kept for re-routing) */
  requestCapBytesPerS = new Float64Array(0);
  weight = new Float64Array(0);
  pathLatencyS = new Float64Array(0);
  path: Int32Array[] = [];
  completion: (ScheduledEvent | undefined)[] = [];
  onDelivered: (() => void)[] = [];
  onRate: RateListener[] = [];
  onReroute: RerouteListener[] = [];
  /** 1 while the slot holds a flow */
  live = new Uint8Array(0);
  liveCount = 0;

  /** the slots of each link's flows: linkSlots[link][0 .. linkSlotCount[link]) */
  readonly linkSlots: Int32Array[];
  readonly linkSlotCount: Int32Array;

  private freeSlots = new Int32Array(0);
  private freeCount = 0;
  private slotOfId = new Int32Array(64).fill(NO_SLOT);
  private nextId = 0;

  constructor(
    linkCount: number,
    /** called once per slot, when it is first made: gives the slot its reusable per-slot callbacks */
    private readonly onNewSlot: (slot: number) => void,
  ) {
    this.linkSlots = Array.from({ length: linkCount }, () => new Int32Array(4));
    this.linkSlotCount = new Int32Array(linkCount);
  }

  /** the number of slots made so far: per-slot scratch arrays elsewhere are at least this long */
  get slotCount(): number {
    return this.live.length;
  }

  /** a new id, for a flow that may never take a slot (nothing to send) */
  newId(): FlowId {
    const id = this.nextId++;
    if (id >= this.slotOfId.length) {
      const grown = new Int32Array(2 * this.slotOfId.length).fill(NO_SLOT);
      grown.set(this.slotOfId);
      this.slotOfId = grown;
    }
    return id;
  }

  /** the slot of a live flow, or −1 once it has ended (or never sent) */
  slotOf(id: FlowId): number {
    return id >= 0 && id < this.nextId ? this.slotOfId[id]! : NO_SLOT;
  }

  /** takes a free slot for flow `id` (on no link yet) */
  allocate(id: FlowId): number {
    if (this.freeCount === 0) this.grow();
    const slot = this.freeSlots[--this.freeCount]!;
    this.live[slot] = 1;
    this.liveCount++;
    this.id[slot] = id;
    this.slotOfId[id] = slot;
    return slot;
  }

  /** frees a slot already detached from its links, dropping its references so they can be collected */
  release(slot: number): void {
    this.slotOfId[this.id[slot]!] = NO_SLOT;
    this.live[slot] = 0;
    this.liveCount--;
    this.path[slot] = EMPTY_PATH;
    this.completion[slot] = undefined;
    this.onDelivered[slot] = NOTHING;
    this.onRate[slot] = undefined;
    this.onReroute[slot] = undefined;
    this.freeSlots[this.freeCount++] = slot;
  }

  /** puts the slot on every link of its path */
  attach(slot: number): void {
    for (const link of this.path[slot]!) {
      const count = this.linkSlotCount[link]!;
      let slots = this.linkSlots[link]!;
      if (count === slots.length) {
        const grown = new Int32Array(2 * count);
        grown.set(slots);
        this.linkSlots[link] = slots = grown;
      }
      slots[count] = slot;
      this.linkSlotCount[link] = count + 1;
    }
  }

  /** takes the slot off every link of its path (a path that lists a link twice is on it twice) */
  detach(slot: number): void {
    for (const link of this.path[slot]!) {
      const slots = this.linkSlots[link]!;
      const last = this.linkSlotCount[link]! - 1;
      let i = last;
      while (slots[i] !== slot) i--;
      slots[i] = slots[last]!;
      this.linkSlotCount[link] = last;
    }
  }

  private grow(): void {
    const old = this.live.length;
    const size = Math.max(64, 2 * old);
    const wider = (a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> => {
      const grown = new Float64Array(size);
      grown.set(a);
      return grown;
    };
    this.id = wider(this.id);
    this.wireBytes = wider(this.wireBytes);
    this.remainingBytes = wider(this.remainingBytes);
    this.rateBytesPerS = wider(this.rateBytesPerS);
    this.updatedS = wider(this.updatedS);
    this.capBytesPerS = wider(this.capBytesPerS);
    this.requestCapBytesPerS = wider(this.requestCapBytesPerS);
    this.weight = wider(this.weight);
    this.pathLatencyS = wider(this.pathLatencyS);
    const live = new Uint8Array(size);
    live.set(this.live);
    this.live = live;
    const free = new Int32Array(size);
    free.set(this.freeSlots.subarray(0, this.freeCount));
    // New slots are handed out lowest first.
    for (let slot = size - 1; slot >= old; slot--) free[this.freeCount++] = slot;
    this.freeSlots = free;
    for (let slot = old; slot < size; slot++) {
      this.path.push(EMPTY_PATH);
      this.completion.push(undefined);
      this.onDelivered.push(NOTHING);
      this.onRate.push(undefined);
      this.onReroute.push(undefined);
      this.onNewSlot(slot);
    }
  }
}

function NOTHING(): void {}
