// The k-ary fat-tree of Al-Fares, Loukissas and Vahdat, "A Scalable, Commodity Data Center
// Network Architecture", SIGCOMM 2008, §3.1: k pods, each with k/2 edge and k/2 aggregation
// switches, every edge switch joined to every aggregation switch of its pod and to k/2 hosts;
// (k/2)^2 core switches, core switch j joined to aggregation switch floor(j / (k/2)) of every
// pod. Hence k^3/4 hosts and 3k^3/4 cables (host–edge, edge–aggregation, aggregation–core).
// Assumes a validated spec: k even, k >= 2, oversubscription > 0.
// Oversubscription divides the capacity of the edge–aggregation and aggregation–core links by
// the same factor (so edge switches are oversubscribed by that factor, aggregation switches
// not further); `coreLink`, when given, replaces the aggregation–core links entirely.
// A rack is an edge switch and its hosts (CONTRACT.md, "Names the built-in topologies give").
import { TopologyAssembler } from './assemble.js';
import type { FatTreeSpec, LinkSpec, Topology } from './types.js';

export function buildFatTree(spec: FatTreeSpec): Topology {
  const { k } = spec;
  const half = k / 2;
  const uplink: LinkSpec = {
    capacityBytesPerS: spec.link.capacityBytesPerS / spec.oversubscription,
    latencyS: spec.link.latencyS,
  };
  const coreLink = spec.coreLink ?? uplink;
  const net = new TopologyAssembler();

  for (let j = 0; j < half * half; j++) net.addNode(`c${j}`, { kind: 'switch' });
  for (let pod = 0; pod < k; pod++) {
    for (let j = 0; j < half; j++) net.addNode(`a${pod}-${j}`, { kind: 'switch', pod });
    for (let j = 0; j < half; j++) {
      const edge = `e${pod}-${j}`;
      net.addNode(edge, { kind: 'switch', pod, rack: edge });
      for (let i = 0; i < half; i++) net.addNode(`h${pod}-${j}-${i}`, { kind: 'host', pod, rack: edge });
    }
  }

  // Cables tier by tier, lower end first, so link indices read bottom-up.
  for (let pod = 0; pod < k; pod++) {
    for (let j = 0; j < half; j++) {
      for (let i = 0; i < half; i++) net.addCable(`h${pod}-${j}-${i}`, `e${pod}-${j}`, spec.link, false);
    }
  }
  for (let pod = 0; pod < k; pod++) {
    for (let j = 0; j < half; j++) {
      for (let a = 0; a < half; a++) net.addCable(`e${pod}-${j}`, `a${pod}-${a}`, uplink, false);
    }
  }
  for (let pod = 0; pod < k; pod++) {
    for (let a = 0; a < half; a++) {
      // Al-Fares §3.1: aggregation switch a of each pod reaches core switches a·k/2 .. a·k/2 + k/2 − 1.
      for (let m = 0; m < half; m++) net.addCable(`a${pod}-${a}`, `c${a * half + m}`, coreLink, true);
    }
  }
  return net.finish('fat-tree');
}
