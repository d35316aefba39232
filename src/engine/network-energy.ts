// The switches' energy over the accounting period (src/power/switch-power.ts), from the topology and the bytes
// each directed link carried: a switch's ports are the links leaving it, and what it forwarded is their bytes.
// Gateways count as switches. Not attributed to migrations: the static part is not theirs, and the per-byte
// part is in the results' link bytes for whoever wants to split it.
import { switchEnergyJ, type SwitchPowerModel } from '../power/switch-power.js';
import type { Topology } from '../topology/types.js';
import type { LinkResult } from './results.js';

export interface SwitchResult {
  id: string;
  ports: number;
  /** bytes on the links leaving the switch, B */
  forwarded: number;
  /** J up to the energy horizon */
  energy: number;
}

export function switchResults(topology: Topology, links: readonly LinkResult[], model: SwitchPowerModel, durationS: number): SwitchResult[] {
  const switches = new Map<string, { ports: number; forwarded: number }>();
  topology.graph.forEachNode((id, attributes) => {
    if (attributes.kind !== 'host') switches.set(id, { ports: 0, forwarded: 0 });
  });
  for (const link of links) {
    const from = switches.get(link.from);
    if (from === undefined) continue;
    from.ports++;
    from.forwarded += link.bytes;
  }
  return [...switches].map(([id, { ports, forwarded }]) => ({ id, ports, forwarded, energy: switchEnergyJ(model, ports, forwarded, durationS) }));
}
