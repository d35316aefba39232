// Carries out a scenario's faults (CONTRACT.md, `faults`; issue 9) on the network and the routes. A cable is
// both directed links between two nodes, which fail together; a host target means every cable of the host.
//   link-down   the links get capacity 0 (flow-network.ts: flows on them stall) and the router takes them out
//               of service (routing.ts: later routes avoid them); every flow crossing one is moved to the route
//               the router now gives its ends and ECMP key when one exists (the same 5-tuple hashed over the
//               paths left), else it stays where it is, stalled, until a link-up;
//   link-up     the links are back at their capacity (degraded or not) and in the routes, and routing
//               reconverges: every flow whose path is not the route the router now gives its ends and key is
//               moved onto that route (OSPF/ECMP recompute, and a TCP flow's 5-tuple hashes onto the restored
//               shortest path: RFC 2328 §16, RFC 2992), so a flow sent on a detour comes back;
//   degrade     the links' capacity becomes `capacity` (kept through a later down and up);
//   host-crash  the host's cables go down for good and every VM on it is gone: the run's watchers decide what
//               that means for each migration (migration-faults.ts).
// A flow's ends and key are those of the route it was started on: every route the run hands out goes through
// RouteBook, which remembers them for the path it returned (a Mobile IPv4 triangle is two routes joined). A
// flow on a path of unknown origin is only moved off a link that carries nothing, to a route between its
// ends under a key of its own.
// Assumes routing converges at once (no control-plane delay); a link-down moves only the flows it stalls
// (flows on working paths keep them, though hash-threshold ECMP would move some: RFC 2992 counts how many),
// and bytes in flight on a path a flow leaves are not modelled.
import type { FaultSpec } from '../config/scenario.js';
import type { Router } from '../topology/routing.js';
import type { Topology } from '../topology/types.js';
import type { FlowId, FlowNetwork } from '../transport/flow-network.js';
import type { RouteBook, RouteLeg } from './route-book.js';
import type { Simulator } from './simulator.js';

/** What the run is told after each fault has been applied. */
export interface FaultListener {
  /** links went down, came up or changed capacity; flows have been re-routed where they could */
  linksChanged(): void;
  hostCrashed(host: string): void;
}

export class FaultInjector {
  private readonly down: Uint8Array;
  private readonly capacityBytesPerS: Float64Array;
  private readonly crashed = new Set<string>();
  private readonly linksByNode = new Map<string, number[]>();
  private readonly listeners: FaultListener[] = [];
  /** how the flows moved so far were first routed (their paths now are the injector's, not the RouteBook's) */
  private readonly flowLegs = new Map<FlowId, readonly RouteLeg[]>();
  /** how many flows were moved to another path, and how many faults were applied */
  reroutes = 0;
  applied = 0;

  constructor(
    private readonly sim: Simulator,
    private readonly network: FlowNetwork,
    private readonly router: Router,
    private readonly topology: Topology,
    /** where the run's routes came from (their ends and keys), to route the same flows again */
    private readonly routes: RouteBook,
    /** the route between two nodes of a flow of unknown origin, for moving it off a failed link */
    private readonly route: (from: string, to: string, flow: FlowId) => Int32Array | null,
  ) {
    const { links } = topology;
    this.down = new Uint8Array(links.count);
    this.capacityBytesPerS = Float64Array.from(links.capacityBytesPerS.subarray(0, links.count));
    for (let link = 0; link < links.count; link++) {
      for (const node of [links.from[link]!, links.to[link]!]) {
        const list = this.linksByNode.get(node) ?? [];
        list.push(link);
        this.linksByNode.set(node, list);
      }
    }
  }

  listen(listener: FaultListener): void {
    this.listeners.push(listener);
  }

  schedule(faults: readonly FaultSpec[]): void {
    for (const fault of faults) this.sim.at(fault.atS, () => this.apply(fault));
  }

  isCrashed(host: string): boolean {
    return this.crashed.has(host);
  }

  /** whether a path crosses a link that carries nothing now (down, or degraded to zero) */
  isStalled(path: ArrayLike<number>): boolean {
    return this.isSlowerThan(path, Number.MIN_VALUE);
  }

  /** whether a path crosses a link that is down or carries less than `floorBytesPerS` now */
  isSlowerThan(path: ArrayLike<number>, floorBytesPerS: number): boolean {
    for (let i = 0; i < path.length; i++) {
      const link = path[i]!;
      if (this.down[link] === 1 || !(this.capacityBytesPerS[link]! >= floorBytesPerS)) return true;
    }
    return false;
  }

