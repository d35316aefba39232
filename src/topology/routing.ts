// Shortest-latency routing with per-flow ECMP, as data-center switches do it: every flow follows
// one path of least total latency; where several such paths leave a node, the flow's hash picks
// one (hash-threshold, RFC 2992 §2), salted with the node so choices at successive hops are
// independent. Hosts forward nothing: no path passes through a host other than its ends.
// Assumes latencies >= 0 and a topology that does not change except through setLinkUp.
// Cites: RFC 2992 (ECMP hash-threshold); FNV-1a (Fowler, Noll, Vo; draft-eastlake-fnv); the
// fmix32 finalizer of MurmurHash3 (Appleby); Dijkstra via ./latency-table.ts.
//
// How: per destination, one backwards Dijkstra gives every node's least latency to it; a route
// walks from the source, keeping at each node the out-links that stay on a least-latency path,
// and lets the hash pick among them. A host whose only way in is one switch (a rack host) shares
// that switch's table, so a k=16 fat-tree needs at most 128 tables, not 1024. Tables are cached
// until a link changes state.
import { latencyTable, type InAdjacency, type LatencyTable } from './latency-table.js';
import type { LinkTable, Topology } from './types.js';

/** Relative tolerance under which two path latencies are equal: sums of the same latencies in
 * another order differ in the last bits (IEEE 754 doubles, ~1.1e-16 per addition). */
export const EQUAL_LATENCY_TOLERANCE = 1e-9;

export class Router {
  readonly #links: LinkTable;
  readonly #ids: string[];
  readonly #indexOf = new Map<string, number>();
  readonly #isHost: Uint8Array;
  readonly #linkFrom: Int32Array;
  readonly #linkTo: Int32Array;
  /** out-links (resp. in-links) of node i: #outLinks[#outStart[i] .. #outStart[i+1]), ascending */
  readonly #outStart: Int32Array;
  readonly #outLinks: Int32Array;
  readonly #inStart: Int32Array;
  readonly #inLinks: Int32Array;
  readonly #up: Uint8Array;
  readonly #network: InAdjacency;
  /** latency tables by destination node */
  readonly #tables = new Map<number, LatencyTable>();

