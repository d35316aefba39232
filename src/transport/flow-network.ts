// The flow network: flows of wire bytes over directed links, sharing them weighted max-min fairly with
// per-flow caps (SimGrid's fluid model of TCP, src/kernel/resource/NetworkCm02Model): rates are re-solved
// only for the component of flows transitively sharing links with a change, remaining bytes advance
// lazily (value + rate × elapsed), and a flow's completion is one event rescheduled when its rate changes.
// Assumptions: a flow's rate is also capped at window / RTT with RTT = 2 × its one-way path latency
// (SimGrid's TCP-gamma bound); its last byte arrives one path latency after it leaves the source; link
// occupancy is counted while the source sends (propagation is not modelled as in-flight bytes).
import type { ScheduledEvent } from '../engine/event-queue.js';
import type { Simulator } from '../engine/simulator.js';
import { SimulationError } from '../engine/simulation-error.js';
import { MaxMinSolver } from './fair-share.js';
import type { FairShareProblem, FairShareSolver } from './fair-share-solver.js';
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

export type FlowId = number;

/** Bytes within this fraction of a flow's size (plus as many bytes) count as sent: completion times are rounded floats. */
const BYTES_TOLERANCE = 1e-9;

interface Flow {
  id: FlowId;
  path: Int32Array;
  wireBytes: number;
  remainingBytes: number;
  rateBytesPerS: number;
  updatedS: number;
  capBytesPerS: number;
  /** the request's own cap, before the TCP window bound of the path (kept for re-routing) */
  requestCapBytesPerS: number;
  weight: number;
  pathLatencyS: number;
  completion: ScheduledEvent | undefined;
  onDelivered: () => void;
  onRate: ((wireBytesPerS: number) => void) | undefined;
  onReroute: FlowRequest['onReroute'];
  /** stamp of the last component search that reached this flow */
  visit: number;
}

/** load over capacity, 0..1 (a load within the solver's tolerance above capacity counts as full; a link
 * without capacity carries nothing) */
function utilization(loadBytesPerS: number, capacityBytesPerS: number): number {
  return capacityBytesPerS > 0 ? Math.min(1, Math.max(0, loadBytesPerS / capacityBytesPerS)) : 0;
}

export class FlowNetwork {
  private readonly flows = new Map<FlowId, Flow>();
  private nextFlowId = 0;
  private readonly capacity: Float64Array;
  private readonly linkFlows: Set<FlowId>[];
  private readonly linkLoadBytesPerS: Float64Array;
  private readonly linkBytes: Float64Array;
  private readonly linkUpdatedS: Float64Array;
  private readonly linkPeakUtilization: Float64Array;
  /** utilization over time of every link (channel = link index) and of the core links together (channel
   * coreChannel: their summed load over their summed capacity) */
  private readonly utilizationBins: UtilizationBins;
  private readonly coreChannel: number;
  private coreLoadBytesPerS = 0;
  private coreCapacityBytesPerS = 0;
  private coreUpdatedS = 0;
  private readonly hasCoreLinks: boolean;
  private readonly linkVisit: Int32Array;
  private visitStamp = 0;
  private readonly dirtyLinks: number[] = [];
  private readonly solver: FairShareSolver;
  private problem: FairShareProblem;
  private rates = new Float64Array(64);
  private componentFlows: Flow[] = [];
  private componentLinks: number[] = [];
  /** how many times rates were re-solved, and how many flows those solves covered (for benchmarks) */
  resolveCount = 0;
  resolvedFlowCount = 0;

  constructor(
    private readonly sim: Simulator,
    private readonly links: LinkCapacities,
    private readonly tcpWindowBytes: number,
    solver: FairShareSolver = new MaxMinSolver(),
  ) {
    this.solver = solver;
    this.capacity = Float64Array.from(links.capacityBytesPerS.subarray(0, links.count));
    this.linkFlows = Array.from({ length: links.count }, () => new Set<FlowId>());
    this.linkLoadBytesPerS = new Float64Array(links.count);
    this.linkBytes = new Float64Array(links.count);
    this.linkUpdatedS = new Float64Array(links.count);
    this.linkPeakUtilization = new Float64Array(links.count);
    this.linkVisit = new Int32Array(links.count);
    this.utilizationBins = new UtilizationBins(links.count + 1);
    this.coreChannel = links.count;
    for (let link = 0; link < links.count; link++) if (this.isCore(link)) this.coreCapacityBytesPerS += this.capacity[link]!;
    this.hasCoreLinks = links.core?.includes(1) ?? false;
    // Constraint indices in a problem are positions in componentLinks; capacities are copied per solve.
    this.problem = {
      constraintCount: 0,
      constraintCapacity: new Float64Array(64),
      flowCount: 0,
      flowWeight: new Float64Array(64),
      flowCap: new Float64Array(64),
      flowConstraintStart: new Int32Array(65),
      flowConstraintIndex: new Int32Array(256),
    };
    sim.onSettle(() => this.resolve());
  }

  get activeFlowCount(): number {
    return this.flows.size;
  }

