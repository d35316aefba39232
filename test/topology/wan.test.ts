import { describe, expect, it } from 'vitest';
import {
  Router,
  buildTopology,
  countTopology,
  gatewayOf,
  siteOf,
  type GraphSpec,
  type WanSpec,
} from '../../src/topology/index.js';
import { LINK, cable, fatTree, leafSpine } from './helpers.js';

const WAN_LINK = { capacityBytesPerS: 1.25e9, latencyS: 0.02 };

/** Two k=4 fat-trees joined by one 10 Gbit/s, 20 ms WAN link. */
function twoFatTrees(extra: Partial<WanSpec> = {}): WanSpec {
  return {
    kind: 'wan',
    sites: [
      { name: 'dc1', topology: fatTree(4) },
      { name: 'dc2', topology: fatTree(4) },
    ],
    wanLinks: [{ from: 'dc1', to: 'dc2', ...WAN_LINK }],
    ...extra,
  };
}

/** A branch office written as a graph: two hosts on one switch, the switch on the declared gateway gw. */
const branch: GraphSpec = {
  kind: 'graph',
  nodes: [
    { id: 'x', kind: 'host' },
    { id: 'y', kind: 'host', zone: 'trusted' },
    { id: 'sw', kind: 'switch' },
    { id: 'gw', kind: 'gateway' },
  ],
  links: [cable('x', 'sw'), cable('y', 'sw'), { ...cable('sw', 'gw'), zone: 'untrusted' }],
};

