import { bidirectional } from 'graphology-shortest-path/dijkstra.js';
import { describe, expect, it } from 'vitest';
import { buildTopology, Router, type GraphSpec, type Topology } from '../../src/topology/index.js';
import { cable, fatTree, leafSpine } from './helpers.js';

/** The node sequence of a path given as link indices, checking that the links join up. */
function nodesOf(topology: Topology, path: Int32Array, from: string): string[] {
  const nodes = [from];
  for (const link of path) {
    expect(topology.links.from[link]).toBe(nodes.at(-1));
    nodes.push(topology.links.to[link] ?? '');
  }
  return nodes;
}

/** Core switches a set of flows from `from` to `to` crosses, one flow per key flow-0 .. flow-(n-1). */
function coresUsed(topology: Topology, router: Router, from: string, to: string, flows: number): Map<string, number> {
  const used = new Map<string, number>();
  for (let f = 0; f < flows; f++) {
    const path = router.route(from, to, `flow-${f}`);
    expect(path).not.toBeNull();
    const core = nodesOf(topology, path ?? new Int32Array(0), from).find((node) => node.startsWith('c'));
    if (core !== undefined) used.set(core, (used.get(core) ?? 0) + 1);
  }
  return used;
}

describe('Router on a fat-tree', () => {
  it.each([
    // k=4: an inter-pod path is host-edge-aggregation-core-aggregation-edge-host, 6 links; the
    // source edge switch picks one of k/2 = 2 aggregation switches, that one one of its 2 cores,
    // so 4 = (k/2)^2 equal-latency paths, one per core switch. 200 flows: each core expected 50.
    { k: 4, flows: 200 },
    // k=8: (k/2)^2 = 16 equal paths; 800 flows, 50 expected per core.
    { k: 8, flows: 800 },
  ])('spreads inter-pod flows over every core switch (k=$k)', ({ k, flows }) => {
    const topology = buildTopology(fatTree(k));
    const router = new Router(topology);
    const used = coresUsed(topology, router, 'h0-0-0', 'h1-0-0', flows);
    expect(used.size).toBe((k * k) / 4);
    // Roughly even: per-flow hashing is binomial, 50 ± 3σ (σ ≈ 7) stays within 25..75.
    for (const count of used.values()) {
      expect(count).toBeGreaterThan(25);
      expect(count).toBeLessThan(75);
    }
  });

  it('gives the same key the same path, from a fresh router too', () => {
    const topology = buildTopology(fatTree(8));
    const router = new Router(topology);
    const other = new Router(buildTopology(fatTree(8)));
    for (let f = 0; f < 50; f++) {
      const path = router.route('h0-1-2', 'h5-3-0', `key-${f}`);
      expect(router.route('h0-1-2', 'h5-3-0', `key-${f}`)).toEqual(path);
      expect(other.route('h0-1-2', 'h5-3-0', `key-${f}`)).toEqual(path);
    }
  });

  it('returns connected least-latency paths between every pair of hosts', () => {
    // k=4 with 2 us host and edge links and 5 us aggregation–core links: same rack 2·2 = 4 us (2
    // links), same pod 4·2 = 8 us (4 links), other pod 4·2 + 2·5 = 18 us (6 links). The reference
    // is graphology's bidirectional Dijkstra over the whole graph.
    const topology = buildTopology(fatTree(4, { coreLink: { capacityBytesPerS: 1.25e9, latencyS: 5e-6 } }));
    const router = new Router(topology);
    const { graph, hosts } = topology;
    for (const from of hosts) {
      for (const to of hosts) {
        for (const key of ['x', 'y', 'z']) {
          const path = router.route(from, to, key);
          expect(path).not.toBeNull();
          const nodes = nodesOf(topology, path ?? new Int32Array(0), from);
          expect(nodes.at(-1)).toBe(to);
          const reference = bidirectional(graph, from, to, 'latencyS');
          const referenceS = reference.slice(1).reduce(
            (sum, node, i) => sum + graph.getEdgeAttribute(reference[i], node, 'latencyS'),
            0,
          );
          const latencyS = router.pathLatencyS(path ?? new Int32Array(0));
          expect(latencyS).toBeCloseTo(referenceS, 15);
          expect(router.minLatencyS(from, to)).toBeCloseTo(referenceS, 15);
          const expected = from === to ? 0 : topology.rackOf.get(from) === topology.rackOf.get(to) ? 4e-6 : from[1] === to[1] ? 8e-6 : 18e-6;
          expect(latencyS).toBeCloseTo(expected, 15);
        }
      }
    }
  });

  it('routes from and to switches, and returns an empty path to itself', () => {
    // e0-0 → c0: edge → a0-0 → c0 (core c0 hangs off aggregation 0 of each pod), 2 links.
    const topology = buildTopology(fatTree(4));
    const router = new Router(topology);
    expect(router.route('h0-0-0', 'h0-0-0', 'k')).toEqual(new Int32Array(0));
    const path = router.route('e0-0', 'c0', 'k');
    expect(nodesOf(topology, path ?? new Int32Array(0), 'e0-0')).toEqual(['e0-0', 'a0-0', 'c0']);
    expect(router.route('c3', 'h2-1-0', 'k')).toHaveLength(3);
    expect(() => router.route('h0-0-0', 'nowhere', 'k')).toThrow(/^routing: unknown node nowhere/);
  });

  it('avoids links taken down and routes over them again once back up', () => {
    // k=4, h0-0-0 → h1-0-0: with both aggregation–core links of a0-0 down, every flow leaves
    // through a0-1 and so crosses c2 or c3 only.
    const topology = buildTopology(fatTree(4));
    const router = new Router(topology);
    const down = ['c0', 'c1'].map((core) => topology.graph.getEdgeAttribute('a0-0', core, 'index'));
    for (const link of down) router.setLinkUp(link, false);
    expect([...coresUsed(topology, router, 'h0-0-0', 'h1-0-0', 100).keys()].sort()).toEqual(['c2', 'c3']);
    for (const link of down) router.setLinkUp(link, true);
    expect(coresUsed(topology, router, 'h0-0-0', 'h1-0-0', 100).size).toBe(4);
    // The host's only link down: unreachable.
    router.setLinkUp(topology.graph.getEdgeAttribute('e1-0', 'h1-0-0', 'index'), false);
    expect(router.route('h0-0-0', 'h1-0-0', 'k')).toBeNull();
    expect(router.reachable('h0-0-0', 'h1-0-0')).toBe(false);
    expect(router.reachable('h1-0-0', 'h0-0-0')).toBe(true);
  });

  it('routes 1000 flows on a k=16 fat-tree (1024 hosts) in well under a second', () => {
    // 1024 hosts, 320 switches, 6144 directed links; a host's table is its edge switch's, so at
    // most 128 Dijkstra runs. Measured ~0.1 s; the bound leaves room for a loaded machine.
    const started = performance.now();
    const topology = buildTopology(fatTree(16));
    const router = new Router(topology);
    let seed = 12345;
    const next = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; // glibc LCG constants
      return seed % topology.hosts.length;
    };
    for (let f = 0; f < 1000; f++) {
      const path = router.route(topology.hosts[next()] ?? '', topology.hosts[next()] ?? '', `flow-${f}`);
      expect(path).not.toBeNull();
    }
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('Router on a leaf-spine', () => {
  it('spreads flows between racks over every spine', () => {
    // 2 leaves, 4 spines: host-leaf-spine-leaf-host, 4 equal paths; 200 flows use all 4 spines.
    const topology = buildTopology(leafSpine(2, 4, 1));
    const router = new Router(topology);
    const spines = new Set<string>();
    for (let f = 0; f < 200; f++) {
      const nodes = nodesOf(topology, router.route('h0-0', 'h1-0', `f${f}`) ?? new Int32Array(0), 'h0-0');
      expect(nodes).toHaveLength(5);
      spines.add(nodes[2] ?? '');
    }
    expect([...spines].sort()).toEqual(['s0', 's1', 's2', 's3']);
  });
});

describe('Router on a graph', () => {
  const node = (id: string, kind: 'host' | 'switch' = 'switch'): GraphSpec['nodes'][number] => ({ id, kind });

  it('returns null for an unreachable pair', () => {
    // Two islands: a–s1 and b–s2.
    const topology = buildTopology({
      kind: 'graph',
      nodes: [node('a', 'host'), node('b', 'host'), node('s1'), node('s2')],
      links: [cable('a', 's1'), cable('b', 's2')],
    });
    const router = new Router(topology);
    expect(router.route('a', 'b', 'k')).toBeNull();
    expect(router.reachable('a', 'b')).toBe(false);
    expect(router.minLatencyS('a', 'b')).toBe(Infinity);
    expect(router.route('a', 's1', 'k')).toHaveLength(1);
  });

  it('never sends a flow through a host', () => {
    // a–s1–m–s2–b where m is a host, plus a slow s1–s2 link (100 us). Through m would take
    // 4·1 us; the only allowed path is a–s1–s2–b, 1 + 100 + 1 = 102 us.
    const topology = buildTopology({
      kind: 'graph',
      nodes: [node('a', 'host'), node('b', 'host'), node('m', 'host'), node('s1'), node('s2')],
      links: [cable('a', 's1', 1e-6), cable('s1', 'm', 1e-6), cable('m', 's2', 1e-6), cable('s2', 'b', 1e-6), cable('s1', 's2', 1e-4)],
    });
    const router = new Router(topology);
    const path = router.route('a', 'b', 'k') ?? new Int32Array(0);
    expect(nodesOf(topology, path, 'a')).toEqual(['a', 's1', 's2', 'b']);
    expect(router.pathLatencyS(path)).toBeCloseTo(102e-6, 15);
    // m itself can still send and receive: m → s2 → b, 2 us.
    expect(router.minLatencyS('m', 'b')).toBeCloseTo(2e-6, 15);
    // Without the s1–s2 link, a and b are joined only through m: unreachable.
    const cut = buildTopology({
      kind: 'graph',
      nodes: [node('a', 'host'), node('b', 'host'), node('m', 'host'), node('s1'), node('s2')],
      links: [cable('a', 's1'), cable('s1', 'm'), cable('m', 's2'), cable('s2', 'b')],
    });
    expect(new Router(cut).route('a', 'b', 'k')).toBeNull();
  });

  it('treats paths whose latencies differ only by rounding as equal, whatever their hop counts', () => {
    // s→t directly 0.3 us, or s→u→t 0.1 + 0.2 us: in doubles 0.1e-6 + 0.2e-6 ≠ 0.3e-6 in the last
    // bit, yet both are least-latency paths and flows must use both.
    const topology = buildTopology({
      kind: 'graph',
      nodes: [node('a', 'host'), node('b', 'host'), node('s'), node('u'), node('t')],
      links: [cable('a', 's'), cable('s', 't', 0.3e-6), cable('s', 'u', 0.1e-6), cable('u', 't', 0.2e-6), cable('t', 'b')],
    });
    const router = new Router(topology);
    const lengths = new Set<number>();
    for (let f = 0; f < 100; f++) lengths.add(router.route('a', 'b', `f${f}`)?.length ?? -1);
    expect([...lengths].sort()).toEqual([3, 4]);
  });

  it('terminates over zero-latency loops', () => {
    // A ring of switches x–y–z–x with 0 s links, hosts a on x and b on z: least latency 2 us
    // (a–x, z–b), by x→z or x→y→z.
    const topology = buildTopology({
      kind: 'graph',
      nodes: [node('a', 'host'), node('b', 'host'), node('x'), node('y'), node('z')],
      links: [cable('a', 'x'), cable('x', 'y', 0), cable('y', 'z', 0), cable('z', 'x', 0), cable('z', 'b')],
    });
    const router = new Router(topology);
    for (let f = 0; f < 50; f++) {
      const path = router.route('a', 'b', `f${f}`) ?? new Int32Array(0);
      const nodes = nodesOf(topology, path, 'a');
      expect(new Set(nodes).size).toBe(nodes.length);
      expect(router.pathLatencyS(path)).toBeCloseTo(4e-6, 15);
    }
  });
});
