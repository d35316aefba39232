// Application traffic (CONTRACT.md, `traffic`): flows between VMs and hosts that share the links with the
// migrations, max-min fairly (flow-network.ts), so that a migration's effect on other flows shows.
//   sized flow (`size`)      ends when its bytes have arrived (or at `duration`, or the horizon);
//   long-lived flow          runs until `duration` or the horizon (default: the end of the last migration,
//                            or of the last flow that ends by itself: run-scenario.ts decides it);
//   `rate`                   caps the flow (payload B/s); without one it is a greedy TCP flow taking its
//                            max-min share, as a bulk transfer does.
// A flow to or from a VM follows the VM: while the guest is paused (a migration's downtime) the flow stalls
// at rate 0, and when the guest resumes on its destination the flow is re-routed there. The guest stays paused
// through its addressing scheme's switchover delay (src/migration/switchover.ts), so the flow resumes on the
// new path the moment the guest does; the scheme also sets the stretch's path and wire factor (env.segment:
// per-packet encapsulation, the home agent's triangle of Mobile IPv4; src/transport/addressing.ts).
// Carried out as segments: each stretch of a flow on one path and unstalled is one network flow of the
// bytes it has left; a stall or a move cancels it (keeping what it sent) and the next segment starts from
// there; a stretch whose last bytes are on their way when its VM pauses or moves lands first (its bytes were
// sent). Ends on one host exchange no network bytes: a capped flow between them still counts its payload at
// its rate (loopback), a sized uncapped one ends at once, and an uncapped long-lived one carries nothing
// (its rate would be unbounded). A flow is stalled (`stalledTime`) while it has no route (a partitioned
// graph), an end is a paused VM, or a link of its path carries nothing (a cut with no way round, a degrade to 0).
// Wire bytes are payload × the path's wire factor (wire.ts); core bytes are wire bytes × the core links
// crossed, summed per path: a fault may move a stretch to another path (fault-injector.ts), and what it sent
// before the move counts on the path it left (flow-network.ts onReroute).
import type { TrafficSpec } from '../config/scenario.js';
import type { Simulator } from '../engine/simulator.js';
import type { ScheduledEvent } from '../engine/event-queue.js';
import type { FlowId, FlowNetwork } from './flow-network.js';

/**
 * The wire bytes of one stretch of a long-lived flow: 2^40 B (about 15 min at 10 Gbit/s), after which the
 * next stretch starts. Small enough that sent = size − remaining keeps a thousandth of a byte (the ulp of
 * 2^40 is 2^-12).
 */
const OPEN_SEGMENT_WIRE_BYTES = 2 ** 40;

export interface TrafficEnvironment {
  /** the host an endpoint is on now (a host is on itself) */
  hostOf(endpoint: string): string;
  /** whether an endpoint is a VM that is paused now */
  paused(endpoint: string): boolean;
  route(from: string, to: string, flowKey: string): Int32Array | null;
  /** wire bytes per payload byte */
  wireFactor: number;
  /** the path and wire factor of a stretch between two ends (VM or host ids, as written), when the VMs'
   * addressing schemes set them; absent: route() between their hosts, at wireFactor */
  segment?(from: string, to: string, flowKey: string): { path: Int32Array; wireFactor: number } | null;
  coreLinks(path: Int32Array): number;
}

export interface TrafficOutcome {
  from: string;
  to: string;
  start: number;
  end: number;
  bytes: { payload: number; wire: number };
  stalledTime: number;
  /** wire bytes summed over the core links crossed */
  coreBytes: number;
}

interface Segment {
  /** undefined: a local segment (ends on one host), counted here at its cap */
  id: FlowId | undefined;
  /** the path it sends on now */
  path: Int32Array;
  /** network segments: the wire bytes it sends, and those it had sent when it last moved to another path (0
   * before any move) */
  wireBytes: number;
  reroutedWireBytes: number;
  startS: number;
  /** local segments: payload rate; network segments: unused */
  localRate: number;
  localDone: ScheduledEvent | undefined;
  /** wire bytes per payload byte on this stretch */
  wireFactor: number;
}

class TrafficFlow {
  state: 'waiting' | 'active' | 'ended' = 'waiting';
  startS: number;
  endS: number;
  payloadBytes = 0;
  wireBytes = 0;
  coreBytes = 0;
  stalledS = 0;
  stalledSinceS: number | undefined;
  segment: Segment | undefined;
  deadline: ScheduledEvent | undefined;

  constructor(
    readonly index: number,
    readonly spec: TrafficSpec,
  ) {
    this.startS = spec.startS;
    this.endS = spec.startS;
  }