  constructor(topology: Topology) {
    this.#links = topology.links;
    this.#ids = topology.graph.nodes();
    const n = this.#ids.length;
    this.#isHost = new Uint8Array(n);
    this.#ids.forEach((id, i) => {
      this.#indexOf.set(id, i);
      if (topology.graph.getNodeAttribute(id, 'kind') === 'host') this.#isHost[i] = 1;
    });
    const links = this.#links;
    this.#linkFrom = Int32Array.from(links.from, (id) => this.#node(id));
    this.#linkTo = Int32Array.from(links.to, (id) => this.#node(id));
    [this.#outStart, this.#outLinks] = adjacency(n, this.#linkFrom);
    [this.#inStart, this.#inLinks] = adjacency(n, this.#linkTo);
    this.#up = new Uint8Array(links.count).fill(1);
    this.#network = {
      nodeCount: n,
      inStart: this.#inStart,
      inLinks: this.#inLinks,
      linkFrom: this.#linkFrom,
      latencyS: links.latencyS,
      up: this.#up,
      isHost: this.#isHost,
    };
  }

  /** Directed link indices of a least-latency path chosen by the hash of flowKey; null when
   * `to` cannot be reached; empty when from === to. The same key always gives the same path. */
  route(from: string, to: string, flowKey: string): Int32Array | null {
    const source = this.#node(from);
    const target = this.#node(to);
    if (source === target) return new Int32Array(0);
    const lastLink = this.#rackLink(target);
    const anchor = lastLink === -1 ? target : (this.#linkFrom[lastLink] ?? -1);
    const path: number[] = [];
    if (source !== anchor) {
      const table = this.#table(anchor);
      if (!Number.isFinite(table.latencyS[source] ?? Infinity)) return null;
      const flowHash = fnv1a(flowKey);
      const candidates: number[] = [];
      for (let node = source; node !== anchor; ) {
        this.#nextLinks(node, anchor, table, candidates);
        const count = candidates.length;
        if (count === 0) throw new Error(`routing: no next hop from ${this.#ids[node] ?? node} to ${to}`);
        const hash = fmix32(fnv1a(this.#ids[node] ?? '', fnv1a('\u0000', flowHash)));
        // RFC 2992 §2 hash-threshold: the hash space is cut into `count` equal regions.
        const link = candidates[Math.floor((hash * count) / 2 ** 32)] ?? -1;
        path.push(link);
        node = this.#linkTo[link] ?? -1;
      }
    }
    if (lastLink !== -1) path.push(lastLink);
    return Int32Array.from(path);
  }

  /** Least total latency from `from` to `to` over paths not passing through hosts (Infinity: none). */
  minLatencyS(from: string, to: string): number {
    const source = this.#node(from);
    const target = this.#node(to);
    if (source === target) return 0;
    const lastLink = this.#rackLink(target);
    if (lastLink === -1) return this.#table(target).latencyS[source] ?? Infinity;
    const anchor = this.#linkFrom[lastLink] ?? -1;
    const toAnchor = source === anchor ? 0 : (this.#table(anchor).latencyS[source] ?? Infinity);
    return toAnchor + (this.#links.latencyS[lastLink] ?? Infinity);
  }

  reachable(from: string, to: string): boolean {
    return Number.isFinite(this.minLatencyS(from, to));
  }

  /** Sum of the latencies of the given directed links. */
  pathLatencyS(linkIndices: ArrayLike<number>): number {
    return pathLatencyS(this.#links, linkIndices);
  }

  /** Takes a directed link out of (or back into) service; later routes avoid links that are down. */
  setLinkUp(linkIndex: number, up: boolean): void {
    if (linkIndex < 0 || linkIndex >= this.#links.count) throw new Error(`routing: no link ${linkIndex}`);
    if ((this.#up[linkIndex] === 1) === up) return;
    this.#up[linkIndex] = up ? 1 : 0;
    this.#tables.clear();
  }

  #node(id: string): number {
    const index = this.#indexOf.get(id);
    if (index === undefined) throw new Error(`routing: unknown node ${id}`);
    return index;
  }

  /** The one link into a host whose only way in is from a single non-host node (its rack
   * switch), or -1: such a host is reached through that switch, whose table it shares. */
  #rackLink(node: number): number {
    if (this.#isHost[node] !== 1) return -1;
    let found = -1;
    for (let i = this.#inStart[node] ?? 0; i < (this.#inStart[node + 1] ?? 0); i++) {
      const link = this.#inLinks[i] ?? -1;
      if (this.#up[link] !== 1) continue;
      if (found !== -1 || this.#isHost[this.#linkFrom[link] ?? -1] === 1) return -1;
      found = link;
    }
    return found;
  }

  /** Fills `out` with the out-links of `node` that lie on a least-latency path to `target`. */
  #nextLinks(node: number, target: number, table: LatencyTable, out: number[]): void {
    out.length = 0;
    const here = table.latencyS[node] ?? Infinity;
    const rank = table.rank[node] ?? 0;
    const tolerance = EQUAL_LATENCY_TOLERANCE * here;
    for (let i = this.#outStart[node] ?? 0; i < (this.#outStart[node + 1] ?? 0); i++) {
      const link = this.#outLinks[i] ?? -1;
      const next = this.#linkTo[link] ?? -1;
      if (this.#up[link] !== 1) continue;
      if (next !== target && this.#isHost[next] === 1) continue; // hosts forward nothing
      if ((table.rank[next] ?? Infinity) >= rank) continue;
      const via = (this.#links.latencyS[link] ?? Infinity) + (table.latencyS[next] ?? Infinity);
      if (Math.abs(via - here) <= tolerance) out.push(link);
    }
  }

  #table(target: number): LatencyTable {
    let table = this.#tables.get(target);
    if (table === undefined) {
      table = latencyTable(this.#network, target);
      this.#tables.set(target, table);
    }
    return table;
  }
}

/** Sum of the latencies of the given directed links, in seconds. */
export function pathLatencyS(links: LinkTable, linkIndices: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < linkIndices.length; i++) total += links.latencyS[linkIndices[i] ?? -1] ?? NaN;
  return total;
}

/** CSR adjacency: the links grouped by endpoint node, ascending link index within a node. */
function adjacency(n: number, endpoint: Int32Array): [Int32Array, Int32Array] {
  const start = new Int32Array(n + 1);
  for (const node of endpoint) start[node + 1] = (start[node + 1] ?? 0) + 1;
  for (let i = 0; i < n; i++) start[i + 1] = (start[i + 1] ?? 0) + (start[i] ?? 0);
  const fill = start.slice(0, n);
  const links = new Int32Array(endpoint.length);
  endpoint.forEach((node, link) => {
    const at = fill[node] ?? 0;
    links[at] = link;
    fill[node] = at + 1;
  });
  return [start, links];
}

/** FNV-1a, 32 bits (offset basis 2166136261, prime 16777619), continuing from `state`. */
function fnv1a(text: string, state = 0x811c9dc5): number {
  let hash = state;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** MurmurHash3's finalizer: FNV-1a's low and high bits depend weakly on the last characters;
 * this spreads every input bit over the whole word before the hash-threshold split. */
function fmix32(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
