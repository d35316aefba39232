// Types shared by the topology builders, routing and everything that reads the graph.
// All quantities in SI base units: capacities in bytes per second, latencies in seconds.
import type { DirectedGraph } from 'graphology';

export type NodeKind = 'host' | 'switch' | 'gateway';
export type Zone = 'trusted' | 'untrusted';

export interface LinkSpec {
  capacityBytesPerS: number;
  latencyS: number;
}

/** Al-Fares et al., SIGCOMM 2008: k pods, k^3/4 hosts. */
export interface FatTreeSpec {
  kind: 'fat-tree';
  k: number;
  link: LinkSpec;
  /** aggregation–core links; default: `link` divided by `oversubscription` */
  coreLink?: LinkSpec;
  /** ratio of host-facing to uplink capacity at edge and aggregation tiers (1 = full bisection) */
  oversubscription: number;
}

export interface LeafSpineSpec {
  kind: 'leaf-spine';
  leaves: number;
  spines: number;
  hostsPerLeaf: number;
  link: LinkSpec;
  /** leaf–spine links (the core links); default `link` */
  uplink?: LinkSpec;
}

export interface GraphNodeSpec {
  id: string;
  kind: NodeKind;
  site?: string;
  zone?: Zone;
}

export interface GraphLinkSpec extends LinkSpec {
  from: string;
  to: string;
  core: boolean;
  zone?: Zone;
}

/** Nodes and full-duplex links exactly as written. */
export interface GraphSpec {
  kind: 'graph';
  nodes: GraphNodeSpec[];
  links: GraphLinkSpec[];
}

export type TopologySpec = FatTreeSpec | LeafSpineSpec | GraphSpec;

export interface NodeAttributes {
  kind: NodeKind;
  /** the rack (edge switch / leaf id) a host or top-of-rack switch belongs to */
  rack?: string;
  pod?: number;
  site?: string;
  zone?: Zone;
}

export interface LinkAttributes {
  /** position of this directed link in Topology.links */
  index: number;
  capacityBytesPerS: number;
  latencyS: number;
  core: boolean;
  zone: Zone;
}

/** Directed links as flat arrays, indexed by LinkAttributes.index: the transport layer's view. */
export interface LinkTable {
  count: number;
  /** `${from}->${to}` */
  id: string[];
  from: string[];
  to: string[];
  capacityBytesPerS: Float64Array;
  latencyS: Float64Array;
  /** 1 for core links (fat-tree aggregation–core, leaf–spine, links marked core, WAN links) */
  core: Uint8Array;
}

export interface Topology {
  kind: TopologySpec['kind'];
  graph: DirectedGraph<NodeAttributes, LinkAttributes>;
  links: LinkTable;
  /** host ids in a stable order */
  hosts: string[];
  /** rack id of each host that has one */
  rackOf: Map<string, string>;
}
