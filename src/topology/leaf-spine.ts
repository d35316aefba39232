// A two-tier leaf–spine (folded Clos) fabric: every leaf (top-of-rack) switch is joined to every
// spine switch; hosts hang off leaves. The leaf–spine links are the core links.
// Assumes a validated spec: positive integer counts. A rack is a leaf and its hosts.
// Cites: Alizadeh & Edsall, "On the Data Path Performance of Leaf-Spine Datacenter Fabrics",
// IEEE HOTI 2013; names from CONTRACT.md ("Names the built-in topologies give").
import { TopologyAssembler } from './assemble.js';
import type { LeafSpineSpec, Topology } from './types.js';

export function buildLeafSpine(spec: LeafSpineSpec): Topology {
  const uplink = spec.uplink ?? spec.link;
  const net = new TopologyAssembler();

  for (let s = 0; s < spec.spines; s++) net.addNode(`s${s}`, { kind: 'switch' });
  for (let leaf = 0; leaf < spec.leaves; leaf++) {
    const leafId = `l${leaf}`;
    net.addNode(leafId, { kind: 'switch', rack: leafId });
    for (let i = 0; i < spec.hostsPerLeaf; i++) net.addNode(`h${leaf}-${i}`, { kind: 'host', rack: leafId });
  }

  for (let leaf = 0; leaf < spec.leaves; leaf++) {
    for (let i = 0; i < spec.hostsPerLeaf; i++) net.addCable(`h${leaf}-${i}`, `l${leaf}`, spec.link, false);
  }
  for (let leaf = 0; leaf < spec.leaves; leaf++) {
    for (let s = 0; s < spec.spines; s++) net.addCable(`l${leaf}`, `s${s}`, uplink, true);
  }
  return net.finish('leaf-spine');
}