  /** the link ids of a fault's target: every link of a host, or both directions of a cable */
  private linksOf(target: FaultSpec['target']): number[] {
    if ('host' in target) return this.linksByNode.get(target.host) ?? [];
    const { from, to } = this.topology.links;
    return (this.linksByNode.get(target.from) ?? []).filter(
      (link) => (from[link] === target.from && to[link] === target.to) || (from[link] === target.to && to[link] === target.from),
    );
  }

  private apply(fault: FaultSpec): void {
    this.applied++;
    const links = this.linksOf(fault.target);
    switch (fault.kind) {
      case 'link-down':
      case 'host-crash':
        for (const link of links) this.setDown(link, true);
        if (fault.kind === 'host-crash' && 'host' in fault.target) this.crashed.add(fault.target.host);
        break;
      case 'link-up':
        // A crashed host's cables stay down: the host does not come back.
        for (const link of links) if (!this.touchesCrashedHost(link)) this.setDown(link, false);
        break;
      case 'degrade':
        for (const link of links) {
          this.capacityBytesPerS[link] = fault.capacityBytesPerS ?? 0;
          if (this.down[link] === 0) this.network.setLinkCapacity(link, this.capacityBytesPerS[link]!);
        }
        break;
    }
    if (fault.kind === 'link-up') this.reconverge();
    else this.rerouteStalledFlows();
    if (fault.kind === 'host-crash' && 'host' in fault.target) {
      const host = fault.target.host;
      for (const listener of this.listeners) listener.hostCrashed(host);
    }
    for (const listener of this.listeners) listener.linksChanged();
  }

  private setDown(link: number, down: boolean): void {
    this.down[link] = down ? 1 : 0;
    this.router.setLinkUp(link, !down);
    this.network.setLinkCapacity(link, down ? 0 : this.capacityBytesPerS[link]!);
  }

  private touchesCrashedHost(link: number): boolean {
    const { from, to } = this.topology.links;
    return this.crashed.has(from[link]!) || this.crashed.has(to[link]!);
  }

  /** Moves every flow whose path crosses a link that carries nothing onto a working route, where one exists. */
  private rerouteStalledFlows(): void {
    // Ascending ids: the order flows are moved in is fixed (determinism).
    for (const id of this.flowsInOrder()) this.moveFlow(id, true);
  }

  /** After a link-up: every flow onto the route the router now gives its ends and key (when that one works). */
  private reconverge(): void {
    for (const id of this.flowsInOrder()) this.moveFlow(id, false);
  }

  /** The ids of the flows sending now, ascending; forgets the origins of flows that are gone. */
  private flowsInOrder(): FlowId[] {
    for (const id of this.flowLegs.keys()) if (this.network.pathOf(id) === undefined) this.flowLegs.delete(id);
    return this.network.flowIds().sort((a, b) => a - b);
  }

  /** Moves one flow off a link that carries nothing, when a working route between its ends exists. */
  rerouteFlow(id: FlowId): void {
    this.moveFlow(id, true);
  }

  /**
   * Moves a flow onto the route its ends and key get now, when that route works and differs from its path;
   * with `onlyStalled`, only a flow whose path carries nothing. A stalled flow whose own route does not work
   * (or whose origin is unknown) takes any working route between its ends.
   */
  private moveFlow(id: FlowId, onlyStalled: boolean): void {
    const path = this.network.pathOf(id);
    if (path === undefined || path.length === 0) return;
    const stalled = this.isStalled(path);
    if (onlyStalled && !stalled) return;
    const legs = this.flowLegs.get(id) ?? this.routes.legsOf(path);
    let target = legs === undefined ? null : this.routes.current(legs);
    if (target !== null && (target.length === 0 || this.isStalled(target))) target = null;
    if (target === null && stalled) {
      const { from, to } = this.topology.links;
      const route = this.route(from[path[0]!]!, to[path[path.length - 1]!]!, id);
      if (route !== null && route.length > 0 && !this.isStalled(route)) target = route;
    }
    if (target === null || samePath(target, path)) return;
    if (legs !== undefined) this.flowLegs.set(id, legs);
    this.network.reroute(id, target);
    this.reroutes++;
  }
}

function samePath(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