  /** payload bytes left to send, Infinity for a long-lived flow */
  get leftBytes(): number {
    return this.spec.sizeBytes === undefined ? Infinity : Math.max(0, this.spec.sizeBytes - this.payloadBytes);
  }

  /** whether the flow ends by itself (its size or its duration), not at the horizon */
  get bounded(): boolean {
    return this.spec.sizeBytes !== undefined || this.spec.durationS !== undefined;
  }
}

export class ApplicationTraffic {
  private readonly flows: TrafficFlow[];
  private readonly byEndpoint = new Map<string, TrafficFlow[]>();
  private horizonS = Infinity;
  private boundedLeft: number;

  constructor(
    private readonly sim: Simulator,
    private readonly network: FlowNetwork,
    specs: readonly TrafficSpec[],
    private readonly env: TrafficEnvironment,
    /** called when the last flow that ends by itself has ended */
    private readonly onBoundedDone: () => void = () => {},
  ) {
    this.flows = specs.map((spec, i) => new TrafficFlow(i, spec));
    for (const flow of this.flows) {
      for (const end of new Set([flow.spec.from, flow.spec.to])) {
        const list = this.byEndpoint.get(end);
        if (list === undefined) this.byEndpoint.set(end, [flow]);
        else list.push(flow);
      }
    }
    this.boundedLeft = this.flows.filter((f) => f.bounded).length;
  }

  /** how many flows that end by themselves have not ended yet */
  get boundedFlowsLeft(): number {
    return this.boundedLeft;
  }

  start(): void {
    for (const flow of this.flows) this.sim.at(flow.spec.startS, () => this.begin(flow));
  }

  /** An endpoint (a VM) changed state: stall, resume or re-route the flows that touch it. */
  endpointChanged(endpoint: string): void {
    for (const flow of this.byEndpoint.get(endpoint) ?? []) {
      if (flow.state !== 'active' || this.landing(flow)) continue;
      this.stopSegment(flow);
      this.startSegment(flow);
    }
  }

  /** Ends every flow still running at `timeS` (now or later); flows due to start later never start. */
  stopAt(timeS: number): void {
    this.horizonS = Math.min(this.horizonS, timeS);
    const stop = (): void => {
      for (const flow of this.flows) {
        if (flow.state === 'active') this.finish(flow);
        else if (flow.state === 'waiting') this.finish(flow, flow.spec.startS);
      }
    };
    if (timeS <= this.sim.nowS) stop();
    else this.sim.at(timeS, stop);
  }

  results(): TrafficOutcome[] {
    return this.flows.map((flow) => ({
      from: flow.spec.from,
      to: flow.spec.to,
      start: flow.startS,
      end: flow.endS,
      bytes: { payload: flow.payloadBytes, wire: flow.wireBytes },
      stalledTime: flow.stalledS,
      coreBytes: flow.coreBytes,
    }));
  }

  private begin(flow: TrafficFlow): void {
    if (flow.state !== 'waiting') return;
    if (this.sim.nowS >= this.horizonS) {
      this.finish(flow, flow.spec.startS);
      return;
    }
    flow.state = 'active';
    flow.startS = this.sim.nowS;
    if (flow.spec.durationS !== undefined) flow.deadline = this.sim.after(flow.spec.durationS, () => this.finish(flow));
    this.startSegment(flow);
  }

