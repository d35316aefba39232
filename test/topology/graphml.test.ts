import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  EARTH_MEAN_RADIUS_KM,
  FIBRE_SPEED_M_PER_S,
  Router,
  buildTopology,
  capacityFromText,
  countTopology,
  fibreLatencyS,
  formatTopology,
  greatCircleKm,
  readGraphml,
  zooNodeNames,
  type GraphmlNetwork,
  type GraphmlSpec,
  type Topology,
} from '../../src/topology/index.js';

const ZOO = new URL('../../topologies/zoo/', import.meta.url);
/** Host links and defaults: 1 Gbit/s (1.25e8 B/s), 1 ms. */
const DEFAULT_LINK = { capacityBytesPerS: 1.25e8, latencyS: 1e-3 };

function network(text: string): GraphmlNetwork {
  const read = readGraphml(text);
  if (!read.ok) throw new Error(read.message);
  return read.network;
}

function zoo(file: string, hostsPerNode = 1): Topology {
  const spec: GraphmlSpec = {
    kind: 'graphml',
    file,
    hostsPerNode,
    link: DEFAULT_LINK,
    network: network(readFileSync(new URL(file, ZOO), 'utf8')),
  };
  return buildTopology(spec);
}

/** A GraphML text with the Zoo's keys: nodes [id, label?, lat?, lon?], edges [source, target, data...]. */
function graphml(nodes: [string, string?, number?, number?][], edges: [string, string, Record<string, string>?][]): string {
  const keys = [
    ['d0', 'node', 'label'],
    ['d1', 'node', 'Latitude'],
    ['d2', 'node', 'Longitude'],
    ['d3', 'edge', 'LinkSpeedRaw'],
    ['d4', 'edge', 'LinkLabel'],
    ['d5', 'edge', 'LinkType'],
  ];
  const keyOf = Object.fromEntries(keys.map(([id, , name]) => [name, id]));
  const lines = ['<?xml version="1.0" encoding="utf-8"?>', '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'];
  for (const [id, domain, name] of keys) lines.push(`<key attr.name="${name}" attr.type="string" for="${domain}" id="${id}"/>`);
  lines.push('<graph edgedefault="undirected">');
  for (const [id, label, lat, lon] of nodes) {
    const data = [label === undefined ? '' : `<data key="d0">${label}</data>`];
    if (lat !== undefined) data.push(`<data key="d1">${lat}</data>`);
    if (lon !== undefined) data.push(`<data key="d2">${lon}</data>`);
    lines.push(`<node id="${id}">${data.join('')}</node>`);
  }
  for (const [source, target, data = {}] of edges) {
    const values = Object.entries(data).map(([name, value]) => `<data key="${keyOf[name] ?? name}">${value}</data>`);
    lines.push(`<edge source="${source}" target="${target}">${values.join('')}</edge>`);
  }
  lines.push('</graph>', '</graphml>');
  return lines.join('\n');
}

function build(text: string, hostsPerNode = 1): Topology {
  return buildTopology({ kind: 'graphml', file: 'test.graphml', hostsPerNode, link: DEFAULT_LINK, network: network(text) });
}

function cableOf(topology: Topology, from: string, to: string) {
  return topology.graph.getEdgeAttributes(from, to);
}

