// The topology layer's public API: building the network graph of a scenario, routing flows over
// it, and writing it out. See each module for what it models and cites.
export type * from './types.js';
export { buildTopology } from './build.js';
export { buildFatTree } from './fat-tree.js';
export { buildLeafSpine } from './leaf-spine.js';
export { buildGraph } from './graph.js';
export { EQUAL_LATENCY_TOLERANCE, Router, pathLatencyS } from './routing.js';
export {
  TOPOLOGY_FORMATS,
  countTopology,
  formatBitRate,
  formatTopology,
  topologyJson,
  type TopologyCounts,
  type TopologyFormat,
  type TopologyJson,
} from './formats.js';
