// Reads the text of a GraphML file into a GraphmlNetwork: the nodes with their label and coordinates, the
// edges with what they say about their speed. Only the file format is handled here; what the fields mean for
// the network (names, capacities, latencies) is graphml.ts's job, after the Internet Topology Zoo.
// Assumes GraphML 1.0 (graphml.graphdrawing.org/specification.html): <key id for attr.name> declarations,
// optionally with a <default>; <data key> values on nodes and edges; the first <graph> of the file; edges
// given by their source and target node ids. Nested graphs, ports and hyperedges are not read.
// Every problem is returned as one message for `topology.file` (src/config), never thrown.
// Cites: fast-xml-parser 5 (XMLValidator for the line and column of a syntax error, XMLParser); Knight et
// al., "The Internet Topology Zoo", IEEE JSAC 2011, for the attribute names (label, Latitude, Longitude,
// LinkSpeedRaw, LinkLabel, LinkType).
import { createRequire } from 'node:module';
import type * as FastXmlParser from 'fast-xml-parser';
import type { GraphmlEdge, GraphmlNetwork, GraphmlNode } from './types.js';

export type GraphmlReadResult = { ok: true; network: GraphmlNetwork } | { ok: false; message: string };

/** An XML element as fast-xml-parser gives it with the options below: attributes as `@_name`, text as `#text`,
 * the listed child elements always as arrays. */
interface XmlElement {
  [child: string]: unknown;
}

const LIST_ELEMENTS = new Set(['key', 'graph', 'node', 'edge', 'data', 'default']);

/** fast-xml-parser, loaded on the first GraphML file read (its CommonJS build, synchronously): scenarios
 * without one never load it */
let xml: { parser: FastXmlParser.XMLParser; validator: typeof FastXmlParser.XMLValidator } | undefined;

function loadXml(): NonNullable<typeof xml> {
  if (xml !== undefined) return xml;
  const { XMLParser, XMLValidator } = createRequire(import.meta.url)('fast-xml-parser') as typeof FastXmlParser;
  xml = { parser: makeParser(XMLParser), validator: XMLValidator };
  return xml;
}

function makeParser(XMLParser: typeof FastXmlParser.XMLParser): FastXmlParser.XMLParser {
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    // GraphML files may prefix their elements (<g:node>); the names are the same without it.
    removeNSPrefix: true,
    // Values stay strings: a label "007" or "1e3" is a name, not a number.
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    isArray: (name) => LIST_ELEMENTS.has(name),
  });
}

class GraphmlProblem extends Error {}

function children(element: XmlElement, name: string): XmlElement[] {
  const value = element[name];
  if (!Array.isArray(value)) return [];
  // An element with neither attributes nor children comes out as its text ('' when empty).
  return value.map((child: unknown): XmlElement => (typeof child === 'object' && child !== null ? (child as XmlElement) : { '#text': String(child) }));
}

function attribute(element: XmlElement, name: string): string | undefined {
  const value = element[`@_${name}`];
  return typeof value === 'string' ? value : undefined;
}

function text(element: XmlElement): string {
  const value = element['#text'];
  return typeof value === 'string' ? value : value === undefined ? '' : String(value);
}

/** attr.name of each <key> id, with its <default> value if any, for one domain (node or edge). */
interface KeyTable {
  nameOf: Map<string, string>;
  defaults: Map<string, string>;
}

function keyTable(root: XmlElement, domain: 'node' | 'edge' | 'graph'): KeyTable {
  const nameOf = new Map<string, string>();
  const defaults = new Map<string, string>();
  for (const key of children(root, 'key')) {
    const id = attribute(key, 'id');
    const forDomain = attribute(key, 'for') ?? 'all';
    if (id === undefined || (forDomain !== domain && forDomain !== 'all')) continue;
    const name = attribute(key, 'attr.name') ?? id;
    nameOf.set(id, name);
    const fallback = children(key, 'default')[0];
    if (fallback !== undefined) defaults.set(name, text(fallback));
  }
  return { nameOf, defaults };
}

/** An element's data by attribute name (keys without a declaration go by their id), over the keys' defaults. */
function dataOf(element: XmlElement, keys: KeyTable): Map<string, string> {
  const values = new Map(keys.defaults);
  for (const data of children(element, 'data')) {
    const key = attribute(data, 'key');
    if (key !== undefined) values.set(keys.nameOf.get(key) ?? key, text(data).trim());
  }
  return values;
}

/** A number from a data value, or undefined when the value is absent or empty. */
function numberData(values: Map<string, string>, name: string, where: string, range: [number, number]): number | undefined {
  const raw = values.get(name);
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < range[0] || value > range[1]) {
    throw new GraphmlProblem(`${where} has ${name} ${JSON.stringify(raw)} (expected a number from ${range[0]} to ${range[1]})`);
  }
  return value;
}

