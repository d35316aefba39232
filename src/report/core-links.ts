// Which directed links are core links (fat-tree aggregation–core, leaf–spine uplinks, graph links marked
// core, WAN links): the results list links without that flag, so the report rebuilds the scenario's
// topology, which is deterministic, and reads its link table.
import type { Scenario } from '../config/scenario.js';
import { buildTopology } from '../topology/build.js';

export function coreLinkIds(scenario: Scenario): Set<string> {
  const { links } = buildTopology(scenario.topology);
  return new Set(links.id.filter((_, i) => links.core[i] === 1));
}