describe('graphml: Abilene (Internet2, 2005)', () => {
  const topology = zoo('Abilene.graphml', 2);

  it('has 11 PoPs and 14 PoP links, named by label, each PoP with its hosts', () => {
    // 11 PoPs × 2 hosts = 22 hosts; 22 host cables + 14 PoP cables = 36 cables, 72 directed links.
    expect(countTopology(topology)).toEqual({
      hosts: 22,
      switches: 11,
      gateways: 0,
      directedLinks: 72,
      cables: 36,
      racks: 11,
      coreLinks: 28,
      coreCables: 14,
      sites: 0,
    });
    expect(topology.graph.filterNodes((_, a) => a.kind === 'switch')).toEqual([
      'New York', 'Chicago', 'Washington DC', 'Seattle', 'Sunnyvale', 'Los Angeles', 'Denver', 'Kansas City',
      'Houston', 'Atlanta', 'Indianapolis',
    ]);
    expect(topology.hosts.slice(0, 3)).toEqual(['New York/h0', 'New York/h1', 'Chicago/h0']);
    expect(topology.rackOf.get('Chicago/h1')).toBe('Chicago');
    expect(cableOf(topology, 'Chicago/h1', 'Chicago')).toMatchObject({ core: false, ...DEFAULT_LINK });
    expect(topology.graphml).toEqual({
      file: 'Abilene.graphml',
      network: 'Abilene',
      pops: 11,
      edges: 14,
      links: 14,
      defaultCapacityLinks: 0,
      defaultLatencyLinks: 0,
      mergedParallelEdges: 0,
      droppedSelfLoops: 0,
    });
  });

  it('reads OC-192 from LinkType/LinkLabel: 192 × 51.84 Mbit/s = 9953.28 Mbit/s (SONET, ANSI T1.105)', () => {
    // Abilene's edges have no LinkSpeedRaw, only LinkType "OC-192" and LinkLabel "OC-192c".
    expect(cableOf(topology, 'New York', 'Chicago')).toMatchObject({ core: true, capacityBytesPerS: 9953.28e6 / 8 });
    expect(cableOf(topology, 'Chicago', 'New York').capacityBytesPerS).toBeCloseTo(1244.16e6, 3);
  });

  it('gives New York–Chicago the latency of fibre along the great circle (hand computation)', () => {
    // New York (40.71427°N, 74.00597°W), Chicago (41.85003°N, 87.65005°W):
    //   φ1 = 0.710598064 rad, φ2 = 0.730420816 rad, Δφ = 0.019822752, Δλ = −0.238134119
    //   h = sin²(Δφ/2) + cos φ1 cos φ2 sin²(Δλ/2) = 9.82322e−5 + 7.966680e−3 = 8.064912e−3
    //   central angle = 2 asin(√h) = 0.179852015 rad; d = 6371.0088 km × 0.179852015 = 1145.839 km
    //   at 2/3 c = 199,861,638.7 m/s: 1,145,839 m / 199,861,638.7 m/s = 5.73316 ms
    expect(greatCircleKm(40.71427, -74.00597, 41.85003, -87.65005)).toBeCloseTo(1145.8388, 3);
    expect(cableOf(topology, 'New York', 'Chicago').latencyS).toBeCloseTo(5.73316e-3, 8);
    expect(cableOf(topology, 'Chicago', 'New York').latencyS).toBe(cableOf(topology, 'New York', 'Chicago').latencyS);
  });

  it('routes Seattle to Washington DC over the least-latency PoP path', () => {
    // Seattle–Denver–Kansas City–Indianapolis–Atlanta–Washington DC: the longest least-latency PoP path of
    // Abilene, 24.132 ms; host to host adds the two 1 ms access links.
    const router = new Router(topology);
    const path = router.route('Seattle/h0', 'Washington DC/h1', 'f') ?? [];
    expect([...path].map((i) => topology.links.to[i])).toEqual([
      'Seattle', 'Denver', 'Kansas City', 'Indianapolis', 'Atlanta', 'Washington DC', 'Washington DC/h1',
    ]);
    expect(router.minLatencyS('Seattle', 'Washington DC')).toBeCloseTo(24.1322e-3, 7);
    expect(router.pathLatencyS(path)).toBeCloseTo(26.1322e-3, 7);
  });

  it('says in the summary how many links used defaults', () => {
    expect(formatTopology(topology, 'summary')).toContain('defaults used: capacity on 0 of 14 PoP links, latency on 0');
  });
});

describe('graphml: GEANT 2012', () => {
  const topology = zoo('Geant2012.graphml');

  it('has 40 PoPs and 61 links, 22 of them without a speed the file gives', () => {
    // 21 edges carry only an id; one says "Lit Fibre" / "Fibre", which names no rate. All 40 PoPs have
    // coordinates, so no latency is a default.
    expect(countTopology(topology)).toMatchObject({ hosts: 40, switches: 40, coreCables: 61, cables: 101 });
    expect(topology.graphml).toMatchObject({ pops: 40, edges: 61, links: 61, defaultCapacityLinks: 22, defaultLatencyLinks: 0 });
    expect(formatTopology(topology, 'summary')).toContain('capacity on 22 of 61 PoP links, latency on 0');
  });

  it('takes LinkSpeedRaw where it is given, and the default where the file is silent', () => {
    // NL–UK: LinkSpeedRaw 2.5e9 bit/s. NL–BE: no speed at all → the default 1 Gbit/s.
    expect(cableOf(topology, 'NL', 'UK').capacityBytesPerS).toBe(2.5e9 / 8);
    expect(cableOf(topology, 'NL', 'BE').capacityBytesPerS).toBe(DEFAULT_LINK.capacityBytesPerS);
    expect(cableOf(topology, 'NL', 'BE').latencyS).toBeCloseTo(fibreLatencyS(greatCircleKm(52.37403, 4.88969, 50.85045, 4.34878)), 15);
  });
});

