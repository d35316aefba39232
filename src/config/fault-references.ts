// Checks a document's `faults` against its topology (CONTRACT.md, `faults`): a host target must be a host, a
// cable target two nodes joined by a link (written in either direction). Reads the raw document, like
// references.ts, so that these problems come with the schema's; values of the wrong type are left to the schema.
import { hasCable } from '../topology/assemble.js';
import type { Topology } from '../topology/types.js';
import { issue, type ConfigIssue } from './issues.js';
import { asList, asMapping, asName, type Mapping } from './topology-checks.js';

/** What fault targets are checked against: absent when the topology could not be built. */
export interface FaultTargets {
  hostProblem(id: string): string | undefined;
  /** why `from`–`to` is not a cable, or undefined when one joins them */
  cableProblem(from: string, to: string): string | undefined;
}

export function faultTargets(topology: Topology, hostProblem: (id: string) => string | undefined): FaultTargets {
  const { graph } = topology;
  return {
    hostProblem,
    cableProblem: (from, to) => {
      for (const end of [from, to]) {
        if (!graph.hasNode(end)) return `unknown node "${end}" (expected a node of the topology)`;
      }
      if (hasCable(graph, from, to)) return undefined;
      return `no cable joins "${from}" and "${to}" (expected two nodes joined by a link)`;
    },
  };
}

export function checkFaultReferences(raw: Mapping, targets: FaultTargets | undefined, issues: ConfigIssue[]): void {
  if (targets === undefined) return;
  (asList(raw.faults) ?? []).forEach((rawFault, index) => {
    const target = asMapping(rawFault)?.target;
    const host = asName(target);
    if (host !== undefined) {
      const problem = targets.hostProblem(host);
      if (problem !== undefined) issues.push(issue(['faults', index, 'target'], problem));
      return;
    }
    const cable = asMapping(target);
    const from = asName(cable?.from);
    const to = asName(cable?.to);
    if (from === undefined || to === undefined) return;
    const problem = targets.cableProblem(from, to);
    if (problem !== undefined) issues.push(issue(['faults', index, 'target'], problem));
  });
}
