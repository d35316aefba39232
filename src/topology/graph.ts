// An arbitrary topology written out node by node and link by link (CONTRACT.md, `kind: graph`):
// nodes and full-duplex links exactly as written, each link one directed link each way with the
// full capacity. A host's rack is the single switch it is attached to, when it is attached to
// exactly one switch; a host with several switch neighbours (multi-homed) has no rack.
// Assumes quantities are validated by src/config; construction errors (unknown endpoint,
// duplicate node, duplicate link, self-loop) are thrown here as plain Errors starting 'topology:'.
import { TopologyAssembler } from './assemble.js';
import type { GraphSpec, NodeAttributes, Topology } from './types.js';

export function buildGraph(spec: GraphSpec): Topology {
  const net = new TopologyAssembler();
  for (const node of spec.nodes) {
    const attributes: NodeAttributes = { kind: node.kind };
    if (node.site !== undefined) attributes.site = node.site;
    if (node.zone !== undefined) attributes.zone = node.zone;
    net.addNode(node.id, attributes);
  }
  for (const link of spec.links) {
    net.addCable(link.from, link.to, link, link.core, link.zone ?? 'trusted');
  }
  for (const node of spec.nodes) {
    if (node.kind !== 'host') continue;
    const switches = net.graph.neighbors(node.id).filter((n) => net.graph.getNodeAttribute(n, 'kind') === 'switch');
    const [rack] = switches;
    if (switches.length === 1 && rack !== undefined) {
      net.setRack(node.id, rack);
      net.setRack(rack, rack);
    }
  }
  return net.finish('graph');
}
