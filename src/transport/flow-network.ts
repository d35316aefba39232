// The flow network: flows of wire bytes over directed links, sharing them weighted max-min fairly with
// per-flow caps (SimGrid's fluid model of TCP, src/kernel/resource/NetworkCm02Model): every change at one
// instant (arrivals, departures, re-routes, capacity changes) is gathered and re-solved once, after the
// instant's last event, for only the flows whose rates can change (incremental-max-min.ts); remaining bytes
// advance lazily (value + rate × elapsed), and a flow's completion is one event rescheduled when its rate
// changes. Flows live in struct-of-arrays slots (flow-table.ts).
// Assumptions: a flow's rate is also capped at window / RTT with RTT = 2 × its one-way path latency
// (SimGrid's TCP-gamma bound); its last byte arrives one path latency after it leaves the source; link
// occupancy is counted while the source sends (propagation is not modelled as in-flight bytes).
import type { Simulator } from '../engine/simulator.js';
import { SimulationError } from '../engine/simulation-error.js';
import { MaxMinSolver } from './fair-share.js';
import type { FairShareSolver } from './fair-share-solver.js';
import { FlowTable, type FlowId } from './flow-table.js';
import { IncrementalMaxMin } from './incremental-max-min.js';
import { UtilizationBins, type UtilizationSeries } from './utilization-bins.js';

export interface LinkCapacities {
  count: number;
  capacityBytesPerS: Float64Array;
  latencyS: Float64Array;
  /** 1 for a core link: their aggregate utilization is recorded over time too */
  core?: Uint8Array;
}

export interface FlowRequest {
  /** directed link indices from source to destination */
  path: Int32Array;
  wireBytes: number;
  /** cap on the wire rate, Infinity for none */
  capBytesPerS?: number;
  weight?: number;
  /** called when the last byte has arrived at the destination */
  onDelivered: () => void;
  /** told the flow's wire rate each time it changes, and 0 when the flow stops sending (for CPU and power
   * accounting: src/engine/energy-accounting.ts); called while rates are being re-solved, so it must not
   * start or stop flows */
  onRate?: (wireBytesPerS: number) => void;
  /** told when the flow moves to another path (reroute), with the wire bytes it had sent on the path it
   * leaves, counted from its start (for exposure per path segment: src/engine/migration-faults.ts) */
  onReroute?: (sentWireBytes: number, fromPath: Int32Array, toPath: Int32Array) => void;
}

export type { FlowId } from './flow-table.js';

/** Bytes within this fraction of a flow's size (plus as many bytes) count as sent: completion times are rounded floats. */
const BYTES_TOLERANCE = 1e-9;

/** load over capacity, 0..1 (a load within the solver's tolerance above capacity counts as full; a link
 * without capacity carries nothing) */
function utilization(loadBytesPerS: number, capacityBytesPerS: number): number {
  return capacityBytesPerS > 0 ? Math.min(1, Math.max(0, loadBytesPerS / capacityBytesPerS)) : 0;
}

export class FlowNetwork {
  private readonly table: FlowTable;
  private readonly capacity: Float64Array;
  private readonly linkLoadBytesPerS: Float64Array;
  private readonly linkBytes: Float64Array;
  private readonly linkUpdatedS: Float64Array;
  private readonly linkPeakUtilization: Float64Array;
  /** 1 from a capacity change to the next resolve, which records the link's utilization anew */
  private readonly capacityChanged: Uint8Array;
  /** utilization over time of every link (channel = link index) and of the core links together (channel
   * coreChannel: their summed load over their summed capacity) */
  private readonly utilizationBins: UtilizationBins;
  private readonly coreChannel: number;
  private coreLoadBytesPerS = 0;
  private coreCapacityBytesPerS = 0;
  private coreUpdatedS = 0;
  private readonly hasCoreLinks: boolean;
  private readonly rates: IncrementalMaxMin;
  /** one completion callback per slot, made once and reused by every flow the slot holds */
  private readonly completeSlot: (() => void)[] = [];
  /** instants at which rates were re-solved, and how many flows the solver was given over all its calls;
   * how many flows' rates changed (for benchmarks) */
  resolveCount = 0;
  resolvedFlowCount = 0;
  changedRateCount = 0;

