// Builds the network graph of a validated topology spec: dispatches on `kind`.
// Assumes the spec comes from src/config (SI units, checked ranges); see the builders for what
// each models and cites.
import { buildFatTree } from './fat-tree.js';
import { buildGraph } from './graph.js';
import { buildGraphml } from './graphml.js';
import { buildLeafSpine } from './leaf-spine.js';
import type { Topology, TopologySpec } from './types.js';
import { buildWan } from './wan.js';

export function buildTopology(spec: TopologySpec): Topology {
  switch (spec.kind) {
    case 'fat-tree':
      return buildFatTree(spec);
    case 'leaf-spine':
      return buildLeafSpine(spec);
    case 'graph':
      return buildGraph(spec);
    case 'wan':
      return buildWan(spec, buildTopology);
    case 'graphml':
      return buildGraphml(spec);
  }
}
