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

/** What a WAN site may be: one of the data-center kinds (not itself a WAN or an imported file). */
export type SiteTopologySpec = FatTreeSpec | LeafSpineSpec | GraphSpec;

export interface WanSiteSpec {
  /** unique, without '/': the site's nodes are named `<site>/<name>` */
  name: string;
  /** zone of the site's nodes (a graph node's own zone wins); links keep their own zone */
  zone?: Zone;
  topology: SiteTopologySpec;
  /** gateway–top-tier links of a fat-tree or leaf-spine site; default: that tier's own links (wan.ts) */
  gatewayLink?: LinkSpec;
}

export interface WanLinkSpec extends LinkSpec {
  /** site names; the link joins `<from>/gw` and `<to>/gw` */
  from: string;
  to: string;
  /** default 'trusted': a WAN link is untrusted only when declared so */
  zone?: Zone;
}

/** Sites, each its own topology and subnet, joined at their gateways by full-duplex WAN links (core links). */
export interface WanSpec {
  kind: 'wan';
  sites: WanSiteSpec[];
  wanLinks: WanLinkSpec[];
}

/** A node of a GraphML file, its Topology Zoo fields read and checked (graphml-file.ts). */
export interface GraphmlNode {
  /** the GraphML id attribute */
  id: string;
  /** the `label` data, trimmed; absent when missing or empty */
  label?: string;
  /** degrees, -90..90 and -180..180; both present or both absent */
  latitude?: number;
  longitude?: number;
}

/** An edge of a GraphML file as written: GraphML node ids, and what the file says about its speed. */
export interface GraphmlEdge {
  source: string;
  target: string;
  /** LinkSpeedRaw, bits per second (> 0) */
  speedRawBitsPerS?: number;
  /** LinkLabel then LinkType, as written (non-empty), for capacities such as "OC-192" or "10 Gbps" */
  speedTexts: string[];
}

/** A GraphML file's graph: what src/config read from the file, before the Topology Zoo conventions. */
export interface GraphmlNetwork {
  /** the graph's `label` or `Network` data, when the file has one */
  name?: string;
  nodes: GraphmlNode[];
  edges: GraphmlEdge[];
}

/** A network from a GraphML file (Internet Topology Zoo conventions, graphml.ts): every PoP a switch with
 * `hostsPerNode` hosts; PoP–PoP links from the file, `link` where the file says nothing. */
export interface GraphmlSpec {
  kind: 'graphml';
  /** the path as the scenario wrote it (relative to the scenario file), for messages and summaries */
  file: string;
  hostsPerNode: number;
  /** host–PoP links, and the capacity / latency of PoP–PoP links where the file gives none */
  link: LinkSpec;
  network: GraphmlNetwork;
}

export type TopologySpec = FatTreeSpec | LeafSpineSpec | GraphSpec | WanSpec | GraphmlSpec;

export interface NodeAttributes {
  kind: NodeKind;
  /** the rack (edge switch / leaf id) a host or top-of-rack switch belongs to */
  rack?: string;
  pod?: number;
  /** the WAN site (a subnet of its own) a node belongs to; every node of a `wan` topology has one */
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
  /** for `graphml`: what the import took from the file and where it used the defaults */
  graphml?: GraphmlImportReport;
}

/** How a GraphML file became links (graphml.ts): counts for the summary, so defaults are never silent. */
export interface GraphmlImportReport {
  file: string;
  /** the graph's label or Network name, when the file has one */
  network?: string;
  pops: number;
  /** <edge> elements in the file */
  edges: number;
  /** PoP–PoP cables built (after merging parallel edges and dropping self-loops) */
  links: number;
  /** cables whose capacity is the default (an edge without LinkSpeedRaw or a readable LinkLabel/LinkType) */
  defaultCapacityLinks: number;
  /** cables whose latency is the default (an end without Latitude/Longitude) */
  defaultLatencyLinks: number;
  /** edges folded into another edge between the same two PoPs */
  mergedParallelEdges: number;
  droppedSelfLoops: number;
}
