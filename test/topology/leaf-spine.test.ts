import { describe, expect, it } from 'vitest';
import { buildTopology, countTopology } from '../../src/topology/index.js';
import { leafSpine, LINK } from './helpers.js';

describe('leaf-spine', () => {
  it('has leaves·hostsPerLeaf hosts and leaves·(hostsPerLeaf + spines) cables', () => {
    // 4 leaves, 2 spines, 3 hosts per leaf: 12 hosts, 6 switches; cables 4·3 host–leaf + 4·2
    // leaf–spine = 20 → 40 directed links, 16 of them core (leaf–spine); 4 racks (one per leaf).
    const topology = buildTopology(leafSpine(4, 2, 3));
    const counts = countTopology(topology);
    expect(counts).toMatchObject({ hosts: 12, switches: 6, directedLinks: 40, cables: 20, coreLinks: 16, racks: 4 });
    expect(topology.hosts.slice(0, 4)).toEqual(['h0-0', 'h0-1', 'h0-2', 'h1-0']);
    expect(topology.rackOf.get('h3-2')).toBe('l3');
    expect(topology.graph.outNeighbors('l2').sort()).toEqual(['h2-0', 'h2-1', 'h2-2', 's0', 's1']);
    expect(topology.graph.getEdgeAttributes('l0', 's1')).toMatchObject({ ...LINK, core: true });
  });

  it('uses uplink for leaf–spine links when given', () => {
    // uplink 5e9 B/s (40 Gbit/s); host links keep 1.25e9 B/s.
    const uplink = { capacityBytesPerS: 5e9, latencyS: 1e-6 };
    const { graph } = buildTopology({ ...leafSpine(2, 2, 1), uplink });
    expect(graph.getEdgeAttributes('s1', 'l0')).toMatchObject(uplink);
    expect(graph.getEdgeAttribute('h0-0', 'l0', 'capacityBytesPerS')).toBe(1.25e9);
  });
});
