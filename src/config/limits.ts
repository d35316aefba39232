// Limits of one run (the `limits` section, issue 9): how large a scenario may be, checked at validation before
// anything large is built, and how long a run may go on (events, simulated time, wall-clock time), checked by
// the simulator while it runs. Size limits protect the process: a topology is built from a few numbers
// (k = 1000 is 250 million hosts), so its size is computed here arithmetically and refused with a message
// naming the limit before the builder allocates anything. Every limit can be raised in the scenario; the size
// limits only up to a ceiling, beyond which the Node heap (about 4 GB by default) does not hold the run.
//
// Measured on this project's machine (fat-tree, one migration, `node` 20): k = 64 (65,536 hosts) validates in
// about 9 s and runs in about 9 s more with 0.85 GB resident; k = 80 (128,000 hosts) builds in about 19 s.
import { z } from 'zod';
import type { TopologySpec } from '../topology/types.js';
import { quantity, strictObject, wholeNumber } from './fields.js';
import { issue, type ConfigIssue, type PathSegment } from './issues.js';

/** Default largest host count: a k = 64 fat-tree (65,536 hosts, measured above) runs within it. */
export const DEFAULT_MAX_HOSTS = 65_536;
/** The most hosts a scenario may raise `limits.maxHosts` to: a k = 80 fat-tree (128,000 hosts) fits. */
export const MAX_HOSTS_CEILING = 131_072;
/** Default largest count of links (full-duplex cables): four per host of the default, so that a k = 64
 * fat-tree (3k³/4 = 196,608 cables) fits; a cable is two directed links in the results. */
export const DEFAULT_MAX_LINKS = 4 * DEFAULT_MAX_HOSTS;
/** The most links a scenario may raise `limits.maxLinks` to: four per host of the ceiling. */
export const MAX_LINKS_CEILING = 4 * MAX_HOSTS_CEILING;

/** What the limits section becomes in the Scenario: counts, and times in seconds. */
export interface LimitsSpec {
  maxHosts: number;
  /** full-duplex links (cables) of the topology */
  maxLinks: number;
  maxVms: number;
  maxMigrations: number;
  /** application flows (`traffic` entries) */
  maxFlows: number;
  /** events the simulator may run */
  maxEvents: number;
  /** simulated time an event may be scheduled at, s */
  maxSimulatedTimeS: number;
  /** wall-clock time a run may take, s; enforced only when the caller gives the run a clock (the CLI does) */
  maxWallTimeS: number;
}

const YEAR_S = 365.25 * 86_400;

export const limitsSchema = strictObject({
  maxHosts: wholeNumber(1, MAX_HOSTS_CEILING, ': larger topologies do not fit the Node heap').default(DEFAULT_MAX_HOSTS),
  maxLinks: wholeNumber(1, MAX_LINKS_CEILING, ': larger topologies do not fit the Node heap').default(DEFAULT_MAX_LINKS),
  // VMs, migrations and flows are written one by one, so a file of 100,000 of them is already tens of MB.
  maxVms: wholeNumber(0).default(100_000),
  maxMigrations: wholeNumber(0).default(100_000),
  maxFlows: wholeNumber(0).default(100_000),
  // The simulator's guard against a model that never ends (src/engine/simulator.ts), as it was before this
  // section. Measured: the bare event loop runs about 8 million events/s (50 million in about 6 s); the bench/
  // scenarios, which re-solve the network at most events, 1,500 to 10,000 events/s, so there maxWallTime
  // stops a run first.
  maxEvents: wholeNumber(1).default(50_000_000),
  // A plan that needs more than a year of simulated time is almost always a unit slip (bits for bytes, ms for
  // s); raise it when it is meant. Julian year, 365.25 days.
  maxSimulatedTime: quantity('time', { positive: true }).default(YEAR_S),
  // An hour: orders of magnitude longer than any scenario of bench/, and short enough that a stuck run ends
  // with a message well within a CI job.
  maxWallTime: quantity('time', { positive: true }).default(3600),
});

export type LimitsDocument = z.output<typeof limitsSchema>;

export function toLimits(doc: LimitsDocument): LimitsSpec {
  return {
    maxHosts: doc.maxHosts,
    maxLinks: doc.maxLinks,
    maxVms: doc.maxVms,
    maxMigrations: doc.maxMigrations,
    maxFlows: doc.maxFlows,
    maxEvents: doc.maxEvents,
    maxSimulatedTimeS: doc.maxSimulatedTime,
    maxWallTimeS: doc.maxWallTime,
  };
}

