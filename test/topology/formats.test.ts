import { describe, expect, it } from 'vitest';
import { buildTopology, formatBitRate, formatTopology, type GraphSpec, type TopologyJson } from '../../src/topology/index.js';
import { fatTree } from './helpers.js';

/** A minimal well-formedness check (no XML dependency): every tag closes in order, attributes
 * are quoted, and no raw `&` or `<` sits in text or attribute values. Returns the element names. */
function xmlElements(xml: string): string[] {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '').replace(/<!--[\s\S]*?-->/g, '');
  const open: string[] = [];
  const names: string[] = [];
  const token = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+="[^"<&]*(?:&(?:amp|lt|gt|quot|apos);[^"<&]*)*")*)\s*(\/?)>|([^<]+)/gy;
  let end = 0;
  for (let match = token.exec(body); match !== null; match = token.exec(body)) {
    end = token.lastIndex;
    const [, closing, name, , selfClosing, text] = match;
    if (text !== undefined) {
      expect(text).toMatch(/^(?:[^&<]|&(?:amp|lt|gt|quot|apos);)*$/);
    } else if (closing === '/') {
      expect(open.pop()).toBe(name);
    } else {
      names.push(name ?? '');
      if (selfClosing !== '/') open.push(name ?? '');
    }
  }
  expect(end).toBe(body.length); // the whole document was tokenized
  expect(open).toEqual([]);
  return names;
}

describe('formatTopology', () => {
  const topology = buildTopology(fatTree(4));

  it('summary gives the counts', () => {
    // k=4: 16 hosts, 20 switches, 96 directed links = 48 cables, 32 core links (16 cables), 8 racks.
    const text = formatTopology(topology, 'summary');
    expect(text).toMatch(/^kind: +fat-tree$/m);
    expect(text).toMatch(/^hosts: +16$/m);
    expect(text).toMatch(/^switches: +20$/m);
    expect(text).toMatch(/^gateways: +0$/m);
    expect(text).toMatch(/^links: +96 directed \(48 cables\)$/m);
    expect(text).toMatch(/^core links: +32 directed \(16 cables\)$/m);
    expect(text).toMatch(/^racks: +8$/m);
    expect(text).toMatch(/^sites: +0$/m);
  });

  it('json parses back with every node and link in SI numbers', () => {
    // 36 nodes (16 hosts + 20 switches), 96 links; host links carry 1.25e9 B/s and 2e-6 s.
    const json = JSON.parse(formatTopology(topology, 'json')) as TopologyJson;
    expect(json.kind).toBe('fat-tree');
    expect(json.nodes).toHaveLength(36);
    expect(json.links).toHaveLength(96);
    expect(json.nodes).toContainEqual({ id: 'h0-1-0', kind: 'host', rack: 'e0-1', pod: 0 });
    expect(json.nodes).toContainEqual({ id: 'c2', kind: 'switch' });
    expect(json.links[0]).toEqual({
      id: 'h0-0-0->e0-0',
      from: 'h0-0-0',
      to: 'e0-0',
      capacity: 1.25e9,
      latency: 2e-6,
      core: false,
      zone: 'trusted',
    });
    expect(json.links.filter((link) => link.core)).toHaveLength(32);
  });

  it('graphml is well-formed with one <node> per node and one <edge> per directed link', () => {
    // 36 nodes, 96 directed edges, 9 <key> declarations (5 node, 4 edge attributes).
    const xml = formatTopology(topology, 'graphml');
    expect(xml).toContain('<graphml xmlns="http://graphml.graphdrawing.org/xmlns"');
    expect(xml).toContain('edgedefault="directed"');
    const names = xmlElements(xml);
    expect(names.filter((name) => name === 'node')).toHaveLength(36);
    expect(names.filter((name) => name === 'edge')).toHaveLength(96);
    expect(names.filter((name) => name === 'key')).toHaveLength(9);
    expect(xml).toContain('<edge id="h0-0-0-&gt;e0-0" source="h0-0-0" target="e0-0">');
  });

  it('escapes ids in GraphML and DOT', () => {
    // Ids with XML and DOT metacharacters: a&"b<c> and back\slash.
    const spec: GraphSpec = {
      kind: 'graph',
      nodes: [
        { id: 'a&"b<c>', kind: 'host', site: 'x&y' },
        { id: 'back\\slash', kind: 'switch' },
      ],
      links: [{ from: 'a&"b<c>', to: 'back\\slash', capacityBytesPerS: 1.25e8, latencyS: 1e-3, core: true }],
    };
    const odd = buildTopology(spec);
    const xml = formatTopology(odd, 'graphml');
    expect(xmlElements(xml).filter((name) => name === 'edge')).toHaveLength(2);
    expect(xml).toContain('<node id="a&amp;&quot;b&lt;c&gt;">');
    const dot = formatTopology(odd, 'dot');
    expect(dot).toContain('"a&\\"b<c>" -> "back\\\\slash" [label="1 Gbit/s", style=bold];');
  });

  it('dot is a digraph naming every node', () => {
    // 36 node statements and 96 edge statements, core links bold.
    const dot = formatTopology(topology, 'dot');
    expect(dot.startsWith('digraph "fat-tree" {\n')).toBe(true);
    expect(dot.trimEnd().endsWith('}')).toBe(true);
    topology.graph.forEachNode((id) => expect(dot).toContain(`  "${id}" [shape=`));
    expect(dot.match(/ -> /g)).toHaveLength(96);
    expect(dot).toContain('"a0-0" -> "c0" [label="10 Gbit/s", style=bold];');
  });

  it('formats bit rates with SI prefixes', () => {
    // 1.25e9 B/s · 8 = 1e10 bit/s = 10 Gbit/s; 3.125e8 B/s · 8 = 2.5 Gbit/s.
    expect(formatBitRate(1e10)).toBe('10 Gbit/s');
    expect(formatBitRate(2.5e9)).toBe('2.5 Gbit/s');
    expect(formatBitRate(999)).toBe('999 bit/s');
    expect(formatBitRate(4e13)).toBe('40 Tbit/s');
  });
});
