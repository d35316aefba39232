// Several sites (data centers), each its own topology and its own subnet, joined by WAN links between their
// gateways (CONTRACT.md, `kind: wan`; the setting of Bradford et al., VEE 2007, and Wood et al., CloudNet,
// VEE 2011).
// - Every node of site S is named `S/<name>` and carries `site: S`; racks keep their ids, prefixed (`S/e0-0`).
// - The gateway `S/gw` is where S's WAN links end. A graph site declares it (a node `gw` of kind gateway).
//   A fat-tree or leaf-spine site gets one, joined to every switch of its top tier (each core switch, each
//   spine) as if it were one more switch of the tier above: by `gatewayLink` when given, else by a link like
//   those that tier already has (the fat-tree's aggregation–core link, the leaf-spine's uplink), so the
//   gateway is neither a bottleneck nor faster than the fabric unless the scenario says so. The gateway links
//   are not core links: the WAN link beyond them is, and counting both would count WAN bytes twice.
// - WAN links are full duplex and core links (CONTRACT.md: coreBytes includes WAN links). A WAN link is
//   untrusted only when declared so; a site's zone is the zone of its nodes (a graph node's own zone wins),
//   not of its links, which keep their own.
// - Sites meet only at their gateways and hosts forward nothing (routing.ts), so every route from one site
//   to another passes through both gateways; inside a site, ECMP works as in the site's own topology.
// Assumes a validated spec (src/config): unique site names without '/', WAN links between distinct known
// sites, at most one per pair, each graph site with a gateway `gw`. Construction errors are thrown here as
// plain Errors starting 'topology:'.
import { linkKey, TopologyAssembler } from './assemble.js';
import type { LinkSpec, NodeAttributes, SiteTopologySpec, Topology, WanSiteSpec, WanSpec } from './types.js';

/** The name a site's gateway has inside the site; `<site>/gw` in the WAN. */
export const GATEWAY_NAME = 'gw';

export function gatewayOf(site: string): string {
  return `${site}/${GATEWAY_NAME}`;
}

/** The WAN site (subnet) of a node, or undefined for a node outside any site (every kind but `wan`). */
export function siteOf(topology: Topology, node: string): string | undefined {
  return topology.graph.hasNode(node) ? topology.graph.getNodeAttribute(node, 'site') : undefined;
}

/** Builds one site's own topology: build.ts's dispatch, passed in so the two cannot drift apart. */
export type SiteBuilder = (spec: SiteTopologySpec) => Topology;

/** The top-tier switches of a built-in site and the link a gateway joins them by; none for a graph site. */
function topTier(spec: SiteTopologySpec): { switches: string[]; link: LinkSpec } | undefined {
  switch (spec.kind) {
    case 'fat-tree': {
      // Al-Fares et al. SIGCOMM 2008: (k/2)^2 core switches c0.., joined to aggregation by coreLink, or by the
      // uplink (link / oversubscription) when not given (fat-tree.ts).
      const half = spec.k / 2;
      const link = spec.coreLink ?? { capacityBytesPerS: spec.link.capacityBytesPerS / spec.oversubscription, latencyS: spec.link.latencyS };
      return { switches: Array.from({ length: half * half }, (_, j) => `c${j}`), link };
    }
    case 'leaf-spine':
      return { switches: Array.from({ length: spec.spines }, (_, j) => `s${j}`), link: spec.uplink ?? spec.link };
    case 'graph':
      return undefined;
  }
}

function addSite(net: TopologyAssembler, site: WanSiteSpec, buildSite: SiteBuilder): void {
  const inner = buildSite(site.topology);
  const prefix = (id: string): string => `${site.name}/${id}`;
  inner.graph.forEachNode((id, attributes) => {
    const node: NodeAttributes = { ...attributes, site: site.name };
    if (attributes.rack !== undefined) node.rack = prefix(attributes.rack);
    const zone = attributes.zone ?? site.zone;
    if (zone !== undefined) node.zone = zone;
    net.addNode(prefix(id), node);
  });
  // assemble.ts numbers each cable's two directions 2c (first end to second) and 2c + 1: one cable per pair.
  const { links } = inner;
  for (let i = 0; i < links.count; i += 2) {
    net.addCable(
      prefix(links.from[i] ?? ''),
      prefix(links.to[i] ?? ''),
      { capacityBytesPerS: links.capacityBytesPerS[i] ?? 0, latencyS: links.latencyS[i] ?? 0 },
      links.core[i] === 1,
      inner.graph.getEdgeAttribute(linkKey(i), 'zone'),
    );
  }

  const gateway = gatewayOf(site.name);
  const tier = topTier(site.topology);
  if (tier === undefined) {
    const kind = inner.graph.hasNode(GATEWAY_NAME) ? inner.graph.getNodeAttribute(GATEWAY_NAME, 'kind') : undefined;
    if (kind !== 'gateway') {
      const what = kind === undefined ? 'has no node "gw"' : `has "gw" as a ${kind}`;
      throw new Error(`topology: site ${site.name} ${what} (a graph site declares its gateway: a node gw of kind gateway)`);
    }
    return;
  }
  const attributes: NodeAttributes = { kind: 'gateway', site: site.name };
  if (site.zone !== undefined) attributes.zone = site.zone;
  net.addNode(gateway, attributes);
  const link = site.gatewayLink ?? tier.link;
  for (const top of tier.switches) net.addCable(prefix(top), gateway, link, false);
}

export function buildWan(spec: WanSpec, buildSite: SiteBuilder): Topology {
  const net = new TopologyAssembler();
  for (const site of spec.sites) {
    if (site.name.includes('/')) throw new Error(`topology: site name ${site.name} contains "/"`);
    addSite(net, site, buildSite);
  }
  for (const link of spec.wanLinks) {
    net.addCable(gatewayOf(link.from), gatewayOf(link.to), link, true, link.zone ?? 'trusted');
  }
  return net.finish('wan');
}
