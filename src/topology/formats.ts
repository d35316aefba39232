// Writes a topology out for people and tools (`mignet topology FILE --format ...`): a summary of
// counts, JSON in SI numbers, a Graphviz digraph, or GraphML.
// Assumes nothing beyond a built Topology. Cites: the DOT language (graphviz.org/doc/info/lang.html:
// quoted ids escape `"` as `\"`); GraphML 1.0 (graphml.graphdrawing.org: <key> declarations with
// attr.name/attr.type, <data> values, edgedefault); XML 1.0 §2.4 for the escaped characters.
import { linkKey } from './assemble.js';
import type { NodeAttributes, Topology, Zone } from './types.js';

export type TopologyFormat = 'summary' | 'json' | 'dot' | 'graphml';

export const TOPOLOGY_FORMATS: readonly TopologyFormat[] = ['summary', 'json', 'dot', 'graphml'];

export function formatTopology(topology: Topology, format: TopologyFormat): string {
  switch (format) {
    case 'summary':
      return formatSummary(topology);
    case 'json':
      return `${JSON.stringify(topologyJson(topology), null, 2)}\n`;
    case 'dot':
      return formatDot(topology);
    case 'graphml':
      return formatGraphml(topology);
  }
}

export interface TopologyCounts {
  hosts: number;
  switches: number;
  gateways: number;
  directedLinks: number;
  /** unordered node pairs joined by at least one directed link */
  cables: number;
  racks: number;
  coreLinks: number;
  coreCables: number;
  sites: number;
}

export function countTopology(topology: Topology): TopologyCounts {
  const { graph, links } = topology;
  const kinds = { host: 0, switch: 0, gateway: 0 };
  const sites = new Set<string>();
  graph.forEachNode((_id, attributes) => {
    kinds[attributes.kind] += 1;
    if (attributes.site !== undefined) sites.add(attributes.site);
  });
  const cables = new Set<string>();
  const coreCables = new Set<string>();
  let coreLinks = 0;
  for (let i = 0; i < links.count; i++) {
    const from = links.from[i] ?? '';
    const to = links.to[i] ?? '';
    // JSON of the sorted pair: an unambiguous key whatever characters the ids hold.
    const cable = JSON.stringify(from < to ? [from, to] : [to, from]);
    cables.add(cable);
    if (links.core[i] === 1) {
      coreLinks += 1;
      coreCables.add(cable);
    }
  }
  return {
    hosts: kinds.host,
    switches: kinds.switch,
    gateways: kinds.gateway,
    directedLinks: links.count,
    cables: cables.size,
    racks: new Set(topology.rackOf.values()).size,
    coreLinks,
    coreCables: coreCables.size,
    sites: sites.size,
  };
}

function formatSummary(topology: Topology): string {
  const counts = countTopology(topology);
  const rows: [string, string][] = [
    ['kind', topology.kind],
    ['hosts', String(counts.hosts)],
    ['switches', String(counts.switches)],
    ['gateways', String(counts.gateways)],
    ['links', `${counts.directedLinks} directed (${counts.cables} cables)`],
    ['core links', `${counts.coreLinks} directed (${counts.coreCables} cables)`],
    ['racks', String(counts.racks)],
    ['sites', String(counts.sites)],
  ];
  const imported = topology.graphml;
  if (imported !== undefined) {
    const network = imported.network === undefined ? '' : ` (${imported.network})`;
    rows.push(
      ['file', `${imported.file}${network}: ${imported.pops} PoPs, ${imported.edges} edges`],
      [
        'PoP links',
        `${imported.links} (${imported.mergedParallelEdges} parallel edges merged, ${imported.droppedSelfLoops} self-loops dropped)`,
      ],
      [
        'defaults used',
        `capacity on ${imported.defaultCapacityLinks} of ${imported.links} PoP links, latency on ${imported.defaultLatencyLinks}`,
      ],
    );
  }
  const width = rows.reduce((most, [name]) => Math.max(most, name.length), 0) + 2;
  return rows.map(([name, value]) => `${`${name}:`.padEnd(width)}${value}\n`).join('');
}

export interface TopologyJson {
  kind: Topology['kind'];
  nodes: ({ id: string } & NodeAttributes)[];
  /** capacity in bytes/s, latency in s */
  links: { id: string; from: string; to: string; capacity: number; latency: number; core: boolean; zone: Zone }[];
}

