// A wide-area network imported from GraphML after the conventions of the Internet Topology Zoo (Knight et al.,
// "The Internet Topology Zoo", IEEE JSAC 2011; CONTRACT.md, `kind: graphml`):
// - Each node is a PoP, a switch named by its `label`; a node whose label is missing, or shared with another
//   node, or equal to another node's fallback name, is named by its GraphML id instead. Each PoP gets
//   `hostsPerNode` hosts `<pop>/h<i>` on `link` (its rack is the PoP). PoP–PoP links are the core links.
// - Capacity of a PoP–PoP link: LinkSpeedRaw (bit/s); else read from LinkLabel, then LinkType ("OC-192",
//   "10 Gbps", "2x10G"; see capacityFromText); else the default `link` capacity.
// - Latency: the great-circle distance of the two PoPs (haversine) over the speed of light in fibre; else,
//   when either end has no Latitude/Longitude, the default `link` latency. Two PoPs the file puts at the same
//   coordinates (several PoPs of one city) get a 0 s link: routing.ts handles 0-latency links.
// - Edges are undirected cables (the Zoo's files are `edgedefault="undirected"`; a directed file's two
//   directions of one cable would merge as parallel edges below).
// - Parallel edges between the same two PoPs merge into one cable whose capacity is the sum of theirs: the Zoo
//   draws several circuits between two PoPs as several edges, and together they carry the sum. (A single flow
//   then sees the sum too, as if the circuits were one bonded link; per-flow hashing over the circuits would
//   give it one circuit's rate.) The merged cable took the default capacity if any of its edges did.
// - Self-loops (an edge from a PoP to itself) are dropped: they carry nothing between PoPs.
// Every default used is counted in Topology.graphml (printed by `mignet topology`), never silent.
import { TopologyAssembler } from './assemble.js';
import type { GraphmlImportReport, GraphmlNode, GraphmlSpec, Topology } from './types.js';

/** IUGG mean Earth radius R1 = (2a + b) / 3 of GRS 80, km (Moritz, "Geodetic Reference System 1980"). */
export const EARTH_MEAN_RADIUS_KM = 6371.0088;
/** The speed of light in vacuum, m/s (exact: SI definition of the metre). */
export const SPEED_OF_LIGHT_M_PER_S = 299_792_458;
/** Light in silica fibre travels at about c / 1.5 (refractive index of the core ~1.47 at 1550 nm). */
export const FIBRE_SPEED_M_PER_S = (SPEED_OF_LIGHT_M_PER_S * 2) / 3;

/** Great-circle distance in km between two points given in degrees: the haversine formula (Sinnott, "Virtues
 * of the Haversine", Sky and Telescope 68(2), 1984), on a sphere of the mean Earth radius. */
