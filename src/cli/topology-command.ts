// `mignet topology`: the scenario's topology as counts, JSON, Graphviz dot or GraphML.
import { buildTopology } from '../topology/build.js';
import { formatTopology } from '../topology/formats.js';
import { loadScenario } from './load-scenario.js';

export const TOPOLOGY_FORMATS = ['summary', 'json', 'dot', 'graphml'] as const;

export function topologyCommand(file: string, format: (typeof TOPOLOGY_FORMATS)[number]): void {
  const topology = buildTopology(loadScenario(file).topology);
  process.stdout.write(`${formatTopology(topology, format)}\n`);
}
