// The topology layer's public API: building the network graph of a scenario, routing flows over
// it, and writing it out. See each module for what it models and cites.
export type * from './types.js';
export { buildTopology } from './build.js';
export { buildFatTree } from './fat-tree.js';
export { buildLeafSpine } from './leaf-spine.js';
export { buildGraph } from './graph.js';
export { GATEWAY_NAME, buildWan, gatewayOf, siteOf } from './wan.js';
export {
  EARTH_MEAN_RADIUS_KM,
  FIBRE_SPEED_M_PER_S,
  SPEED_OF_LIGHT_M_PER_S,
  buildGraphml,
  capacityFromText,
  fibreLatencyS,
  greatCircleKm,
  zooNodeNames,
} from './graphml.js';
export { readGraphml, type GraphmlReadResult } from './graphml-file.js';
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