describe('wan topology', () => {
  it('builds every site under its own prefix, a gateway per built-in site, and the WAN link', () => {
    // Per k=4 fat-tree: 16 hosts, 20 switches, 48 cables; plus a gateway on its 4 core switches (4 cables).
    // Two sites: 32 hosts, 40 switches, 2 gateways, 2 × (48 + 4) + 1 WAN = 105 cables = 210 directed links.
    // Core cables: 16 aggregation–core per site and the WAN link = 33.
    const topology = buildTopology(twoFatTrees());
    expect(topology.kind).toBe('wan');
    expect(countTopology(topology)).toEqual({
      hosts: 32,
      switches: 40,
      gateways: 2,
      directedLinks: 210,
      cables: 105,
      racks: 16,
      coreLinks: 66,
      coreCables: 33,
      sites: 2,
    });
    expect(topology.hosts.slice(0, 2)).toEqual(['dc1/h0-0-0', 'dc1/h0-0-1']);
    expect(topology.hosts.at(-1)).toBe('dc2/h3-1-1');
    expect(topology.graph.getNodeAttributes('dc2/gw')).toEqual({ kind: 'gateway', site: 'dc2' });
    expect(topology.graph.neighbors('dc1/gw').sort()).toEqual(['dc1/c0', 'dc1/c1', 'dc1/c2', 'dc1/c3', 'dc2/gw']);
  });

  it('makes the WAN link a core link in both directions, the gateway links not', () => {
    const { graph } = buildTopology(twoFatTrees());
    expect(graph.getEdgeAttributes('dc1/gw', 'dc2/gw')).toMatchObject({ core: true, zone: 'trusted', ...WAN_LINK });
    expect(graph.getEdgeAttributes('dc2/gw', 'dc1/gw')).toMatchObject({ core: true, capacityBytesPerS: 1.25e9 });
    // The gateway joins the core tier with the fat-tree's aggregation–core link (here LINK).
    expect(graph.getEdgeAttributes('dc1/c0', 'dc1/gw')).toMatchObject({ core: false, ...LINK });
    expect(graph.getEdgeAttributes('dc1/a0-0', 'dc1/c0')).toMatchObject({ core: true });
  });

  it('records the site on every node, prefixes racks, and keeps pods', () => {
    const topology = buildTopology(twoFatTrees());
    topology.graph.forEachNode((id, attributes) => expect(attributes.site, id).toBe(id.split('/')[0]));
    expect(siteOf(topology, 'dc2/h1-0-1')).toBe('dc2');
    expect(siteOf(topology, 'nowhere')).toBeUndefined();
    expect(topology.rackOf.get('dc2/h1-0-1')).toBe('dc2/e1-0');
    expect(topology.graph.getNodeAttributes('dc1/h3-1-0')).toEqual({ kind: 'host', pod: 3, rack: 'dc1/e3-1', site: 'dc1' });
    expect(gatewayOf('dc1')).toBe('dc1/gw');
  });

  it('routes between sites through both gateways, spreading flows over the core switches (ECMP)', () => {
    // dc1/h0-0-0 → dc2/h1-1-1: host, edge, aggregation, core, gw in dc1; the WAN link; gw, core, aggregation,
    // edge, host in dc2: 9 links, 8 of 2 us and the 20 ms WAN link = 20.016 ms.
    const topology = buildTopology(twoFatTrees());
    const router = new Router(topology);
    const cores = new Set<string>();
    for (let flow = 0; flow < 64; flow++) {
      const path = router.route('dc1/h0-0-0', 'dc2/h1-1-1', `flow${flow}`);
      expect(path).not.toBeNull();
      const ids = [...(path ?? [])].map((i) => topology.links.id[i] ?? '');
      expect(ids).toHaveLength(9);
      expect(ids[3]).toMatch(/^dc1\/c\d->dc1\/gw$/);
      expect(ids[4]).toBe('dc1/gw->dc2/gw');
      expect(ids[5]).toMatch(/^dc2\/gw->dc2\/c\d$/);
      expect(router.pathLatencyS(path ?? [])).toBeCloseTo(0.020016, 12);
      cores.add(ids[3]?.split('->')[0] ?? '');
    }
    // a0-0 reaches c0, c1 and a0-1 reaches c2, c3: all four core switches carry some of the 64 flows.
    expect([...cores].sort()).toEqual(['dc1/c0', 'dc1/c1', 'dc1/c2', 'dc1/c3']);
  });

  it('keeps routes inside a site inside it', () => {
    const topology = buildTopology(twoFatTrees());
    const path = new Router(topology).route('dc1/h0-0-0', 'dc1/h3-0-0', 'f');
    const ids = [...(path ?? [])].map((i) => topology.links.id[i] ?? '');
    expect(ids).toHaveLength(6);
    expect(ids.every((id) => !id.includes('gw') && !id.includes('dc2'))).toBe(true);
  });

  it('joins a leaf-spine site at every spine, by its uplink unless gatewayLink says otherwise', () => {
    const uplink = { capacityBytesPerS: 5e9, latencyS: 1e-6 };
    const gatewayLink = { capacityBytesPerS: 2.5e9, latencyS: 5e-6 };
    const spec: WanSpec = {
      kind: 'wan',
      sites: [
        { name: 'a', topology: { ...leafSpine(2, 3, 2), uplink } },
        { name: 'b', topology: leafSpine(2, 3, 2), gatewayLink },
      ],
      wanLinks: [{ from: 'a', to: 'b', ...WAN_LINK }],
    };
    const { graph } = buildTopology(spec);
    expect(graph.neighbors('a/gw').sort()).toEqual(['a/s0', 'a/s1', 'a/s2', 'b/gw']);
    expect(graph.getEdgeAttributes('a/s2', 'a/gw')).toMatchObject(uplink);
    expect(graph.getEdgeAttributes('b/s0', 'b/gw')).toMatchObject(gatewayLink);
    expect(graph.getNodeAttribute('b/l1', 'rack')).toBe('b/l1');
  });

  it('uses the declared gateway of a graph site; zones: the site for nodes, declared for links', () => {
    const spec: WanSpec = {
      kind: 'wan',
      sites: [
        { name: 'dc', topology: fatTree(2) },
        { name: 'branch', zone: 'untrusted', topology: branch },
      ],
      wanLinks: [{ from: 'branch', to: 'dc', ...WAN_LINK, zone: 'untrusted' }],
    };
    const topology = buildTopology(spec);
    const { graph } = topology;
    expect(graph.getNodeAttributes('branch/gw')).toEqual({ kind: 'gateway', site: 'branch', zone: 'untrusted' });
    // The site's zone applies to its nodes, unless a node says its own.
    expect(graph.getNodeAttribute('branch/x', 'zone')).toBe('untrusted');
    expect(graph.getNodeAttribute('branch/y', 'zone')).toBe('trusted');
    expect(graph.getNodeAttribute('dc/h0-0-0', 'zone')).toBeUndefined();
    // Links keep their own zone: the branch's LAN link is trusted, its declared uplink and the WAN link not.
    expect(graph.getEdgeAttribute('branch/x', 'branch/sw', 'zone')).toBe('trusted');
    expect(graph.getEdgeAttribute('branch/gw', 'branch/sw', 'zone')).toBe('untrusted');
    expect(graph.getEdgeAttributes('dc/gw', 'branch/gw')).toMatchObject({ core: true, zone: 'untrusted' });
    expect(topology.rackOf.get('branch/x')).toBe('branch/sw');
    const path = new Router(topology).route('branch/x', 'dc/h1-0-0', 'f');
    expect([...(path ?? [])].map((i) => topology.links.id[i])).toEqual([
      'branch/x->branch/sw',
      'branch/sw->branch/gw',
      'branch/gw->dc/gw',
      'dc/gw->dc/c0',
      'dc/c0->dc/a1-0',
      'dc/a1-0->dc/e1-0',
      'dc/e1-0->dc/h1-0-0',
    ]);
  });

  it('leaves sites without a WAN link between them unreachable from each other', () => {
    const topology = buildTopology(twoFatTrees({ wanLinks: [] }));
    expect(new Router(topology).route('dc1/h0-0-0', 'dc2/h0-0-0', 'f')).toBeNull();
  });

  it('throws a topology: error for a graph site without a gateway gw, or with gw not a gateway', () => {
    const noGateway: GraphSpec = { ...branch, nodes: branch.nodes.filter((n) => n.id !== 'gw'), links: branch.links.slice(0, 2) };
    const site = (topology: GraphSpec): WanSpec => ({ kind: 'wan', sites: [{ name: 'b', topology }], wanLinks: [] });
    expect(() => buildTopology(site(noGateway))).toThrow(/^topology: site b has no node "gw"/);
    const switchGateway: GraphSpec = { ...branch, nodes: branch.nodes.map((n) => (n.id === 'gw' ? { ...n, kind: 'switch' as const } : n)) };
    expect(() => buildTopology(site(switchGateway))).toThrow(/^topology: site b has "gw" as a switch/);
  });
});