export function topologyJson(topology: Topology): TopologyJson {
  const { graph, links } = topology;
  return {
    kind: topology.kind,
    nodes: graph.mapNodes((id, attributes) => ({ id, ...attributes })),
    links: links.id.map((id, i) => ({
      id,
      from: links.from[i] ?? '',
      to: links.to[i] ?? '',
      capacity: links.capacityBytesPerS[i] ?? 0,
      latency: links.latencyS[i] ?? 0,
      core: links.core[i] === 1,
      zone: graph.getEdgeAttribute(linkKey(i), 'zone'),
    })),
  };
}

const DOT_SHAPES = { host: 'box', switch: 'ellipse', gateway: 'diamond' } as const;

function formatDot(topology: Topology): string {
  const { graph, links } = topology;
  const lines = [`digraph ${dotId(topology.kind)} {`];
  graph.forEachNode((id, attributes) => {
    lines.push(`  ${dotId(id)} [shape=${DOT_SHAPES[attributes.kind]}];`);
  });
  for (let i = 0; i < links.count; i++) {
    const label = formatBitRate((links.capacityBytesPerS[i] ?? 0) * 8);
    const style = links.core[i] === 1 ? ', style=bold' : '';
    lines.push(`  ${dotId(links.from[i] ?? '')} -> ${dotId(links.to[i] ?? '')} [label=${dotId(label)}${style}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** A DOT double-quoted id: backslash and quote escaped, newlines as \n. */
function dotId(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** 1.25e10 bit/s -> "12.5 Gbit/s" (SI prefixes, as link speeds are quoted). */
export function formatBitRate(bitsPerS: number): string {
  const prefixes = ['', 'k', 'M', 'G', 'T', 'P'];
  let value = bitsPerS;
  let step = 0;
  while (Math.abs(value) >= 1000 && step < prefixes.length - 1) {
    value /= 1000;
    step += 1;
  }
  return `${Number(value.toPrecision(4))} ${prefixes[step] ?? ''}bit/s`;
}

/** GraphML <key>s: id, domain, attr.name, attr.type. */
const GRAPHML_KEYS = [
  ['kind', 'node', 'kind', 'string'],
  ['rack', 'node', 'rack', 'string'],
  ['pod', 'node', 'pod', 'int'],
  ['site', 'node', 'site', 'string'],
  ['node_zone', 'node', 'zone', 'string'],
  ['capacity', 'edge', 'capacity', 'double'],
  ['latency', 'edge', 'latency', 'double'],
  ['core', 'edge', 'core', 'boolean'],
  ['link_zone', 'edge', 'zone', 'string'],
] as const;

function formatGraphml(topology: Topology): string {
  const { graph, links } = topology;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"' +
      ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"' +
      ' xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns' +
      ' http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    '  <!-- capacity in bytes/s, latency in s -->',
  ];
  for (const [id, domain, name, type] of GRAPHML_KEYS) {
    lines.push(`  <key id="${id}" for="${domain}" attr.name="${name}" attr.type="${type}"/>`);
  }
  lines.push(`  <graph id=${xmlAttribute(topology.kind)} edgedefault="directed">`);
  graph.forEachNode((id, attributes) => {
    const data: [string, string | number | undefined][] = [
      ['kind', attributes.kind],
      ['rack', attributes.rack],
      ['pod', attributes.pod],
      ['site', attributes.site],
      ['node_zone', attributes.zone],
    ];
    lines.push(`    <node id=${xmlAttribute(id)}>${graphmlData(data)}</node>`);
  });
  for (let i = 0; i < links.count; i++) {
    const id = links.id[i] ?? '';
    const data: [string, string | number | undefined][] = [
      ['capacity', links.capacityBytesPerS[i]],
      ['latency', links.latencyS[i]],
      ['core', links.core[i] === 1 ? 'true' : 'false'],
      ['link_zone', graph.getEdgeAttribute(linkKey(i), 'zone')],
    ];
    const ends = `source=${xmlAttribute(links.from[i] ?? '')} target=${xmlAttribute(links.to[i] ?? '')}`;
    lines.push(`    <edge id=${xmlAttribute(id)} ${ends}>${graphmlData(data)}</edge>`);
  }
  lines.push('  </graph>', '</graphml>');
  return `${lines.join('\n')}\n`;
}

function graphmlData(data: [string, string | number | undefined][]): string {
  return data
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => `<data key="${key}">${xmlText(String(value))}</data>`)
    .join('');
}

function xmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A double-quoted XML attribute value. */
function xmlAttribute(text: string): string {
  return `"${xmlText(text).replace(/"/g, '&quot;')}"`;
}
