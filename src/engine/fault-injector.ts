// Carries out a scenario's faults (CONTRACT.md, `faults`; issue 9) on the network and the routes. A cable is
// both directed links between two nodes, which fail together; a host target means every cable of the host.
//   link-down   the links get capacity 0 (flow-network.ts: flows on them stall) and the router takes them out
//               of service (routing.ts: later routes avoid them); every flow crossing one is moved to a new
//               route between its ends when one exists (ECMP may pick another equal-cost path), else it stays
//               where it is, stalled, until a link-up;
//   link-up     the links are back at their capacity (degraded or not) and in the routes; stalled flows move to
//               a route again;
//   degrade     the links' capacity becomes `capacity` (kept through a later down and up);
//   host-crash  the host's cables go down for good and every VM on it is gone: the run's watchers decide what
//               that means for each migration (migration-faults.ts).
// Assumes routing converges at once (no control-plane delay), and flows keep their route while it works: a
// link-up does not pull flows back to a shorter path.
import type { FaultSpec } from '../config/scenario.js';
import type { Router } from '../topology/routing.js';
import type { Topology } from '../topology/types.js';
import type { FlowId, FlowNetwork } from '../transport/flow-network.js';
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
  /** how many flows were moved to another path, and how many faults were applied */
  reroutes = 0;
  applied = 0;

  constructor(
    private readonly sim: Simulator,
    private readonly network: FlowNetwork,
    private readonly router: Router,
    private readonly topology: Topology,
    /** the route of a flow between two nodes, for a flow being moved off a failed link */
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
    for (let i = 0; i < path.length; i++) {
      const link = path[i]!;
      if (this.down[link] === 1 || !(this.capacityBytesPerS[link]! > 0)) return true;
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
    this.rerouteStalledFlows();
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

  /** Moves every flow whose path crosses a link that carries nothing onto a working route between its ends,
   * where one exists: after a link-down the flows on it, after a link-up the flows it left stalled. */
  private rerouteStalledFlows(): void {
    // Ascending ids: the order flows are moved in is fixed (determinism).
    for (const id of this.network.flowIds().sort((a, b) => a - b)) this.rerouteFlow(id);
  }

  /** Moves one flow off a link that carries nothing, when a working route between its ends exists. */
  rerouteFlow(id: FlowId): void {
    const { from, to } = this.topology.links;
    const path = this.network.pathOf(id);
    if (path === undefined || path.length === 0 || !this.isStalled(path)) return;
    const route = this.route(from[path[0]!]!, to[path[path.length - 1]!]!, id);
    if (route === null || route.length === 0 || this.isStalled(route)) return;
    this.network.reroute(id, route);
    this.reroutes++;
  }
}