  constructor(
    private readonly sim: Simulator,
    private readonly links: LinkCapacities,
    private readonly tcpWindowBytes: number,
    solver: FairShareSolver = new MaxMinSolver(),
  ) {
    this.capacity = Float64Array.from(links.capacityBytesPerS.subarray(0, links.count));
    this.table = new FlowTable(links.count, (slot) => this.completeSlot.push(() => this.complete(slot)));
    this.rates = new IncrementalMaxMin(this.table, this.capacity, solver);
    this.linkLoadBytesPerS = new Float64Array(links.count);
    this.linkBytes = new Float64Array(links.count);
    this.linkUpdatedS = new Float64Array(links.count);
    this.linkPeakUtilization = new Float64Array(links.count);
    this.capacityChanged = new Uint8Array(links.count);
    this.utilizationBins = new UtilizationBins(links.count + 1);
    this.coreChannel = links.count;
    for (let link = 0; link < links.count; link++) if (this.isCore(link)) this.coreCapacityBytesPerS += this.capacity[link]!;
    this.hasCoreLinks = links.core?.includes(1) ?? false;
    sim.onSettle(() => this.resolve());
  }

  get activeFlowCount(): number {
    return this.table.liveCount;
  }

  start(request: FlowRequest): FlowId {
    const table = this.table;
    const id = table.newId();
    const pathLatencyS = this.pathLatencyS(request.path);
    if (!(request.wireBytes > 0)) {
      // Nothing to send: only the propagation delay remains (a control message of negligible size).
      this.sim.after(pathLatencyS, request.onDelivered);
      return id;
    }
    const slot = table.allocate(id);
    const requestCap = request.capBytesPerS ?? Infinity;
    table.path[slot] = request.path;
    table.wireBytes[slot] = request.wireBytes;
    table.remainingBytes[slot] = request.wireBytes;
    table.rateBytesPerS[slot] = 0;
    table.updatedS[slot] = this.sim.nowS;
    table.requestCapBytesPerS[slot] = requestCap;
    table.capBytesPerS[slot] = Math.min(requestCap, this.windowCapBytesPerS(pathLatencyS));
    table.weight[slot] = request.weight ?? 1;
    table.pathLatencyS[slot] = pathLatencyS;
    table.onDelivered[slot] = request.onDelivered;
    table.onRate[slot] = request.onRate;
    table.onReroute[slot] = request.onReroute;
    table.attach(slot);
    this.rates.addFlow(slot);
    return id;
  }

  /** stops a flow where it is; returns the wire bytes it had sent */
  cancel(id: FlowId): number {
    const slot = this.table.slotOf(id);
    if (slot < 0) return 0;
    this.advance(slot);
    const sent = this.table.wireBytes[slot]! - this.table.remainingBytes[slot]!;
    this.remove(slot);
    return sent;
  }

  /** wire bytes a flow has sent so far (0 once it has finished or was cancelled) */
  sentBytes(id: FlowId): number {
    const slot = this.table.slotOf(id);
    if (slot < 0) return 0;
    const t = this.table;
    return t.wireBytes[slot]! - (t.remainingBytes[slot]! - t.rateBytesPerS[slot]! * (this.sim.nowS - t.updatedS[slot]!));
  }

  /** the ids of the flows sending now */
  flowIds(): FlowId[] {
    const ids: FlowId[] = [];
    for (let slot = 0; slot < this.table.slotCount; slot++) if (this.table.live[slot] === 1) ids.push(this.table.id[slot]!);
    return ids;
  }

  /** the links a flow crosses now; undefined once it has finished or was cancelled */
  pathOf(id: FlowId): Int32Array | undefined {
    const slot = this.table.slotOf(id);
    return slot < 0 ? undefined : this.table.path[slot];
  }

