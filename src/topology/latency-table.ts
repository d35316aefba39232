// Least latency from every node to one destination: Dijkstra's algorithm (Numerische Mathematik
// 1, 1959) run backwards from the destination over the in-links, on flat typed arrays.
// Assumes latencies >= 0. Hosts forward nothing: a host other than the destination gets its own
// latency (it may start a path) but is never expanded (no path goes through it).
// Why not graphology-shortest-path's dijkstra: it returns paths, not distances, cannot stop at
// hosts without a copy of the graph, and on a k=16 fat-tree takes ~1.5 ms per run against
// ~0.1 ms here; the tests use it as the independent reference.

/** The network as flat arrays: in-links of node v are inLinks[inStart[v] .. inStart[v+1]). */
export interface InAdjacency {
  nodeCount: number;
  inStart: Int32Array;
  inLinks: Int32Array;
  linkFrom: Int32Array;
  latencyS: Float64Array;
  /** 1 = in service */
  up: Uint8Array;
  /** 1 = host */
  isHost: Uint8Array;
}

/** Every node's least latency to one destination (Infinity: cannot reach it). */
export interface LatencyTable {
  latencyS: Float64Array;
  /** order in which Dijkstra settled each node (nodeCount if never): a least-latency next hop
   * always has a smaller rank, so walks cannot loop even over 0-latency links */
  rank: Int32Array;
}

export function latencyTable(network: InAdjacency, target: number): LatencyTable {
  const { nodeCount, inStart, inLinks, linkFrom, latencyS: linkLatency, up, isHost } = network;
  const latencyS = new Float64Array(nodeCount).fill(Infinity);
  const rank = new Int32Array(nodeCount).fill(nodeCount);
  const heap = new MinHeap(inLinks.length + 1);
  latencyS[target] = 0;
  heap.push(0, target);
  let settled = 0;
  while (heap.size > 0) {
    const node = heap.popNode();
    if ((rank[node] ?? 0) < nodeCount) continue; // a stale entry: settled already (lazy deletion)
    rank[node] = settled++;
    if (node !== target && isHost[node] === 1) continue;
    const here = latencyS[node] ?? Infinity;
    for (let i = inStart[node] ?? 0; i < (inStart[node + 1] ?? 0); i++) {
      const link = inLinks[i] ?? 0;
      if (up[link] !== 1) continue;
      const previous = linkFrom[link] ?? 0;
      const via = here + (linkLatency[link] ?? Infinity);
      if (via < (latencyS[previous] ?? Infinity)) {
        latencyS[previous] = via;
        heap.push(via, previous);
      }
    }
  }
  return { latencyS, rank };
}

/** A binary min-heap of (key, node) pairs; equal keys pop in an order fixed by the pushes. */
class MinHeap {
  readonly #keys: Float64Array;
  readonly #nodes: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.#keys = new Float64Array(capacity);
    this.#nodes = new Int32Array(capacity);
  }

  push(key: number, node: number): void {
    let at = this.size++;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      const parentKey = this.#keys[parent] ?? 0;
      if (parentKey <= key) break;
      this.#keys[at] = parentKey;
      this.#nodes[at] = this.#nodes[parent] ?? 0;
      at = parent;
    }
    this.#keys[at] = key;
    this.#nodes[at] = node;
  }

  /** Removes the entry with the least key and returns its node. */
  popNode(): number {
    const top = this.#nodes[0] ?? 0;
    const last = --this.size;
    const key = this.#keys[last] ?? 0;
    const node = this.#nodes[last] ?? 0;
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= last) break;
      if (child + 1 < last && (this.#keys[child + 1] ?? 0) < (this.#keys[child] ?? 0)) child += 1;
      if ((this.#keys[child] ?? 0) >= key) break;
      this.#keys[at] = this.#keys[child] ?? 0;
      this.#nodes[at] = this.#nodes[child] ?? 0;
      at = child;
    }
    this.#keys[at] = key;
    this.#nodes[at] = node;
    return top;
  }
}