/** The size of a topology, computed from its spec without building it. */
interface TopologySize {
  hosts: number;
  /** full-duplex links (an upper bound for graphml, whose parallel edges merge) */
  cables: number;
  /** the fields that make the host count and the link count this large, for the messages' paths */
  hostsField: PathSegment[];
  cablesField: PathSegment[];
  /** the topology and its verb: `a k=66 fat-tree has` */
  what: string;
}

function sizeOf(spec: TopologySpec): TopologySize {
  switch (spec.kind) {
    case 'fat-tree':
      // Al-Fares et al. 2008: k³/4 hosts; host–edge, edge–aggregation and aggregation–core tiers of k³/4 each.
      return { hosts: spec.k ** 3 / 4, cables: (3 * spec.k ** 3) / 4, hostsField: ['k'], cablesField: ['k'], what: `a k=${spec.k} fat-tree has` };
    case 'leaf-spine': {
      const hosts = spec.leaves * spec.hostsPerLeaf;
      const what = `a leaf-spine of ${spec.leaves} leaves, ${spec.spines} spines and ${spec.hostsPerLeaf} hosts per leaf has`;
      return { hosts, cables: hosts + spec.leaves * spec.spines, hostsField: ['hostsPerLeaf'], cablesField: ['spines'], what };
    }
    case 'graph': {
      const hosts = spec.nodes.filter((node) => node.kind === 'host').length;
      return { hosts, cables: spec.links.length, hostsField: ['nodes'], cablesField: ['links'], what: 'the graph has' };
    }
    case 'graphml': {
      const hosts = spec.network.nodes.length * spec.hostsPerNode;
      const field = ['hostsPerNode'];
      return { hosts, cables: hosts + spec.network.edges.length, hostsField: field, cablesField: field, what: `${spec.file} with ${spec.hostsPerNode} hosts per node has` };
    }
    case 'wan': {
      let hosts = 0;
      let cables = spec.wanLinks.length;
      for (const site of spec.sites) {
        const size = sizeOf(site.topology);
        hosts += size.hosts;
        // A built-in site's gateway links to each top-tier switch (src/topology/wan.ts): k²/4 cores, or the spines.
        const top = site.topology;
        cables += size.cables + (top.kind === 'fat-tree' ? top.k ** 2 / 4 : top.kind === 'leaf-spine' ? top.spines : 0);
      }
      return { hosts, cables, hostsField: ['sites'], cablesField: ['sites'], what: `the ${spec.sites.length} sites together have` };
    }
  }
}

/** A count of `what` against one limit: an issue at `path` when over it. */
function checkCount(count: number, limit: number, name: keyof LimitsSpec, what: string, path: PathSegment[], issues: ConfigIssue[]): void {
  if (count <= limit) return;
  issues.push(issue(path, `${count} ${what} are more than limits.${name} = ${limit} (expected at most ${limit}, or raise limits.${name})`));
}

/**
 * Issues for a topology larger than the limits allow. Checked before the topology is built: when this returns
 * issues, nothing may build it.
 */
export function checkTopologySize(spec: TopologySpec, limits: LimitsSpec): ConfigIssue[] {
  const size = sizeOf(spec);
  const issues: ConfigIssue[] = [];
  for (const [count, name, noun, ceiling, field] of [
    [size.hosts, 'maxHosts', 'hosts', MAX_HOSTS_CEILING, size.hostsField],
    [size.cables, 'maxLinks', 'links', MAX_LINKS_CEILING, size.cablesField],
  ] as const) {
    const limit = limits[name];
    if (count <= limit) continue;
    const raise = limit < ceiling ? `, or raise limits.${name}, up to ${ceiling}` : '';
    issues.push(issue(['topology', ...field], `${size.what} ${count} ${noun}, more than limits.${name} = ${limit} (expected at most ${limit}${raise})`));
  }
  return issues;
}

/** Issues for more VMs, migrations or flows than the limits allow; reads the raw lists, whatever their items. */
export function checkListSizes(raw: Record<string, unknown>, limits: LimitsSpec): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const length = (key: string): number => (Array.isArray(raw[key]) ? (raw[key] as unknown[]).length : 0);
  checkCount(length('vms'), limits.maxVms, 'maxVms', 'VMs', ['vms'], issues);
  checkCount(length('migrations'), limits.maxMigrations, 'maxMigrations', 'migrations', ['migrations'], issues);
  checkCount(length('traffic'), limits.maxFlows, 'maxFlows', 'flows', ['traffic'], issues);
  return issues;
}

/** The limits a raw document sets, or the defaults where its section is invalid (the schema reports that). */
export function limitsOf(raw: Record<string, unknown>): LimitsSpec {
  const parsed = limitsSchema.safeParse(raw.limits ?? {});
  return toLimits(parsed.success ? parsed.data : limitsSchema.parse({}));
}