  start(request: FlowRequest): FlowId {
    const id = this.nextFlowId++;
    let pathLatencyS = 0;
    for (const link of request.path) pathLatencyS += this.links.latencyS[link] ?? 0;
    if (!(request.wireBytes > 0)) {
      // Nothing to send: only the propagation delay remains (a control message of negligible size).
      this.sim.after(pathLatencyS, request.onDelivered);
      return id;
    }
    // SimGrid's TCP-gamma bound: at most one window per round trip.
    const windowCapBytesPerS = pathLatencyS > 0 ? this.tcpWindowBytes / (2 * pathLatencyS) : Infinity;
    const flow: Flow = {
      id,
      path: request.path,
      wireBytes: request.wireBytes,
      remainingBytes: request.wireBytes,
      rateBytesPerS: 0,
      updatedS: this.sim.nowS,
      capBytesPerS: Math.min(request.capBytesPerS ?? Infinity, windowCapBytesPerS),
      requestCapBytesPerS: request.capBytesPerS ?? Infinity,
      weight: request.weight ?? 1,
      pathLatencyS,
      completion: undefined,
      onDelivered: request.onDelivered,
      onRate: request.onRate,
      onReroute: request.onReroute,
      visit: 0,
    };
    this.flows.set(id, flow);
    for (const link of flow.path) {
      this.linkFlows[link]!.add(id);
      this.dirtyLinks.push(link);
    }
    return id;
  }

  /** stops a flow where it is; returns the wire bytes it had sent */
  cancel(id: FlowId): number {
    const flow = this.flows.get(id);
    if (flow === undefined) return 0;
    this.advance(flow);
    this.remove(flow);
    return flow.wireBytes - flow.remainingBytes;
  }

  /** wire bytes a flow has sent so far (its whole size once finished or unknown) */
  sentBytes(id: FlowId): number {
    const flow = this.flows.get(id);
    if (flow === undefined) return 0;
    return flow.wireBytes - (flow.remainingBytes - flow.rateBytesPerS * (this.sim.nowS - flow.updatedS));
  }

  /** the ids of the flows sending now */
  flowIds(): FlowId[] {
    return [...this.flows.keys()];
  }

  /** the links a flow crosses now; undefined once it has finished or was cancelled */
  pathOf(id: FlowId): Int32Array | undefined {
    return this.flows.get(id)?.path;
  }

  /**
   * Moves a flow to another path between the same ends (re-routing around a failed link, and back once it is
   * up again: src/engine/fault-injector.ts): what it has sent stays sent and the rest continues on the new path,
   * at the rate and with the TCP window bound it gets there — a cancel and a restart with the remaining bytes,
   * under one id. The flow's onReroute is told what it had sent.
   */
  reroute(id: FlowId, path: Int32Array): void {
    const flow = this.flows.get(id);
    if (flow === undefined) return;
    this.advance(flow);
    for (const link of flow.path) {
      this.linkFlows[link]!.delete(id);
      this.dirtyLinks.push(link);
    }
    let pathLatencyS = 0;
    for (const link of path) pathLatencyS += this.links.latencyS[link] ?? 0;
    const fromPath = flow.path;
    flow.path = path;
    flow.pathLatencyS = pathLatencyS;
    flow.capBytesPerS = Math.min(flow.requestCapBytesPerS, pathLatencyS > 0 ? this.tcpWindowBytes / (2 * pathLatencyS) : Infinity);
    for (const link of path) {
      this.linkFlows[link]!.add(id);
      this.dirtyLinks.push(link);
    }
    // The next resolve (at this instant) sets its rate and schedules its completion anew.
    this.sim.cancel(flow.completion);
    flow.completion = undefined;
    flow.onReroute?.(flow.wireBytes - flow.remainingBytes, fromPath, path);
  }

  rateOf(id: FlowId): number {
    return this.flows.get(id)?.rateBytesPerS ?? 0;
  }