  /**
   * Moves a flow to another path between the same ends (re-routing around a failed link, and back once it is
   * up again: src/engine/fault-injector.ts): what it has sent stays sent and the rest continues on the new path,
   * at the rate and with the TCP window bound it gets there — a cancel and a restart with the remaining bytes,
   * under one id. The flow's onReroute is told what it had sent.
   */
  reroute(id: FlowId, path: Int32Array): void {
    const table = this.table;
    const slot = table.slotOf(id);
    if (slot < 0) return;
    this.advance(slot);
    const fromPath = table.path[slot]!;
    table.detach(slot);
    for (const link of fromPath) this.rates.touchLink(link);
    const pathLatencyS = this.pathLatencyS(path);
    table.path[slot] = path;
    table.pathLatencyS[slot] = pathLatencyS;
    table.capBytesPerS[slot] = Math.min(table.requestCapBytesPerS[slot]!, this.windowCapBytesPerS(pathLatencyS));
    table.attach(slot);
    this.rates.addFlow(slot);
    // The next resolve (at this instant) sets its rate and schedules its completion anew.
    this.sim.cancel(table.completion[slot]);
    table.completion[slot] = undefined;
    table.onReroute[slot]?.(table.wireBytes[slot]! - table.remainingBytes[slot]!, fromPath, path);
  }

  rateOf(id: FlowId): number {
    const slot = this.table.slotOf(id);
    return slot < 0 ? 0 : this.table.rateBytesPerS[slot]!;
  }

  setLinkCapacity(link: number, capacityBytesPerS: number): void {
    // Utilization up to now is measured against the capacity the link had.
    this.settleLink(link);
    if (this.isCore(link)) {
      this.settleCore();
      this.coreCapacityBytesPerS += capacityBytesPerS - this.capacity[link]!;
    }
    this.capacity[link] = capacityBytesPerS;
    this.capacityChanged[link] = 1;
    this.rates.touchLink(link, true);
  }

  /** wire bytes a link has carried up to now */
  bytesCarried(link: number): number {
    return this.linkBytes[link]! + this.linkLoadBytesPerS[link]! * (this.sim.nowS - this.linkUpdatedS[link]!);
  }

  peakUtilization(link: number): number {
    return this.linkPeakUtilization[link]!;
  }

  /** a link's utilization over time, from 0 to now */
  utilizationOverTime(link: number): UtilizationSeries {
    this.settleLink(link);
    return this.utilizationBins.series(link, this.sim.nowS);
  }

  /** the core links' utilization over time (their summed load over their summed capacity), from 0 to now;
   * undefined when there are no core links */
  coreUtilizationOverTime(): UtilizationSeries | undefined {
    if (!this.hasCoreLinks) return undefined;
    this.settleCore();
    return this.utilizationBins.series(this.coreChannel, this.sim.nowS);
  }

  private pathLatencyS(path: Int32Array): number {
    let latencyS = 0;
    for (const link of path) latencyS += this.links.latencyS[link] ?? 0;
    return latencyS;
  }

  /** SimGrid's TCP-gamma bound: at most one window per round trip (RTT = twice the one-way latency) */
  private windowCapBytesPerS(pathLatencyS: number): number {
    return pathLatencyS > 0 ? this.tcpWindowBytes / (2 * pathLatencyS) : Infinity;
  }

  private isCore(link: number): boolean {
    return this.links.core?.[link] === 1;
  }

  private advance(slot: number): void {
    const t = this.table;
    const now = this.sim.nowS;
    t.remainingBytes[slot]! -= t.rateBytesPerS[slot]! * (now - t.updatedS[slot]!);
    t.updatedS[slot] = now;
  }

  private settleLink(link: number): void {
    const now = this.sim.nowS;
    const load = this.linkLoadBytesPerS[link]!;
    const since = this.linkUpdatedS[link]!;
    this.linkBytes[link]! += load * (now - since);
    this.utilizationBins.add(link, since, now, utilization(load, this.capacity[link]!));
    this.linkUpdatedS[link] = now;
  }

