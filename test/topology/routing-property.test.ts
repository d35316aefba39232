import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildTopology, Router, type GraphSpec, type NodeKind } from '../../src/topology/index.js';
import { cable } from './helpers.js';

/** Least latency from `source` to every node, by Bellman–Ford, only hosts other than `source`
 * relaying nothing: the definition Router must meet, computed the slow, obvious way. */
function reference(spec: GraphSpec, source: string): Map<string, number> {
  const kind = new Map(spec.nodes.map((node) => [node.id, node.kind]));
  const latency = new Map(spec.nodes.map((node) => [node.id, node.id === source ? 0 : Infinity]));
  const directed = spec.links.flatMap((link) => [
    [link.from, link.to, link.latencyS] as const,
    [link.to, link.from, link.latencyS] as const,
  ]);
  for (let round = 0; round < spec.nodes.length; round++) {
    for (const [from, to, latencyS] of directed) {
      if (from !== source && kind.get(from) === 'host') continue;
      const via = (latency.get(from) ?? Infinity) + latencyS;
      if (via < (latency.get(to) ?? Infinity)) latency.set(to, via);
    }
  }
  return latency;
}

// Small graphs of 2..7 nodes, each a host or a switch, with any set of cables whose latencies
// come from {0, 1, 2, 3} us so that equal-latency ties and 0-latency loops are common.
const graphs = fc
  .record({
    kinds: fc.array(fc.constantFrom<NodeKind>('host', 'switch'), { minLength: 2, maxLength: 7 }),
    cables: fc.array(fc.tuple(fc.nat(6), fc.nat(6), fc.constantFrom(0, 1e-6, 2e-6, 3e-6)), { maxLength: 14 }),
  })
  .map(({ kinds, cables }): GraphSpec => {
    const seen = new Set<string>();
    const links = cables.flatMap(([a, b, latencyS]) => {
      const [i, j] = [a % kinds.length, b % kinds.length].sort((x, y) => x - y);
      if (i === j || seen.has(`${i}-${j}`)) return [];
      seen.add(`${i}-${j}`);
      return [cable(`n${i}`, `n${j}`, latencyS)];
    });
    return { kind: 'graph', nodes: kinds.map((kind, i) => ({ id: `n${i}`, kind })), links };
  });

describe('Router on random graphs', () => {
  it('finds a least-latency, loop-free path through no host exactly when one exists', () => {
    fc.assert(
      fc.property(graphs, fc.string({ maxLength: 4 }), (spec, flowKey) => {
        const topology = buildTopology(spec);
        const router = new Router(topology);
        const isHost = (id: string): boolean => topology.graph.getNodeAttribute(id, 'kind') === 'host';
        for (const { id: from } of spec.nodes) {
          const best = reference(spec, from);
          for (const { id: to } of spec.nodes) {
            const bestS = best.get(to) ?? Infinity;
            const path = router.route(from, to, flowKey);
            expect(router.reachable(from, to)).toBe(Number.isFinite(bestS));
            if (!Number.isFinite(bestS)) {
              expect(path).toBeNull();
              continue;
            }
            expect(path).not.toBeNull();
            const nodes = [from];
            for (const link of path ?? []) {
              expect(topology.links.from[link]).toBe(nodes.at(-1));
              nodes.push(topology.links.to[link] ?? '');
            }
            expect(nodes.at(-1)).toBe(to);
            expect(new Set(nodes).size).toBe(nodes.length);
            expect(nodes.slice(1, -1).filter(isHost)).toEqual([]);
            expect(Math.abs(router.pathLatencyS(path ?? []) - bestS)).toBeLessThanOrEqual(1e-9 * bestS + 1e-18);
            expect(Math.abs(router.minLatencyS(from, to) - bestS)).toBeLessThanOrEqual(1e-9 * bestS + 1e-18);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
