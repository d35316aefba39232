// The moves of an evacuation: every VM on an evacuated host gets a destination that has room for it (cores and
// memory, as host-capacity.ts counts them: no overcommit, the VMs where the file puts them), is not itself
// evacuated, and is as near as possible — the same rack, else the same pod, else the same site, else any
// (a nearer destination crosses fewer links, and within a site no WAN link). Among equally near hosts the
// plan spreads: fewest VMs already sent to the host, then to its rack, then to its pod (separate downlinks
// and core paths for concurrent migrations), then the most free memory, then topology order.
// VMs are placed largest memory first (first-fit decreasing, the bin-packing order pMapper uses: Verma,
// Ahuja, Neogi, Middleware 2008), so the large ones find room before the small ones fill the hosts.
import type { HostSpec, Scenario } from '../config/scenario.js';
import type { Topology } from '../topology/index.js';

export interface Move {
  vm: string;
  from: string;
  to: string;
  /** the index of the scenario's own migration entry this move is (its fields are kept), if any */
  document?: number;
}

export type Placement = { ok: true; moves: Move[] } | { ok: false; message: string };

interface Room {
  cores: number;
  memoryBytes: number;
}

const GIB = 2 ** 30;

/** 0 same rack, 1 same pod, 2 same site, 3 elsewhere. */
function distance(topology: Topology, from: string, to: string): number {
  const a = topology.graph.getNodeAttributes(from);
  const b = topology.graph.getNodeAttributes(to);
  if (a.rack !== undefined && a.rack === b.rack && a.site === b.site) return 0;
  if (a.pod !== undefined && a.pod === b.pod && a.site === b.site) return 1;
  if (a.site === b.site) return 2;
  return 3;
}

export function evacuationMoves(scenario: Scenario, topology: Topology, evacuated: readonly string[]): Placement {
  const leaving = new Set(evacuated);
  const specOf = (host: string): HostSpec => scenario.hosts.overrides[host] ?? scenario.hosts.defaults;
  const room = new Map<string, Room>(topology.hosts.map((host) => [host, { cores: specOf(host).cores, memoryBytes: specOf(host).memoryBytes }]));
  for (const vm of scenario.vms) {
    const free = room.get(vm.host)!;
    free.cores -= vm.vcpus;
    free.memoryBytes -= vm.memoryBytes;
  }
  const sentTo = new Map<string, number>();
  const count = (key: string): number => sentTo.get(key) ?? 0;
  const bump = (key: string): void => void sentTo.set(key, count(key) + 1);
  const rackKey = (host: string): string => `rack ${topology.graph.getNodeAttribute(host, 'site') ?? ''}/${topology.graph.getNodeAttribute(host, 'rack') ?? host}`;
  const podKey = (host: string): string => `pod ${topology.graph.getNodeAttribute(host, 'site') ?? ''}/${topology.graph.getNodeAttribute(host, 'pod') ?? host}`;
  const order = new Map(topology.hosts.map((host, i) => [host, i]));
  // Stable sort: VMs of equal memory keep file order.
  const moving = scenario.vms.filter((vm) => leaving.has(vm.host)).sort((a, b) => b.memoryBytes - a.memoryBytes);
  const destinations = new Map<string, string>();
  for (const vm of moving) {
    let best: { host: string; key: number[] } | undefined;
    for (const host of topology.hosts) {
      const free = room.get(host)!;
      if (leaving.has(host) || free.cores < vm.vcpus || free.memoryBytes < vm.memoryBytes) continue;
      const key = [distance(topology, vm.host, host), count(host), count(rackKey(host)), count(podKey(host)), -free.memoryBytes, order.get(host)!];
      if (best === undefined || lexicographicallyBefore(key, best.key)) best = { host, key };
    }
    if (best === undefined) {
      return { ok: false, message: `no host outside the evacuated ones has room for VM "${vm.id}" (${vm.vcpus} cores, ${+(vm.memoryBytes / GIB).toFixed(2)} GiB memory; expected enough free cores and memory on the hosts left)` };
    }
    const free = room.get(best.host)!;
    free.cores -= vm.vcpus;
    free.memoryBytes -= vm.memoryBytes;
    bump(best.host);
    bump(rackKey(best.host));
    bump(podKey(best.host));
    destinations.set(vm.id, best.host);
  }
  // Moves in file order of the VMs: the order the schedule policies start from.
  const moves = scenario.vms.filter((vm) => destinations.has(vm.id)).map((vm) => ({ vm: vm.id, from: vm.host, to: destinations.get(vm.id)! }));
  return { ok: true, moves };
}

function lexicographicallyBefore(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) {
    if (a[i]! !== b[i]!) return a[i]! < b[i]!;
  }
  return false;
}