  private settleCore(): void {
    const now = this.sim.nowS;
    this.utilizationBins.add(this.coreChannel, this.coreUpdatedS, now, utilization(this.coreLoadBytesPerS, this.coreCapacityBytesPerS));
    this.coreUpdatedS = now;
  }

  /** Takes a flow off its links and frees its slot; the next resolve recomputes their loads (at this same instant). */
  private remove(slot: number): void {
    const table = this.table;
    this.sim.cancel(table.completion[slot]);
    const onRate = table.rateBytesPerS[slot] !== 0 ? table.onRate[slot] : undefined;
    table.detach(slot);
    for (const link of table.path[slot]!) this.rates.touchLink(link);
    table.release(slot);
    // told once the flow is gone, so that the listener can tell this 0 from a stall (pathOf is undefined)
    onRate?.(0);
  }

  private complete(slot: number): void {
    const t = this.table;
    this.advance(slot);
    // What the flow sends within the clock's resolution at this time cannot be told apart from zero.
    const clockResolutionBytes = t.rateBytesPerS[slot]! * 4 * Number.EPSILON * Math.max(1, this.sim.nowS);
    if (t.remainingBytes[slot]! > BYTES_TOLERANCE * (t.wireBytes[slot]! + 1) + clockResolutionBytes) {
      throw new SimulationError('flowNetwork', `flow ${t.id[slot]} completed with ${t.remainingBytes[slot]} B left`);
    }
    const onDelivered = t.onDelivered[slot]!;
    const latencyS = t.pathLatencyS[slot]!;
    t.remainingBytes[slot] = 0;
    this.remove(slot);
    this.sim.after(latencyS, onDelivered);
  }

  /** Re-solves the rates of the flows the changes of this instant can reach (incremental-max-min.ts). */
  private resolve(): void {
    const rates = this.rates;
    if (!rates.pending) return;
    const callsBefore = rates.solverCalls;
    rates.run();
    if (rates.solverCalls > callsBefore) this.resolveCount++;
    this.resolvedFlowCount = rates.solvedFlows;
    const t = this.table;
    const now = this.sim.nowS;
    for (let i = 0; i < rates.memberCount; i++) {
      const slot = rates.members[i]!;
      const rate = rates.newRate[slot]!;
      if (rate === t.rateBytesPerS[slot] && t.completion[slot] !== undefined) continue;
      this.advance(slot);
      if (rate !== t.rateBytesPerS[slot]) {
        t.rateBytesPerS[slot] = rate;
        this.changedRateCount++;
        t.onRate[slot]?.(rate);
      }
      this.sim.cancel(t.completion[slot]);
      t.completion[slot] = rate > 0 ? this.sim.at(now + Math.max(0, t.remainingBytes[slot]!) / rate, this.completeSlot[slot]!) : undefined;
    }
    // Loads changed only on these links: settle their byte counters, then record the new loads.
    this.settleCore();
    for (let i = 0; i < rates.linkCount; i++) {
      const link = rates.links[i]!;
      const slots = t.linkSlots[link]!;
      let load = 0;
      for (let k = 0; k < t.linkSlotCount[link]!; k++) load += t.rateBytesPerS[slots[k]!]!;
      // A link whose load and capacity stay is left as it is: its counters integrate the same load on.
      if (load === this.linkLoadBytesPerS[link] && this.capacityChanged[link] === 0) continue;
      this.capacityChanged[link] = 0;
      this.settleLink(link);
      const capacity = this.capacity[link]!;
      if (this.isCore(link)) this.coreLoadBytesPerS += load - this.linkLoadBytesPerS[link]!;
      this.linkLoadBytesPerS[link] = load;
      if (load > capacity * (1 + 1e-9) + 1e-9) {
        throw new SimulationError('flowNetwork', `link ${link} over capacity by ${load - capacity} B/s`);
      }
      this.linkPeakUtilization[link] = Math.max(this.linkPeakUtilization[link]!, utilization(load, capacity));
    }
    rates.clear();
  }
}
