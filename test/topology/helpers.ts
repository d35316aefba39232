// Specs shared by the topology tests: 10 Gbit/s = 1.25e9 B/s links with 2 us latency.
import type { FatTreeSpec, GraphLinkSpec, LeafSpineSpec, LinkSpec } from '../../src/topology/index.js';

export const LINK: LinkSpec = { capacityBytesPerS: 1.25e9, latencyS: 2e-6 };

export function fatTree(k: number, extra: Partial<FatTreeSpec> = {}): FatTreeSpec {
  return { kind: 'fat-tree', k, link: LINK, oversubscription: 1, ...extra };
}

export function leafSpine(leaves: number, spines: number, hostsPerLeaf: number): LeafSpineSpec {
  return { kind: 'leaf-spine', leaves, spines, hostsPerLeaf, link: LINK };
}

/** A graph link with LINK's capacity, the given latency (default LINK's), not core. */
export function cable(from: string, to: string, latencyS = LINK.latencyS): GraphLinkSpec {
  return { from, to, capacityBytesPerS: LINK.capacityBytesPerS, latencyS, core: false };
}
