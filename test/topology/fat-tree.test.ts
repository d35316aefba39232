import { describe, expect, it } from 'vitest';
import { buildTopology, countTopology } from '../../src/topology/index.js';
import { fatTree, LINK } from './helpers.js';

describe('fat-tree (Al-Fares et al. 2008)', () => {
  it.each([
    // k=4: k^3/4 = 16 hosts; k^2/4 = 4 core + k·k/2 = 8 edge + 8 aggregation = 20 switches;
    // 3k^3/4 = 48 cables → 96 directed links; k^3/4 = 16 of the cables are aggregation–core → 32 core links.
    { k: 4, hosts: 16, switches: 20, links: 96, coreLinks: 32, racks: 8 },
    // k=8: 128 hosts; 16 core + 32 edge + 32 aggregation = 80 switches; 3·512/4 = 384 cables → 768
    // directed links; 128 aggregation–core cables → 256 core links; 32 edge switches = 32 racks.
    { k: 8, hosts: 128, switches: 80, links: 768, coreLinks: 256, racks: 32 },
    // k=2: 2 hosts, 1 core + 2 edge + 2 aggregation; 6 cables → 12 directed links; 2 aggregation–core
    // cables → 4 core links.
    { k: 2, hosts: 2, switches: 5, links: 12, coreLinks: 4, racks: 2 },
  ])('k=$k has $hosts hosts, $switches switches, $links directed links', ({ k, hosts, switches, links, coreLinks, racks }) => {
    const topology = buildTopology(fatTree(k));
    const counts = countTopology(topology);
    expect(topology.hosts).toHaveLength(hosts);
    expect(counts.hosts).toBe(hosts);
    expect(counts.switches).toBe(switches);
    expect(counts.gateways).toBe(0);
    expect(topology.links.count).toBe(links);
    expect(topology.graph.size).toBe(links);
    expect(counts.cables).toBe(links / 2);
    expect(counts.coreLinks).toBe(coreLinks);
    expect(counts.racks).toBe(racks);
  });

  it('names nodes as CONTRACT.md says and lists hosts pod by pod, edge by edge', () => {
    // k=4: hosts h<pod>-<edge>-<i> with pod 0..3, edge 0..1, i 0..1; core c0..c3.
    const topology = buildTopology(fatTree(4));
    expect(topology.hosts.slice(0, 5)).toEqual(['h0-0-0', 'h0-0-1', 'h0-1-0', 'h0-1-1', 'h1-0-0']);
    expect(topology.hosts.at(-1)).toBe('h3-1-1');
    for (const id of ['c0', 'c3', 'a0-0', 'a3-1', 'e0-0', 'e3-1']) {
      expect(topology.graph.getNodeAttribute(id, 'kind')).toBe('switch');
    }
    expect(topology.graph.hasNode('c4')).toBe(false);
    expect(topology.graph.hasNode('e0-2')).toBe(false);
  });

  it('wires core c<j> to a<p>-<floor(j/(k/2))> in every pod, and edges to every aggregation of their pod', () => {
    // k=4, k/2 = 2: c0, c1 → a<p>-0; c2, c3 → a<p>-1, for p = 0..3.
    const { graph } = buildTopology(fatTree(4));
    expect(graph.outNeighbors('c0').sort()).toEqual(['a0-0', 'a1-0', 'a2-0', 'a3-0']);
    expect(graph.outNeighbors('c3').sort()).toEqual(['a0-1', 'a1-1', 'a2-1', 'a3-1']);
    expect(graph.outNeighbors('e2-1').sort()).toEqual(['a2-0', 'a2-1', 'h2-1-0', 'h2-1-1']);
    expect(graph.outNeighbors('a1-1').sort()).toEqual(['c2', 'c3', 'e1-0', 'e1-1']);
  });

  it('puts each host in the rack of its edge switch, and marks pods', () => {
    // A rack is an edge switch and its k/2 hosts: rack e1-0 = {h1-0-0, h1-0-1} for k=4.
    const topology = buildTopology(fatTree(4));
    expect(topology.rackOf.get('h1-0-1')).toBe('e1-0');
    expect(topology.rackOf.size).toBe(16);
    expect([...topology.rackOf].filter(([, rack]) => rack === 'e1-0').map(([host]) => host)).toEqual([
      'h1-0-0',
      'h1-0-1',
    ]);
    expect(topology.graph.getNodeAttributes('e1-0')).toMatchObject({ rack: 'e1-0', pod: 1 });
    expect(topology.graph.getNodeAttributes('a2-1')).toEqual({ kind: 'switch', pod: 2 });
    expect(topology.graph.getNodeAttributes('c0')).toEqual({ kind: 'switch' });
  });

  it('numbers links contiguously, pairs each cable, and marks exactly aggregation–core links core', () => {
    const topology = buildTopology(fatTree(4));
    const { graph, links } = topology;
    // The graph's edge key is the link's index (assemble.ts linkKey), its ends the link's.
    graph.forEachEdge((key, attributes, from, to) => {
      expect(key).toBe(String(attributes.index));
      expect(links.id[attributes.index]).toBe(`${from}->${to}`);
    });
    // Index 2c and 2c+1 are the two directions of cable c.
    for (let c = 0; c < links.count / 2; c++) {
      expect(links.from[2 * c]).toBe(links.to[2 * c + 1]);
      expect(links.to[2 * c]).toBe(links.from[2 * c + 1]);
    }
    for (let i = 0; i < links.count; i++) {
      const ends = [links.from[i], links.to[i]].map((id) => id?.[0]).sort().join('');
      expect(links.core[i]).toBe(ends === 'ac' ? 1 : 0);
      expect(links.id[i]).toBe(`${links.from[i]}->${links.to[i]}`);
    }
  });

  it('divides uplinks by the oversubscription and lets coreLink override aggregation–core', () => {
    // oversubscription 4: edge–aggregation 1.25e9 / 4 = 3.125e8 B/s; coreLink 1e9 B/s, 5 us.
    const coreLink = { capacityBytesPerS: 1e9, latencyS: 5e-6 };
    const { graph } = buildTopology(fatTree(4, { oversubscription: 4, coreLink }));
    expect(graph.getEdgeAttributes('h0-0-0', 'e0-0')).toMatchObject(LINK);
    expect(graph.getEdgeAttributes('e0-0', 'a0-1')).toMatchObject({ capacityBytesPerS: 3.125e8, latencyS: 2e-6 });
    expect(graph.getEdgeAttributes('c0', 'a3-0')).toMatchObject({ ...coreLink, core: true, zone: 'trusted' });
    // Without coreLink, aggregation–core links are also link / oversubscription.
    const plain = buildTopology(fatTree(4, { oversubscription: 4 }));
    expect(plain.graph.getEdgeAttribute('a0-0', 'c1', 'capacityBytesPerS')).toBe(3.125e8);
  });
});
