import { describe, expect, it } from 'vitest';
import { buildTopology, countTopology, type GraphSpec } from '../../src/topology/index.js';
import { cable } from './helpers.js';

describe('graph topology', () => {
  const spec: GraphSpec = {
    kind: 'graph',
    nodes: [
      { id: 'a', kind: 'host', site: 'x' },
      { id: 'b', kind: 'host', zone: 'untrusted' },
      { id: 'm', kind: 'host' },
      { id: 's1', kind: 'switch', site: 'x' },
      { id: 's2', kind: 'switch' },
      { id: 'gw', kind: 'gateway' },
    ],
    links: [
      cable('a', 's1'),
      cable('b', 's2'),
      { ...cable('s1', 'gw'), core: true, zone: 'untrusted' },
      cable('m', 's1'),
      cable('m', 's2'),
    ],
  };

  it('builds nodes and full-duplex links exactly as written', () => {
    // 5 cables → 10 directed links; the s1–gw cable is core and untrusted in both directions.
    const topology = buildTopology(spec);
    expect(topology.hosts).toEqual(['a', 'b', 'm']);
    expect(countTopology(topology)).toMatchObject({ hosts: 3, switches: 2, gateways: 1, directedLinks: 10, sites: 1 });
    expect(topology.graph.getEdgeAttributes('gw', 's1')).toMatchObject({ core: true, zone: 'untrusted' });
    expect(topology.graph.getEdgeAttributes('a', 's1')).toMatchObject({ core: false, zone: 'trusted' });
    expect(topology.graph.getNodeAttributes('b')).toEqual({ kind: 'host', zone: 'untrusted', rack: 's2' });
  });

  it("gives a host the rack of its only switch, and none to a multi-homed host", () => {
    // a → s1, b → s2; m is attached to s1 and s2, so it has no rack.
    const topology = buildTopology(spec);
    expect([...topology.rackOf]).toEqual([
      ['a', 's1'],
      ['b', 's2'],
    ]);
    expect(topology.graph.getNodeAttribute('s1', 'rack')).toBe('s1');
  });

  it('throws a topology: error on an unknown endpoint, a duplicate node or a duplicate link', () => {
    const withLinks = (links: GraphSpec['links']): GraphSpec => ({ ...spec, links });
    expect(() => buildTopology(withLinks([cable('a', 'nowhere')]))).toThrow(/^topology: .*unknown node nowhere/);
    expect(() => buildTopology({ ...spec, nodes: [...spec.nodes, { id: 'a', kind: 'switch' }] })).toThrow(
      /^topology: duplicate node a/,
    );
    expect(() => buildTopology(withLinks([cable('a', 's1'), cable('s1', 'a')]))).toThrow(/^topology: duplicate link/);
    expect(() => buildTopology(withLinks([cable('s1', 's1')]))).toThrow(/^topology: /);
  });
});
