// results.links and the core links' aggregate: per directed link the wire bytes it carried and its peak
// utilization, and, for the links a study looks at first (the busiest by bytes, and the busiest core links),
// utilization over time (src/transport/utilization-bins.ts). Series for every link would make results of a
// k=16 fat-tree megabytes long; links.csv and these series cover what the report plots.
import type { Topology } from '../topology/types.js';
import type { FlowNetwork } from '../transport/flow-network.js';
import type { LinkResult } from './results.js';

/** Links given a utilization series: this many busiest links, and as many busiest core links. */
export const SERIES_LINKS = 15;

export function linkResults(topology: Topology, network: FlowNetwork): LinkResult[] {
  const { links } = topology;
  const results: LinkResult[] = links.id.map((id, i) => ({
    id,
    from: links.from[i]!,
    to: links.to[i]!,
    bytes: network.bytesCarried(i),
    peakUtilization: network.peakUtilization(i),
  }));
  const busiestFirst = (a: number, b: number): number => results[b]!.bytes - results[a]!.bytes || (links.id[a]! < links.id[b]! ? -1 : 1);
  const carried = results.map((_, i) => i).filter((i) => results[i]!.bytes > 0).sort(busiestFirst);
  const core = carried.filter((i) => links.core[i] === 1);
  for (const i of new Set([...carried.slice(0, SERIES_LINKS), ...core.slice(0, SERIES_LINKS)])) {
    results[i]!.utilization = network.utilizationOverTime(i);
  }
  return results;
}