  /** Starts the flow's next stretch on its current path, or marks it stalled. */
  private startSegment(flow: TrafficFlow): void {
    const { from, to } = flow.spec;
    const now = this.sim.nowS;
    const stretch = this.env.paused(from) || this.env.paused(to) ? null : this.stretch(from, to, `traffic:${flow.index}`);
    if (stretch === null) {
      flow.stalledSinceS ??= now;
      return;
    }
    const left = flow.leftBytes;
    if (!(left > 0)) {
      this.finish(flow);
      return;
    }
    const rate = flow.spec.rateBytesPerS;
    const { path, wireFactor } = stretch;
    if (path.length === 0) {
      this.endStall(flow);
      // Both ends on one host: no network bytes (see the header).
      const segment: Segment = { id: undefined, path, wireBytes: 0, reroutedWireBytes: 0, startS: now, localRate: Number.isFinite(rate) ? rate : 0, localDone: undefined, wireFactor };
      flow.segment = segment;
      if (Number.isFinite(left)) {
        const doneS = segment.localRate > 0 ? left / segment.localRate : Number.isFinite(rate) ? Infinity : 0;
        if (Number.isFinite(doneS)) segment.localDone = this.sim.after(doneS, () => this.complete(flow, segment));
      }
      return;
    }
    const wireBytes = Number.isFinite(left) ? left * wireFactor : OPEN_SEGMENT_WIRE_BYTES;
    const segment: Segment = { id: undefined, path, wireBytes, reroutedWireBytes: 0, startS: now, localRate: 0, localDone: undefined, wireFactor };
    // A network stretch is stalled until the solver gives it a rate: at this same instant, unless a link of its
    // path carries nothing (a cut it could not be routed around, a degrade to 0) — then until one does.
    flow.stalledSinceS ??= now;
    segment.id = this.network.start({
      path,
      wireBytes,
      capBytesPerS: rate * wireFactor,
      onDelivered: () => this.complete(flow, segment),
      onRate: (wireBytesPerS) => {
        // Ignore the 0 told when the stretch stops sending (it finished, or was cancelled).
        if (flow.segment !== segment || segment.id === undefined || this.network.pathOf(segment.id) === undefined) return;
        if (wireBytesPerS > 0) this.endStall(flow);
        else flow.stalledSinceS ??= this.sim.nowS;
      },
      onReroute: (sentWireBytes, fromPath, toPath) => {
        flow.coreBytes += Math.max(0, sentWireBytes - segment.reroutedWireBytes) * this.env.coreLinks(fromPath);
        segment.reroutedWireBytes = sentWireBytes;
        segment.path = toPath;
      },
    });
    flow.segment = segment;
  }

  private endStall(flow: TrafficFlow): void {
    if (flow.stalledSinceS === undefined) return;
    flow.stalledS += this.sim.nowS - flow.stalledSinceS;
    flow.stalledSinceS = undefined;
  }

  /** whether the flow's stretch has sent all its bytes, the last still on their way (complete() follows) */
  private landing(flow: TrafficFlow): boolean {
    const id = flow.segment?.id;
    return id !== undefined && this.network.pathOf(id) === undefined;
  }

  /** Cancels the current stretch, adding what it sent (all of it once it has finished sending). */
  private stopSegment(flow: TrafficFlow): void {
    const segment = flow.segment;
    if (segment === undefined) return;
    flow.segment = undefined;
    if (segment.id === undefined) {
      this.sim.cancel(segment.localDone);
      const sent = segment.localRate * (this.sim.nowS - segment.startS);
      flow.payloadBytes += Math.min(sent, flow.leftBytes);
      return;
    }
    const landing = this.network.pathOf(segment.id) === undefined;
    const sent = this.network.cancel(segment.id);
    this.addWire(flow, segment, landing ? segment.wireBytes : sent);
  }

  /** The last byte of a stretch arrived: a sized flow is done, a long-lived one goes on with a new stretch. */
  private complete(flow: TrafficFlow, segment: Segment): void {
    if (flow.segment !== segment) return;
    flow.segment = undefined;
    if (segment.id === undefined) flow.payloadBytes = flow.spec.sizeBytes ?? flow.payloadBytes;
    else this.addWire(flow, segment, Number.isFinite(flow.leftBytes) ? flow.leftBytes * segment.wireFactor : OPEN_SEGMENT_WIRE_BYTES);
    if (Number.isFinite(flow.leftBytes)) this.finish(flow);
    else this.startSegment(flow);
  }

  /** Adds a stretch's wire bytes (all it sent); those sent since its last move count on its path now. */
  private addWire(flow: TrafficFlow, segment: Segment, wireBytes: number): void {
    flow.wireBytes += wireBytes;
    flow.payloadBytes += wireBytes / segment.wireFactor;
    flow.coreBytes += Math.max(0, wireBytes - segment.reroutedWireBytes) * this.env.coreLinks(segment.path);
  }

  /** The path and wire factor between two ends now, or null without a route. */
  private stretch(from: string, to: string, key: string): { path: Int32Array; wireFactor: number } | null {
    if (this.env.segment !== undefined) return this.env.segment(from, to, key);
    const path = this.env.route(this.env.hostOf(from), this.env.hostOf(to), key);
    return path === null ? null : { path, wireFactor: this.env.wireFactor };
  }

  private finish(flow: TrafficFlow, atS = this.sim.nowS): void {
    if (flow.state === 'ended') return;
    const wasActive = flow.state === 'active';
    if (wasActive) this.stopSegment(flow);
    if (flow.stalledSinceS !== undefined) {
      flow.stalledS += atS - flow.stalledSinceS;
      flow.stalledSinceS = undefined;
    }
    this.sim.cancel(flow.deadline);
    flow.state = 'ended';
    if (!wasActive) flow.startS = atS;
    flow.endS = atS;
    if (flow.bounded && --this.boundedLeft === 0) this.onBoundedDone();
  }
}
