// Checks of a raw topology section that the schema cannot make: node ids of a written graph unique, links
// between known nodes, one per pair, no self-loops; WAN sites with unique names without '/', each graph site
// with its gateway `gw`, WAN links between two different known sites, one per pair. They read the raw
// document, so that these problems are reported together with the schema's; a value of the wrong type is
// skipped here (the schema reports it).
import { GATEWAY_NAME } from '../topology/wan.js';
import { formatPath, issue, type ConfigIssue, type PathSegment } from './issues.js';

export type Mapping = Record<string, unknown>;

export function asMapping(value: unknown): Mapping | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Mapping) : undefined;
}

export function asList(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

export function asName(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** Duplicate nodes, links to unknown nodes, self-loops and repeated cables of a `kind: graph` topology written
 * at `at` (the topology section, or a WAN site's topology). */
export function checkGraph(topology: Mapping, issues: ConfigIssue[], at: PathSegment[] = ['topology']): void {
  const nodes = asList(topology.nodes) ?? [];
  const firstNode = new Map<string, number>();
  const where = formatPath(at);
  nodes.forEach((node, i) => {
    const id = asName(asMapping(node)?.id);
    if (id === undefined) return;
    const first = firstNode.get(id);
    if (first === undefined) firstNode.set(id, i);
    else issues.push(issue([...at, 'nodes', i, 'id'], `duplicate node id "${id}" (first at ${where}.nodes[${first}]; expected unique ids)`));
  });
  const example = firstNode.keys().next().value;
  const firstCable = new Map<string, number>();
  (asList(topology.links) ?? []).forEach((raw, i) => {
    const link = asMapping(raw);
    const from = asName(link?.from);
    const to = asName(link?.to);
    for (const [end, id] of [['from', from], ['to', to]] as const) {
      if (id !== undefined && Array.isArray(topology.nodes) && !firstNode.has(id)) {
        const expected = example === undefined ? 'the topology has no nodes' : `expected a node id such as "${example}"`;
        issues.push(issue([...at, 'links', i, end], `unknown node "${id}" (${expected})`));
      }
    }
    if (from === undefined || to === undefined) return;
    if (from === to) {
      issues.push(issue([...at, 'links', i, 'to'], `the link joins "${from}" to itself (expected two different nodes)`));
      return;
    }
    const cable = [from, to].sort().join('\u0000');
    const first = firstCable.get(cable);
    if (first === undefined) firstCable.set(cable, i);
    else {
      issues.push(issue([...at, 'links', i], `a second link between "${from}" and "${to}" (first at ${where}.links[${first}]; expected one full-duplex link per pair)`));
    }
  });
}

/** A WAN site written as a graph: the checks of any graph, a gateway `gw` of kind gateway, node sites that
 * agree with the site, and no gatewayLink (the graph links its own gateway). */
function checkGraphSite(site: Mapping, siteName: string | undefined, i: number, issues: ConfigIssue[]): void {
  const at: PathSegment[] = ['topology', 'sites', i, 'topology'];
  const topology = asMapping(site.topology) ?? {};
  checkGraph(topology, issues, at);
  const nodes = asList(topology.nodes);
  if (nodes === undefined) return;
  let gateway = false;
  nodes.forEach((raw, j) => {
    const node = asMapping(raw);
    const ownSite = asName(node?.site);
    if (ownSite !== undefined && siteName !== undefined && ownSite !== siteName) {
      issues.push(issue([...at, 'nodes', j, 'site'], `"${ownSite}" differs from the site "${siteName}" the node is in (expected "${siteName}", or leave site out)`));
    }
    if (node?.id !== GATEWAY_NAME) return;
    gateway = true;
    if (typeof node.kind === 'string' && node.kind !== 'gateway') {
      issues.push(issue([...at, 'nodes', j, 'kind'], `the site's gateway "${GATEWAY_NAME}" is a ${node.kind} (expected kind gateway: WAN links end there)`));
    }
  });
  if (!gateway) {
    const name = siteName === undefined ? 'the site' : `site "${siteName}"`;
    issues.push(issue([...at, 'nodes'], `${name} has no node "${GATEWAY_NAME}" (expected its gateway, { id: ${GATEWAY_NAME}, kind: gateway }, where its WAN links end)`));
  }
  if (site.gatewayLink !== undefined) {
    issues.push(issue(['topology', 'sites', i, 'gatewayLink'], `a graph site links its own "${GATEWAY_NAME}" (leave gatewayLink out; it is for fat-tree and leaf-spine sites)`));
  }
}

/** Site names (unique, without '/'), graph sites, and WAN links between two different known sites, one per pair. */
export function checkWan(topology: Mapping, issues: ConfigIssue[]): void {
  const sites = asList(topology.sites);
  if (sites === undefined) return;
  if (sites.length === 0) issues.push(issue(['topology', 'sites'], 'the list is empty (expected at least one site)'));
  const firstSite = new Map<string, number>();
  sites.forEach((raw, i) => {
    const site = asMapping(raw);
    const name = asName(site?.name);
    if (name !== undefined) {
      const first = firstSite.get(name);
      if (first !== undefined) issues.push(issue(['topology', 'sites', i, 'name'], `duplicate site name "${name}" (first at topology.sites[${first}]; expected unique names)`));
      else firstSite.set(name, i);
      if (name.includes('/')) {
        issues.push(issue(['topology', 'sites', i, 'name'], `"${name}" contains "/" (expected a name without "/": nodes are named <site>/<node>)`));
      }
    }
    if (site !== undefined && asMapping(site.topology)?.kind === 'graph') checkGraphSite(site, name, i, issues);
  });
  const example = firstSite.keys().next().value;
  const firstLink = new Map<string, number>();
  (asList(topology.wanLinks) ?? []).forEach((raw, i) => {
    const link = asMapping(raw);
    const from = asName(link?.from);
    const to = asName(link?.to);
    for (const [end, name] of [['from', from], ['to', to]] as const) {
      if (name !== undefined && !firstSite.has(name)) {
        const expected = example === undefined ? 'the topology has no sites' : `expected a site name such as "${example}"`;
        issues.push(issue(['topology', 'wanLinks', i, end], `unknown site "${name}" (${expected})`));
      }
    }
    if (from === undefined || to === undefined) return;
    if (from === to) {
      issues.push(issue(['topology', 'wanLinks', i, 'to'], `the WAN link joins site "${from}" to itself (expected two different sites)`));
      return;
    }
    const pair = [from, to].sort().join('\u0000');
    const first = firstLink.get(pair);
    if (first === undefined) firstLink.set(pair, i);
    else {
      issues.push(issue(['topology', 'wanLinks', i], `a second WAN link between "${from}" and "${to}" (first at topology.wanLinks[${first}]; expected one full-duplex link per pair of sites)`));
    }
  });
}