describe('graphml: conventions where the file is odd', () => {
  it('uses the default latency where an end has no coordinates, and counts it', () => {
    const topology = build(graphml([['0', 'A', 10, 20], ['1', 'B'], ['2', 'C', 10, 21]], [['0', '1'], ['0', '2', { LinkSpeedRaw: '1e10' }]]));
    expect(cableOf(topology, 'A', 'B')).toMatchObject(DEFAULT_LINK);
    // 1° of longitude at 10°N: 6371.0088 km × cos 10° × π/180 (to first order) ≈ 109.5 km → ≈ 0.548 ms.
    expect(cableOf(topology, 'A', 'C').latencyS).toBeCloseTo(0.548e-3, 5);
    expect(cableOf(topology, 'A', 'C').capacityBytesPerS).toBe(1.25e9);
    expect(topology.graphml).toMatchObject({ links: 2, defaultCapacityLinks: 1, defaultLatencyLinks: 1 });
  });

  it('merges parallel edges (capacities add) and drops self-loops', () => {
    // A–B twice: OC-48 (2488.32 Mbit/s) + LinkSpeedRaw 1e9 = 3488.32 Mbit/s; B–A once more without a speed:
    // + the 1 Gbit/s default, and the merged cable counts as having used a default. A–A is dropped.
    const text = graphml(
      [['a', 'A', 0, 0], ['b', 'B', 0, 1]],
      [['a', 'b', { LinkLabel: 'OC-48' }], ['a', 'b', { LinkSpeedRaw: '1000000000' }], ['b', 'a'], ['a', 'a', { LinkSpeedRaw: '1e9' }]],
    );
    const topology = build(text);
    expect(cableOf(topology, 'A', 'B').capacityBytesPerS).toBeCloseTo((2488.32e6 + 1e9 + 1e9) / 8, 3);
    expect(topology.graphml).toMatchObject({ edges: 4, links: 1, mergedParallelEdges: 2, droppedSelfLoops: 1, defaultCapacityLinks: 1 });
    expect(countTopology(topology).coreCables).toBe(1);
  });

  it('names a node by its id where its label is missing or repeated', () => {
    const nodes = [
      { id: '0', label: 'Paris' },
      { id: '1', label: 'Paris' },
      { id: '2' },
      { id: '3', label: 'Rome' },
      // Its label is node 2's fallback name: both cannot be "2", so it falls back to its own id too.
      { id: '4', label: '2' },
    ];
    expect([...zooNodeNames(nodes).values()]).toEqual(['0', '1', '2', 'Rome', '4']);
    const topology = build(graphml([['0', 'Paris'], ['1', 'Paris'], ['2'], ['3', 'Rome']], [['0', '3']]), 2);
    expect(topology.graph.nodes()).toEqual(['0', '0/h0', '0/h1', '1', '1/h0', '1/h1', '2', '2/h0', '2/h1', 'Rome', 'Rome/h0', 'Rome/h1']);
  });

  it('reads key defaults, namespaced elements and entities', () => {
    const text = `<g:graphml xmlns:g="http://graphml.graphdrawing.org/xmlns">
      <g:key id="t" for="edge" attr.name="LinkType"><g:default>OC-3</g:default></g:key>
      <g:key id="l" for="node" attr.name="label"/>
      <g:graph><g:node id="a"><g:data key="l">AT&amp;T</g:data></g:node><g:node id="b"/><g:edge source="a" target="b"/></g:graph>
    </g:graphml>`;
    const topology = build(text);
    expect(cableOf(topology, 'AT&T', 'b').capacityBytesPerS).toBeCloseTo(155.52e6 / 8, 6);
  });
});