  setLinkCapacity(link: number, capacityBytesPerS: number): void {
    // Utilization up to now is measured against the capacity the link had.
    this.settleLink(link);
    if (this.isCore(link)) {
      this.settleCore();
      this.coreCapacityBytesPerS += capacityBytesPerS - this.capacity[link]!;
    }
    this.capacity[link] = capacityBytesPerS;
    this.dirtyLinks.push(link);
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

  private isCore(link: number): boolean {
    return this.links.core?.[link] === 1;
  }

  private advance(flow: Flow): void {
    const now = this.sim.nowS;
    flow.remainingBytes -= flow.rateBytesPerS * (now - flow.updatedS);
    flow.updatedS = now;
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

  /** Takes a flow off its links; the next resolve recomputes their loads (at this same instant). */
  private remove(flow: Flow): void {
    this.sim.cancel(flow.completion);
    this.flows.delete(flow.id);
    if (flow.rateBytesPerS !== 0) flow.onRate?.(0);
    for (const link of flow.path) {
      this.linkFlows[link]!.delete(flow.id);
      this.dirtyLinks.push(link);
    }
  }

  private complete(flow: Flow): void {
    this.advance(flow);
    // What the flow sends within the clock's resolution at this time cannot be told apart from zero.
    const clockResolutionBytes = flow.rateBytesPerS * 4 * Number.EPSILON * Math.max(1, this.sim.nowS);
    if (flow.remainingBytes > BYTES_TOLERANCE * (flow.wireBytes + 1) + clockResolutionBytes) {
      throw new SimulationError('flowNetwork', `flow ${flow.id} completed with ${flow.remainingBytes} B left`);
    }
    flow.remainingBytes = 0;
    this.remove(flow);
    this.sim.after(flow.pathLatencyS, flow.onDelivered);
  }

  /** Re-solves the rates of every component touched since the last call. */
  private resolve(): void {
    if (this.dirtyLinks.length === 0) return;
    const stamp = ++this.visitStamp;
    const stack = this.dirtyLinks;
    const componentFlows = this.componentFlows;
    const componentLinks = this.componentLinks;
    componentFlows.length = 0;
    componentLinks.length = 0;
    while (stack.length > 0) {
      const link = stack.pop()!;
      if (this.linkVisit[link] === stamp) continue;
      this.linkVisit[link] = stamp;
      componentLinks.push(link);
      for (const id of this.linkFlows[link]!) {
        const flow = this.flows.get(id)!;
        if (flow.visit === stamp) continue;
        flow.visit = stamp;
        componentFlows.push(flow);
        for (const next of flow.path) if (this.linkVisit[next] !== stamp) stack.push(next);
      }
    }
    if (componentFlows.length > 0) this.solveComponent();
    // Loads changed only on the component's links: settle their byte counters, then record the new loads.
    this.settleCore();
    for (const link of componentLinks) {
      this.settleLink(link);
      if (this.isCore(link)) this.coreLoadBytesPerS -= this.linkLoadBytesPerS[link]!;
      this.linkLoadBytesPerS[link] = 0;
    }
    for (const flow of componentFlows) {
      for (const link of flow.path) this.linkLoadBytesPerS[link]! += flow.rateBytesPerS;
    }
    for (const link of componentLinks) {
      const capacity = this.capacity[link]!;
      const load = this.linkLoadBytesPerS[link]!;
      if (this.isCore(link)) this.coreLoadBytesPerS += load;
      if (load > capacity * (1 + 1e-9) + 1e-9) {
        throw new SimulationError('flowNetwork', `link ${link} over capacity by ${load - capacity} B/s`);
      }
      this.linkPeakUtilization[link] = Math.max(this.linkPeakUtilization[link]!, utilization(load, capacity));
    }
  }

  private solveComponent(): void {
    const flows = this.componentFlows;
    const links = this.componentLinks;
    const problem = this.ensureProblemSize(flows.length, links.length);
    // Map global link indices to positions in this component, reusing linkVisit as the map.
    for (let i = 0; i < links.length; i++) {
      const link = links[i]!;
      this.linkVisit[link] = -(i + 1);
      problem.constraintCapacity[i] = this.capacity[link]!;
    }
    let entries = 0;
    for (let f = 0; f < flows.length; f++) entries += flows[f]!.path.length;
    if (problem.flowConstraintIndex.length < entries) problem.flowConstraintIndex = new Int32Array(entries * 2);
    let cursor = 0;
    for (let f = 0; f < flows.length; f++) {
      const flow = flows[f]!;
      problem.flowWeight[f] = flow.weight;
      problem.flowCap[f] = flow.capBytesPerS;
      problem.flowConstraintStart[f] = cursor;
      for (const link of flow.path) problem.flowConstraintIndex[cursor++] = -this.linkVisit[link]! - 1;
    }
    problem.flowConstraintStart[flows.length] = cursor;
    problem.constraintCount = links.length;
    problem.flowCount = flows.length;
    this.solver.solve(problem, this.rates);
    // linkVisit held positions; restore the stamp so later searches in this resolve skip these links.
    for (const link of links) this.linkVisit[link] = this.visitStamp;
    this.resolveCount++;
    this.resolvedFlowCount += flows.length;

    const now = this.sim.nowS;
    for (let f = 0; f < flows.length; f++) {
      const flow = flows[f]!;
      const rate = this.rates[f]!;
      if (rate === flow.rateBytesPerS && flow.completion !== undefined) continue;
      this.advance(flow);
      const changed = rate !== flow.rateBytesPerS;
      flow.rateBytesPerS = rate;
      if (changed) flow.onRate?.(rate);
      this.sim.cancel(flow.completion);
      flow.completion = undefined;
      if (rate > 0) {
        const finishS = now + Math.max(0, flow.remainingBytes) / rate;
        flow.completion = this.sim.at(finishS, () => this.complete(flow));
      }
    }
  }

  private ensureProblemSize(flowCount: number, linkCount: number): FairShareProblem {
    const p = this.problem;
    if (p.constraintCapacity.length < linkCount) p.constraintCapacity = new Float64Array(linkCount * 2);
    if (p.flowWeight.length < flowCount) {
      p.flowWeight = new Float64Array(flowCount * 2);
      p.flowCap = new Float64Array(flowCount * 2);
      p.flowConstraintStart = new Int32Array(flowCount * 2 + 1);
      this.rates = new Float64Array(flowCount * 2);
    }
    return p;
  }
}