function readNode(element: XmlElement, keys: KeyTable, index: number): GraphmlNode {
  const id = attribute(element, 'id');
  if (id === undefined || id === '') throw new GraphmlProblem(`<node> number ${index + 1} has no id (expected <node id="...">)`);
  const values = dataOf(element, keys);
  const where = `node "${id}"`;
  const node: GraphmlNode = { id };
  const label = values.get('label')?.trim();
  if (label !== undefined && label !== '') node.label = label;
  const latitude = numberData(values, 'Latitude', where, [-90, 90]);
  const longitude = numberData(values, 'Longitude', where, [-180, 180]);
  // A position needs both; one without the other says nothing about distance.
  if (latitude !== undefined && longitude !== undefined) {
    node.latitude = latitude;
    node.longitude = longitude;
  }
  return node;
}

function readEdge(element: XmlElement, keys: KeyTable, index: number, nodeIds: ReadonlySet<string>): GraphmlEdge {
  const source = attribute(element, 'source');
  const target = attribute(element, 'target');
  const where = `<edge> number ${index + 1}`;
  for (const [end, id] of [['source', source], ['target', target]] as const) {
    if (id === undefined) throw new GraphmlProblem(`${where} has no ${end} (expected <edge source="..." target="...">)`);
    if (!nodeIds.has(id)) throw new GraphmlProblem(`${where} has ${end} "${id}", which is no node of the graph (expected a <node> id)`);
  }
  const values = dataOf(element, keys);
  const edge: GraphmlEdge = { source: source ?? '', target: target ?? '', speedTexts: [] };
  const speedRaw = numberData(values, 'LinkSpeedRaw', `${where} (${source}–${target})`, [0, Infinity]);
  // The Zoo writes no speed as an absent LinkSpeedRaw; a zero says nothing either.
  if (speedRaw !== undefined && speedRaw > 0) edge.speedRawBitsPerS = speedRaw;
  for (const name of ['LinkLabel', 'LinkType']) {
    const value = values.get(name)?.trim();
    if (value !== undefined && value !== '') edge.speedTexts.push(value);
  }
  return edge;
}

function readDocument(textOfFile: string): GraphmlNetwork {
  const { parser, validator } = loadXml();
  const valid = validator.validate(textOfFile);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    const where = col === undefined ? `line ${line}` : `line ${line}, column ${col}`;
    throw new GraphmlProblem(`not well-formed XML at ${where}: ${msg.replace(/\.$/, '')} (expected a GraphML file)`);
  }
  const document = parser.parse(textOfFile) as XmlElement;
  // An empty <graphml/> comes out as a string: a root with nothing in it.
  const root = !('graphml' in document) ? undefined : typeof document.graphml === 'object' && document.graphml !== null ? (document.graphml as XmlElement) : {};
  if (root === undefined) {
    const found = Object.keys(document).filter((name) => !name.startsWith('?') && !name.startsWith('#'))[0];
    throw new GraphmlProblem(`the root element is ${found === undefined ? 'missing' : `<${found}>`}, not <graphml> (expected a GraphML file)`);
  }
  const graph = children(root, 'graph')[0];
  if (graph === undefined) throw new GraphmlProblem('the file has no <graph> (expected <graphml><graph>...</graph></graphml>)');
  const nodeKeys = keyTable(root, 'node');
  const nodes = children(graph, 'node').map((node, i) => readNode(node, nodeKeys, i));
  if (nodes.length === 0) throw new GraphmlProblem('the graph has no nodes (expected at least one <node>)');
  const nodeIds = new Set<string>();
  for (const node of nodes) {
    if (nodeIds.has(node.id)) throw new GraphmlProblem(`two nodes have the id "${node.id}" (expected unique <node> ids)`);
    nodeIds.add(node.id);
  }
  const edgeKeys = keyTable(root, 'edge');
  const edges = children(graph, 'edge').map((edge, i) => readEdge(edge, edgeKeys, i, nodeIds));
  const network: GraphmlNetwork = { nodes, edges };
  const graphData = dataOf(graph, keyTable(root, 'graph'));
  const name = graphData.get('label') || graphData.get('Network');
  if (name !== undefined && name !== '') network.name = name;
  return network;
}

/** The network of a GraphML text, or what is wrong with it. */
export function readGraphml(textOfFile: string): GraphmlReadResult {
  try {
    return { ok: true, network: readDocument(textOfFile) };
  } catch (error) {
    if (error instanceof GraphmlProblem) return { ok: false, message: error.message };
    // fast-xml-parser may still refuse what its validator passed (e.g. entity expansion limits).
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `cannot read the GraphML: ${reason} (expected a GraphML file)` };
  }
}