export function greatCircleKm(latitude1: number, longitude1: number, latitude2: number, longitude2: number): number {
  const radians = Math.PI / 180;
  const phi1 = latitude1 * radians;
  const phi2 = latitude2 * radians;
  const dPhi = phi2 - phi1;
  const dLambda = (longitude2 - longitude1) * radians;
  const h = Math.sin(dPhi / 2) ** 2 + Math.cos(phi1) * Math.cos(phi2) * Math.sin(dLambda / 2) ** 2;
  // min(1, ·) guards against rounding just above 1 for antipodal points.
  return 2 * EARTH_MEAN_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** One-way propagation delay, s, of fibre laid along the great circle (a lower bound: real routes are longer). */
export function fibreLatencyS(distanceKm: number): number {
  return (distanceKm * 1000) / FIBRE_SPEED_M_PER_S;
}

/** SONET OC-1 line rate, bit/s: OC-n runs at n × 51.84 Mbit/s (ANSI T1.105: OC-3 155.52, OC-12 622.08,
 * OC-48 2488.32, OC-192 9953.28, OC-768 39813.12 Mbit/s). */
const OC1_BITS_PER_S = 51.84e6;
/** SDH STM-1, bit/s: STM-n runs at n × 155.52 Mbit/s (ITU-T G.707). */
const STM1_BITS_PER_S = 155.52e6;
/** Plesiochronous carriers (ANSI T1.102 / ITU-T G.702): T1/DS1, T3/DS3, E1, E3, bit/s. */
const CARRIER_BITS_PER_S: Record<string, number> = { T1: 1.544e6, DS1: 1.544e6, T3: 44.736e6, DS3: 44.736e6, E1: 2.048e6, E3: 34.368e6 };
const SI_PREFIX: Record<string, number> = { k: 1e3, m: 1e6, g: 1e9, t: 1e12 };

/** An optional "2x" / "2 ×" / "2*" in front of a rate: that many circuits of it. */
const MULTIPLIER = String.raw`(?:(\d+)\s*[x×*]\s*)?`;
const OC_PATTERN = new RegExp(String.raw`${MULTIPLIER}\bOC[-\s]?(\d+)`, 'i');
const STM_PATTERN = new RegExp(String.raw`${MULTIPLIER}\bSTM[-\s]?(\d+)`, 'i');
const CARRIER_PATTERN = new RegExp(String.raw`${MULTIPLIER}\b(T1|DS1|T3|DS3|E1|E3)\b`, 'i');
// A number, a k/M/G/T prefix, then a bit-rate unit or an Ethernet suffix ("10 Gbps", "2.5Gbps", "1 Gb/s",
// "10 Gbit/s", "10G", "10GE", "1 GigE"). Zoo labels write b and B alike for bits; "m" is mega (no link
// runs at millibits). A leading "<" or "up to" is ignored: the bound is the best the file says.
const RATE_PATTERN = new RegExp(
  String.raw`${MULTIPLIER}(\d+(?:[.,]\d+)?)\s*([kmgt])(?:i?g?e\b|bits?\s*/\s*s(?:ec)?\b|bps\b|b\s*/\s*s\b|bits?\b|b\b|\b)`,
  'i',
);

function count(multiplier: string | undefined): number {
  return multiplier === undefined ? 1 : Number(multiplier);
}

/** The capacity, bit/s, a Zoo LinkLabel or LinkType names ("OC-192" = 9.95328e9), or undefined when it names
 * none ("Lit Fibre", "c", "10" without a unit). */
export function capacityFromText(text: string): number | undefined {
  const oc = OC_PATTERN.exec(text);
  if (oc !== null) return count(oc[1]) * Number(oc[2]) * OC1_BITS_PER_S;
  const stm = STM_PATTERN.exec(text);
  if (stm !== null) return count(stm[1]) * Number(stm[2]) * STM1_BITS_PER_S;
  const rate = RATE_PATTERN.exec(text);
  if (rate !== null) {
    const value = Number((rate[2] ?? '').replace(',', '.'));
    const bits = count(rate[1]) * value * (SI_PREFIX[(rate[3] ?? '').toLowerCase()] ?? NaN);
    if (Number.isFinite(bits) && bits > 0) return bits;
  }
  const carrier = CARRIER_PATTERN.exec(text);
  if (carrier !== null) return count(carrier[1]) * (CARRIER_BITS_PER_S[(carrier[2] ?? '').toUpperCase()] ?? NaN);
  return undefined;
}

/** Node name of each GraphML node id: its label where unique, else its id (CONTRACT.md). */
export function zooNodeNames(nodes: readonly GraphmlNode[]): Map<string, string> {
  const names = new Map<string, string>();
  const byId = new Set<string>();
  for (;;) {
    // Names taken by more than one node, counting fallback ids as taken names too.
    const uses = new Map<string, number>();
    for (const node of nodes) {
      const name = byId.has(node.id) || node.label === undefined ? node.id : node.label;
      uses.set(name, (uses.get(name) ?? 0) + 1);
    }
    let changed = false;
    for (const node of nodes) {
      if (byId.has(node.id) || node.label === undefined) continue;
      if ((uses.get(node.label) ?? 0) > 1) {
        byId.add(node.id);
        changed = true;
      }
    }
    // GraphML ids are unique, so naming every node by its id is a fixed point: this ends.
    if (!changed) break;
  }
  for (const node of nodes) names.set(node.id, byId.has(node.id) || node.label === undefined ? node.id : node.label);
  return names;
}

interface Cable {
  a: string;
  b: string;
  capacityBitsPerS: number;
  latencyS: number;
  defaultCapacity: boolean;
  defaultLatency: boolean;
}

export function buildGraphml(spec: GraphmlSpec): Topology {
  const { network, link } = spec;
  const names = zooNodeNames(network.nodes);
  const nodeById = new Map(network.nodes.map((node) => [node.id, node]));
  const net = new TopologyAssembler();

  for (const node of network.nodes) {
    const pop = names.get(node.id) ?? node.id;
    net.addNode(pop, { kind: 'switch', rack: pop });
    for (let i = 0; i < spec.hostsPerNode; i++) net.addNode(`${pop}/h${i}`, { kind: 'host', rack: pop });
  }

  const cables = new Map<string, Cable>();
  let mergedParallelEdges = 0;
  let droppedSelfLoops = 0;
  for (const edge of network.edges) {
    if (edge.source === edge.target) {
      droppedSelfLoops += 1;
      continue;
    }
    const [a, b] = edge.source < edge.target ? [edge.source, edge.target] : [edge.target, edge.source];
    const fromText = edge.speedTexts.map(capacityFromText).find((bits) => bits !== undefined);
    const capacityBitsPerS = edge.speedRawBitsPerS ?? fromText;
    const key = JSON.stringify([a, b]);
    const cable = cables.get(key);
    if (cable !== undefined) {
      mergedParallelEdges += 1;
      cable.capacityBitsPerS += capacityBitsPerS ?? link.capacityBytesPerS * 8;
      cable.defaultCapacity ||= capacityBitsPerS === undefined;
      continue;
    }
    const ends = [nodeById.get(a), nodeById.get(b)];
    const [p, q] = ends;
    const located = p?.latitude !== undefined && p.longitude !== undefined && q?.latitude !== undefined && q.longitude !== undefined;
    cables.set(key, {
      a,
      b,
      capacityBitsPerS: capacityBitsPerS ?? link.capacityBytesPerS * 8,
      latencyS: located ? fibreLatencyS(greatCircleKm(p.latitude ?? 0, p.longitude ?? 0, q.latitude ?? 0, q.longitude ?? 0)) : link.latencyS,
      defaultCapacity: capacityBitsPerS === undefined,
      defaultLatency: !located,
    });
  }

  // Host links first (bottom-up, as the other builders number them), then the PoP–PoP core links.
  for (const node of network.nodes) {
    const pop = names.get(node.id) ?? node.id;
    for (let i = 0; i < spec.hostsPerNode; i++) net.addCable(`${pop}/h${i}`, pop, link, false);
  }
  let defaultCapacityLinks = 0;
  let defaultLatencyLinks = 0;
  for (const cable of cables.values()) {
    net.addCable(names.get(cable.a) ?? cable.a, names.get(cable.b) ?? cable.b, { capacityBytesPerS: cable.capacityBitsPerS / 8, latencyS: cable.latencyS }, true);
    if (cable.defaultCapacity) defaultCapacityLinks += 1;
    if (cable.defaultLatency) defaultLatencyLinks += 1;
  }

  const report: GraphmlImportReport = {
    file: spec.file,
    pops: network.nodes.length,
    edges: network.edges.length,
    links: cables.size,
    defaultCapacityLinks,
    defaultLatencyLinks,
    mergedParallelEdges,
    droppedSelfLoops,
  };
  if (network.name !== undefined) report.network = network.name;
  return { ...net.finish('graphml'), graphml: report };
}
