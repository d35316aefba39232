// Trust zones on the network, and what a migration exposes on untrusted links.
//
// Links and nodes carry `zone: trusted | untrusted` (src/topology/types.ts; a WAN site's zone is its nodes',
// a link keeps its own, default trusted). Bytes on a directed link are exposed to whatever the link and its
// two ends are exposed to, so a link counts as untrusted here when the link itself, or either of its end
// nodes, is untrusted (a host in an untrusted site sends through that site's fabric). A migration path
// "crosses untrusted" when any of its links is untrusted in that sense.
//
// Exposure: the wire bytes of an unencrypted migration that went over untrusted links. Two numbers, since a
// byte may cross several untrusted links: `bytes`, the most any one untrusted link carried (exact when all
// the migration's bytes took one path, as they do under routing.ts unless a fault reroutes them; a lower
// bound on the distinct bytes otherwise), and `linkBytes`, the sum over untrusted links (byte-link
// crossings; an upper bound). An encrypted migration exposes nothing: ESP/TLS ciphertext is not the guest's
// memory.
import { SimulationError } from '../engine/simulation-error.js';
import type { Topology, Zone } from '../topology/types.js';
import type { CipherName } from './ciphers.js';

/** Zone of each directed link, indexed by Topology.links index: untrusted if the link or an end node is. */
export function effectiveLinkZones(topology: Topology): Zone[] {
  const zones = new Array<Zone>(topology.links.count).fill('trusted');
  const { graph } = topology;
  graph.forEachEdge((_edge, link, from, to, fromNode, toNode) => {
    const untrusted = link.zone === 'untrusted' || fromNode.zone === 'untrusted' || toNode.zone === 'untrusted';
    if (link.index < 0 || link.index >= zones.length) {
      const range = `0..${zones.length - 1}`;
      throw new SimulationError('effectiveLinkZones', `link ${from}->${to} has index ${link.index} outside ${range}`);
    }
    zones[link.index] = untrusted ? 'untrusted' : 'trusted';
  });
  return zones;
}

/** Zone of a node (a host's, for a migration's source and destination): untrusted only when declared so. */
export function nodeZone(topology: Topology, node: string): Zone {
  if (!topology.graph.hasNode(node)) throw new SimulationError('nodeZone', `no node ${node}`);
  return topology.graph.getNodeAttribute(node, 'zone') ?? 'trusted';
}

function linkZone(zones: ArrayLike<Zone>, index: number, where: string): Zone {
  const zone = zones[index];
  if (zone === undefined) throw new SimulationError(where, `no zone for link ${index} (${zones.length} links)`);
  return zone;
}

/** True when any link of the path (Topology.links indices) is untrusted. */
export function pathCrossesUntrusted(zones: ArrayLike<Zone>, pathLinkIndices: Iterable<number>): boolean {
  for (const index of pathLinkIndices) {
    if (linkZone(zones, index, 'pathCrossesUntrusted') === 'untrusted') return true;
  }
  return false;
}

export interface Exposure {
  /** the most wire bytes any single untrusted link carried: the migration's exposed bytes on one path */
  bytes: number;
  /** wire bytes summed over the untrusted links: byte-link crossings */
  linkBytes: number;
  /** indices of the untrusted links that carried bytes, ascending */
  links: number[];
}

/**
 * What one migration exposed: given the wire bytes it put on each directed link (indexed like
 * Topology.links; links it did not use hold 0), the links' zones and its cipher.
 */
export function exposure(wireBytesByLink: ArrayLike<number>, zones: ArrayLike<Zone>, cipher: CipherName): Exposure {
  if (wireBytesByLink.length !== zones.length) {
    throw new SimulationError('exposure', `${wireBytesByLink.length} link byte counts for ${zones.length} link zones`);
  }
  let bytes = 0;
  let linkBytes = 0;
  const links: number[] = [];
  for (let index = 0; index < zones.length; index++) {
    const carried = wireBytesByLink[index] ?? 0;
    if (!(carried >= 0) || !Number.isFinite(carried)) {
      throw new SimulationError('exposure', `link ${index} carried ${carried} B`);
    }
    if (carried === 0 || linkZone(zones, index, 'exposure') === 'trusted') continue;
    bytes = Math.max(bytes, carried);
    linkBytes += carried;
    links.push(index);
  }
  if (cipher !== 'none') return { bytes: 0, linkBytes: 0, links: [] };
  return { bytes, linkBytes, links };
}
