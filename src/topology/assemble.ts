// Assembles a Topology from nodes and full-duplex cables: the one place that numbers directed
// links and fills the flat LinkTable, so every builder numbers links the same way.
// Assumes: a cable joins two distinct existing nodes at most once. Each cable becomes two
// directed links with the full capacity each (full duplex, as Ethernet links are), numbered
// consecutively: index 2c goes from the cable's first end to its second, 2c + 1 back.
// Cites: graphology 0.26 DirectedGraph for the graph view (graphology.github.io).
// Any node name works (issue 17): graphology keeps each node's neighbours in plain objects keyed by name, so a
// node named `constructor`, `toString` or `valueOf` found Object.prototype's member there and read it as an
// existing link ("an edge ... already exists"); those objects are given no prototype here, as the node is
// added (nullPrototypeAdjacency; test/topology/graph.test.ts fails if graphology's layout changes). Edge keys
// are the directed link's index, never joined names: `a->b`–`c` and `a`–`b->c` made the same key.
import graphology from 'graphology';
import type { DirectedGraph } from 'graphology';
import type {
  LinkAttributes,
  LinkSpec,
  LinkTable,
  NodeAttributes,
  Topology,
  TopologySpec,
  Zone,
} from './types.js';

/** The graph's key of directed link `index` (the LinkTable's index): unique whatever the node names. */
export function linkKey(index: number): string {
  return String(index);
}

/** Whether a cable joins nodes a and b. graphology's hasEdge calls `hasOwnProperty` on the neighbour records,
 * which have none here (nullPrototypeAdjacency); `edge` reads them by name. */
export function hasCable(graph: DirectedGraph<NodeAttributes, LinkAttributes>, a: string, b: string): boolean {
  return graph.edge(a, b) !== undefined || graph.edge(b, a) !== undefined;
}

/** graphology 0.26's record of a directed graph's node: its neighbours by name, each way. */
interface GraphologyNodeData {
  in: Record<string, unknown>;
  out: Record<string, unknown>;
}

/** Gives node `id`'s neighbour records no prototype, so a neighbour named like an Object member is only a name. */
function nullPrototypeAdjacency(graph: DirectedGraph<NodeAttributes, LinkAttributes>, id: string): void {
  const data = (graph as unknown as { _nodes: Map<string, GraphologyNodeData> })._nodes.get(id);
  if (data === undefined || typeof data.in !== 'object' || typeof data.out !== 'object') {
    throw new Error('topology: graphology no longer keeps a node\'s neighbours as src/topology/assemble.ts expects');
  }
  Object.setPrototypeOf(data.in, null);
  Object.setPrototypeOf(data.out, null);
}

export class TopologyAssembler {
  readonly graph: DirectedGraph<NodeAttributes, LinkAttributes> = new graphology.DirectedGraph();
  readonly #hosts: string[] = [];
  readonly #from: string[] = [];
  readonly #to: string[] = [];
  readonly #capacity: number[] = [];
  readonly #latency: number[] = [];
  readonly #core: number[] = [];

  /** Adds a node; hosts are listed in Topology.hosts in the order they are added. */
  addNode(id: string, attributes: NodeAttributes): void {
    if (this.graph.hasNode(id)) throw new Error(`topology: duplicate node ${id}`);
    this.graph.addNode(id, attributes);
    nullPrototypeAdjacency(this.graph, id);
    if (attributes.kind === 'host') this.#hosts.push(id);
  }

  /** Adds a full-duplex cable a–b: the directed links a->b and b->a, each with the full capacity. */
  addCable(a: string, b: string, link: LinkSpec, core: boolean, zone: Zone = 'trusted'): void {
    for (const end of [a, b]) {
      if (!this.graph.hasNode(end)) throw new Error(`topology: link ${a}–${b}: unknown node ${end}`);
    }
    if (a === b) throw new Error(`topology: link ${a}–${b}: joins a node to itself`);
    if (hasCable(this.graph, a, b)) {
      throw new Error(`topology: duplicate link ${a}–${b}`);
    }
    for (const [from, to] of [[a, b], [b, a]] as const) {
      const index = this.#from.length;
      this.graph.addDirectedEdgeWithKey(linkKey(index), from, to, {
        index,
        capacityBytesPerS: link.capacityBytesPerS,
        latencyS: link.latencyS,
        core,
        zone,
      });
      this.#from.push(from);
      this.#to.push(to);
      this.#capacity.push(link.capacityBytesPerS);
      this.#latency.push(link.latencyS);
      this.#core.push(core ? 1 : 0);
    }
  }

  setRack(node: string, rack: string): void {
    this.graph.setNodeAttribute(node, 'rack', rack);
  }

  finish(kind: TopologySpec['kind']): Topology {
    const links: LinkTable = {
      count: this.#from.length,
      id: this.#from.map((from, i) => `${from}->${this.#to[i] ?? ''}`),
      from: [...this.#from],
      to: [...this.#to],
      capacityBytesPerS: Float64Array.from(this.#capacity),
      latencyS: Float64Array.from(this.#latency),
      core: Uint8Array.from(this.#core),
    };
    const rackOf = new Map<string, string>();
    for (const host of this.#hosts) {
      const rack = this.graph.getNodeAttribute(host, 'rack');
      if (rack !== undefined) rackOf.set(host, rack);
    }
    return { kind, graph: this.graph, links, hosts: [...this.#hosts], rackOf };
  }
}