describe('capacityFromText', () => {
  it.each([
    ['OC-192', 9953.28e6],
    ['OC-192c', 9953.28e6],
    ['OC-48', 2488.32e6],
    ['OC12', 622.08e6],
    ['oc-3', 155.52e6],
    ['2 x OC-192', 2 * 9953.28e6],
    ['STM-16', 2488.32e6],
    ['STM-1', 155.52e6],
    ['10 Gbps', 1e10],
    ['2.5Gbps', 2.5e9],
    ['<10 Gbps', 1e10],
    ['1 Gb/s', 1e9],
    ['155 Mbps', 155e6],
    ['10 Gbit/s', 1e10],
    ['100 Mbit/s', 1e8],
    ['10G', 1e10],
    ['10GE', 1e10],
    ['1 GigE', 1e9],
    ['2x10G', 2e10],
    ['2,5 Gbps', 2.5e9],
    ['T1', 1.544e6],
    ['DS3', 44.736e6],
    ['E1', 2.048e6],
  ])('%s is %d bit/s', (text, bits) => {
    expect(capacityFromText(text)).toBeCloseTo(bits, 0);
  });

  it.each(['Lit Fibre', 'Fibre', 'c', '10', '', 'Gbps', 'Ethernet'])('%j names no capacity', (text) => {
    expect(capacityFromText(text)).toBeUndefined();
  });
});

describe('great circle and fibre latency', () => {
  it('uses the IUGG mean radius and 2/3 of c', () => {
    expect(EARTH_MEAN_RADIUS_KM).toBe(6371.0088);
    expect(FIBRE_SPEED_M_PER_S).toBeCloseTo(199_861_638.67, 2);
    // A quarter of a great circle (pole to equator) is π/2 × R; half the Earth's circumference, π × R.
    expect(greatCircleKm(90, 0, 0, 0)).toBeCloseTo((Math.PI / 2) * 6371.0088, 9);
    expect(greatCircleKm(0, 0, 0, 180)).toBeCloseTo(Math.PI * 6371.0088, 9);
    expect(greatCircleKm(12.5, 7, 12.5, 7)).toBe(0);
    // 1000 km of fibre: 1e6 m / 199,861,638.67 m/s = 5.00346 ms.
    expect(fibreLatencyS(1000)).toBeCloseTo(5.00346e-3, 8);
  });
});

describe('readGraphml', () => {
  it.each([
    ['not XML', 'hello, world', /^not well-formed XML at line 1, column 1/],
    ['JSON', '{"nodes": []}', /^not well-formed XML/],
    ['broken XML', '<graphml><graph></graphml>', /^not well-formed XML at line 1.*closing tag/],
    ['another root', '<svg><g/></svg>', /^the root element is <svg>, not <graphml>/],
    ['no graph', '<graphml/>', /^the file has no <graph>/],
    ['no nodes', '<graphml><graph edgedefault="undirected"></graph></graphml>', /^the graph has no nodes/],
    ['a node without id', '<graphml><graph><node/></graph></graphml>', /^<node> number 1 has no id/],
    ['duplicate node ids', '<graphml><graph><node id="a"/><node id="a"/></graph></graphml>', /^two nodes have the id "a"/],
    ['an edge to no node', '<graphml><graph><node id="a"/><edge source="a" target="z"/></graph></graphml>', /^<edge> number 1 has target "z", which is no node/],
    ['an edge without source', '<graphml><graph><node id="a"/><edge target="a"/></graph></graphml>', /^<edge> number 1 has no source/],
    ['a latitude out of range', graphml([['0', 'A', 95, 0]], []), /^node "0" has Latitude "95" \(expected a number from -90 to 90\)/],
    ['a longitude that is no number', graphml([['0', 'A', 0, 'east' as unknown as number]], []), /^node "0" has Longitude "east"/],
    ['a LinkSpeedRaw that is no number', graphml([['0'], ['1']], [['0', '1', { LinkSpeedRaw: 'fast' }]]), /^<edge> number 1 \(0–1\) has LinkSpeedRaw "fast"/],
  ])('refuses %s', (_what, text, message) => {
    const read = readGraphml(text);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.message).toMatch(message);
  });
});
