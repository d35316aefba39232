// Checks between sections of a scenario document that the schema cannot see: ids that must be unique, names
// that must refer to something (hosts of the topology, VMs, migrations), `after` chains without cycles, and a
// destination the network connects to the VM's host. It reads the raw document, so that these problems are
// reported together with the schema's, not only once the schema passes; a value of the wrong type is skipped
// here (the schema reports it). Hosts come from the topology module itself (buildTopology, Router), built
// only when the topology section is valid.
import { buildTopology } from '../topology/build.js';
import { Router } from '../topology/routing.js';
import type { Topology, TopologySpec } from '../topology/types.js';
import { issue, type ConfigIssue, type PathSegment } from './issues.js';
import { checkFaultReferences, faultTargets, type FaultTargets } from './fault-references.js';
import { checkPolicyReferences, type PolicyNames } from './policy-references.js';
import { toTopologySpec } from './resolve.js';
import { parseQuantity } from './units.js';
import type { TopologyDocument } from './schema.js';
import { checkStorageReferences, subnetMap, type SubnetMap } from './storage-references.js';
import { asList, asMapping, asName, checkGraph, checkWan, type Mapping } from './topology-checks.js';

/** What the document's host names are checked against. */
interface Hosts {
  /** Why `id` is not a host, or undefined when it is one. */
  problem(id: string): string | undefined;
  /** Whether the network connects `from` to `to`; true when that cannot be known. */
  /** fault targets (hosts, cables) of a built topology, for fault-references.ts; absent when not built. */
  faultTargets?: FaultTargets;
  reachable(from: string, to: string, flowKey: string): boolean;
  /** The subnets (WAN sites) of a built topology, for storage-references.ts; absent when not built. */
  subnets?: SubnetMap;
}

function hostProblem(id: string, hosts: ReadonlySet<string>, kindOf: (id: string) => string | undefined): string | undefined {
  if (hosts.has(id)) return undefined;
  const example = hosts.values().next().value;
  const expected = example === undefined ? 'expected a host, but the topology has none' : `expected a host id such as "${example}"`;
  const kind = kindOf(id);
  return kind === undefined ? `unknown host "${id}" (${expected})` : `"${id}" is a ${kind}, not a host (${expected})`;
}

/** Kinds that connect every pair of hosts by construction: no route is checked there. */
const CONNECTED_KINDS: ReadonlySet<Topology['kind']> = new Set(['fat-tree', 'leaf-spine']);

/** The hosts of a built topology; routes are checked on every kind that may leave hosts apart (graph, wan,
 * graphml: a site or PoP that no link reaches). */
function topologyHosts(topology: Topology): Hosts {
  const hosts = new Set(topology.hosts);
  const { graph } = topology;
  const router = CONNECTED_KINDS.has(topology.kind) ? undefined : new Router(topology);
  const problem = (id: string): string | undefined => hostProblem(id, hosts, (node) => (graph.hasNode(node) ? graph.getNodeAttribute(node, 'kind') : undefined));
  return {
    problem,
    faultTargets: faultTargets(topology, problem),
    reachable: (from, to, flowKey) => router === undefined || router.route(from, to, flowKey) !== null,
    subnets: subnetMap(topology),
  };
}

/** The hosts of a written graph whose section has problems: its nodes as written, routes unknown. */
function writtenGraphHosts(topology: Mapping): Hosts | undefined {
  const nodes = asList(topology.nodes);
  if (nodes === undefined) return undefined;
  const kinds = new Map<string, string>();
  for (const node of nodes) {
    const id = asName(asMapping(node)?.id);
    const kind = asMapping(node)?.kind;
    if (id === undefined || typeof kind !== 'string') return undefined;
    if (!kinds.has(id)) kinds.set(id, kind);
  }
  const hosts = new Set([...kinds].filter(([, kind]) => kind === 'host').map(([id]) => id));
  return { problem: (id) => hostProblem(id, hosts, (node) => kinds.get(node)), reachable: () => true };
}

function buildHosts(raw: Mapping, topology: TopologyDocument | undefined, spec: TopologySpec | undefined, issues: ConfigIssue[]): Hosts | undefined {
  const before = issues.length;
  const rawTopology = asMapping(raw.topology);
  const isGraph = rawTopology?.kind === 'graph';
  if (rawTopology !== undefined && isGraph) checkGraph(rawTopology, issues);
  if (rawTopology !== undefined && rawTopology.kind === 'wan') checkWan(rawTopology, issues);
  if (topology === undefined || issues.length > before) {
    return rawTopology !== undefined && isGraph ? writtenGraphHosts(rawTopology) : undefined;
  }
  // A graphml topology is built from its file, read by topology-file.ts: without it, hosts are unknown.
  if (spec === undefined && topology.kind === 'graphml') return undefined;
  try {
    return topologyHosts(buildTopology(spec ?? toTopologySpec(topology)));
  } catch (error) {
    // The builders check what they assume and throw 'topology: ...'; say it rather than crash.
    issues.push(issue(['topology'], error instanceof Error ? error.message : String(error)));
    return undefined;
  }
}

interface VmEntry {
  index: number;
  host: string | undefined;
}

function checkVms(raw: Mapping, hosts: Hosts | undefined, issues: ConfigIssue[]): Map<string, VmEntry> | undefined {
  const vms = asList(raw.vms);
  if (vms === undefined) return raw.vms === undefined ? new Map() : undefined;
  const entries = new Map<string, VmEntry>();
  vms.forEach((rawVm, index) => {
    const vm = asMapping(rawVm);
    const id = asName(vm?.id);
    const host = asName(vm?.host);
    if (host !== undefined && hosts !== undefined) {
      const problem = hosts.problem(host);
      if (problem !== undefined) issues.push(issue(['vms', index, 'host'], problem));
    }
    if (id === undefined) return;
    const first = entries.get(id);
    if (first !== undefined) issues.push(issue(['vms', index, 'id'], `duplicate VM id "${id}" (first at vms[${first.index}]; expected unique ids)`));
    else entries.set(id, { index, host });
  });
  return entries;
}

function vmProblem(id: string, vms: Map<string, VmEntry>): string | undefined {
  if (vms.has(id)) return undefined;
  const example = vms.keys().next().value;
  return `unknown VM "${id}" (${example === undefined ? 'expected a VM id, but vms lists none' : `expected a VM id such as "${example}"`})`;
}

interface MigrationEntry {
  index: number;
  vm: string;
  after: { vm: string; path: PathSegment[] }[];
}

function checkMigrations(raw: Mapping, hosts: Hosts | undefined, vms: Map<string, VmEntry> | undefined, issues: ConfigIssue[]): void {
  const migrations = asList(raw.migrations);
  if (migrations === undefined) return;
  const defaults = asMapping(asMapping(raw.defaults)?.migration);
  const defaultTo = defaults?.to;
  if (typeof defaultTo === 'string' && hosts !== undefined) {
    const problem = hosts.problem(defaultTo);
    if (problem !== undefined) issues.push(issue(['defaults', 'migration', 'to'], problem));
  }

  const byVm = new Map<string, MigrationEntry>();
  migrations.forEach((rawMigration, index) => {
    const migration = asMapping(rawMigration);
    if (migration === undefined) return;
    const vm = asName(migration.vm);
    const vmEntry = vm === undefined ? undefined : vms?.get(vm);
    if (vm !== undefined && vms !== undefined && vmEntry === undefined) {
      issues.push(issue(['migrations', index, 'vm'], vmProblem(vm, vms) ?? ''));
    }
    if (vm !== undefined && byVm.has(vm)) {
      const first = byVm.get(vm)?.index ?? 0;
      issues.push(issue(['migrations', index, 'vm'], `"${vm}" already migrates in migrations[${first}] (expected one migration per VM)`));
    }

    const ownTo = migration.to;
    if (ownTo === undefined && defaultTo === undefined) {
      issues.push(issue(['migrations', index, 'to'], 'missing (expected a host id, here or in defaults.migration.to)'));
    }
    const to = asName(ownTo ?? defaultTo);
    const toProblem = to === undefined || hosts === undefined ? undefined : hosts.problem(to);
    // A bad defaults.migration.to is reported once, above.
    if (toProblem !== undefined && ownTo !== undefined) issues.push(issue(['migrations', index, 'to'], toProblem));
    const from = vmEntry?.host;
    if (to !== undefined && from !== undefined && to === from) {
      issues.push(issue(['migrations', index, 'to'], `"${to}" is where ${vm} already runs (expected a different host)`));
    } else if (to !== undefined && from !== undefined && toProblem === undefined && hosts?.problem(from) === undefined) {
      if (hosts !== undefined && !hosts.reachable(from, to, `migration:${vm}`)) {
        issues.push(issue(['migrations', index, 'to'], `"${to}" cannot be reached from "${from}", where ${vm} runs (expected a host the links connect to it)`));
      }
    }

    const ownAfter = asList(migration.after);
    const afterList = ownAfter ?? (migration.after === undefined ? asList(defaults?.after) : undefined) ?? [];
    const afterPath: PathSegment[] = ownAfter !== undefined ? ['migrations', index, 'after'] : ['defaults', 'migration', 'after'];
    const after = afterList.flatMap((name, j) => (typeof name === 'string' ? [{ vm: name, path: [...afterPath, j] }] : []));
    if (vm !== undefined && !byVm.has(vm)) byVm.set(vm, { index, vm, after });
  });

  for (const entry of byVm.values()) {
    for (const dependency of entry.after) {
      if (byVm.has(dependency.vm)) continue;
      const problem = vms === undefined ? undefined : vmProblem(dependency.vm, vms);
      issues.push(issue(dependency.path, problem ?? `"${dependency.vm}" has no migration (expected the id of a VM that migrates)`));
    }
  }
  checkCycles(byVm, issues);
}

/** Longest cycle a message spells out; a longer one is shown by its first and last members. */
const CYCLE_SHOWN = 6;

/** `a → b → … → a`, at most CYCLE_SHOWN names and the count, so a 100,000-long cycle makes one short line. */
function describeCycle(cycle: readonly string[]): string {
  if (cycle.length <= CYCLE_SHOWN + 1) return cycle.join(' → ');
  const head = cycle.slice(0, CYCLE_SHOWN - 1).join(' → ');
  return `${head} → … (${cycle.length - CYCLE_SHOWN} more) → ${cycle[cycle.length - 1]!}`;
}

/** Each cycle of `after` once, at the migration where the search first closes it. A depth-first search with
 * its own stack, not recursion: a valid chain of 5,000 migrations, each waiting for the next one in file
 * order, overflowed the call stack of a recursive one (issue 17); the limits allow 100,000. */
function checkCycles(byVm: Map<string, MigrationEntry>, issues: ConfigIssue[]): void {
  const state = new Map<string, 'visiting' | 'done'>();
  /** the path of the search: each migration with the next of its dependencies to look at */
  const path: { vm: string; next: number }[] = [];
  /** where each migration on the path sits in it */
  const onPath = new Map<string, number>();
  const enter = (vm: string): void => {
    state.set(vm, 'visiting');
    onPath.set(vm, path.length);
    path.push({ vm, next: 0 });
  };
  for (const root of byVm.keys()) {
    if (state.has(root)) continue;
    enter(root);
    while (path.length > 0) {
      const top = path[path.length - 1]!;
      const after = byVm.get(top.vm)?.after ?? [];
      if (top.next >= after.length) {
        path.pop();
        onPath.delete(top.vm);
        state.set(top.vm, 'done');
        continue;
      }
      const dependency = after[top.next++]!;
      const seen = state.get(dependency.vm);
      if (!byVm.has(dependency.vm) || seen === 'done') continue;
      if (seen === 'visiting') {
        const cycle = [...path.slice(onPath.get(dependency.vm)!).map((frame) => frame.vm), dependency.vm];
        issues.push(issue(dependency.path, `"after" makes a cycle: ${describeCycle(cycle)}, each waiting for the next (expected an order in which the migrations can run)`));
        continue;
      }
      enter(dependency.vm);
    }
  }
}

function checkOverrides(raw: Mapping, hosts: Hosts | undefined, issues: ConfigIssue[]): void {
  const overrides = asMapping(asMapping(raw.hosts)?.overrides);
  if (overrides === undefined || hosts === undefined) return;
  for (const host of Object.keys(overrides)) {
    const problem = hosts.problem(host);
    if (problem !== undefined) issues.push(issue(['hosts', 'overrides', host], problem));
  }
}

/** Application flows: each end a VM or a host, and two different ends. */
function checkTraffic(raw: Mapping, hosts: Hosts | undefined, vms: Map<string, VmEntry> | undefined, issues: ConfigIssue[]): void {
  (asList(raw.traffic) ?? []).forEach((rawFlow, index) => {
    const flow = asMapping(rawFlow);
    const from = asName(flow?.from);
    const to = asName(flow?.to);
    for (const [end, id] of [['from', from], ['to', to]] as const) {
      if (id === undefined || vms?.has(id) === true) continue;
      const hostProblem = hosts?.problem(id);
      if (hosts === undefined || vms === undefined || hostProblem === undefined) continue;
      // "unknown host "x" (expected a host id such as "h0")" becomes "unknown VM or host "x" (expected a VM id
      // such as "v1", or a host id such as "h0")"; a switch named as an end keeps its own message.
      const vmExample = vms.keys().next().value;
      const vmText = vmExample === undefined ? '' : `a VM id such as "${vmExample}", or `;
      const message = hostProblem.startsWith('unknown host')
        ? hostProblem.replace(/^unknown host/, 'unknown VM or host').replace('(expected ', `(expected ${vmText}`)
        : hostProblem;
      issues.push(issue(['traffic', index, end], message));
    }
    if (from !== undefined && from === to) {
      issues.push(issue(['traffic', index, 'to'], `the flow goes from "${from}" to itself (expected two different ends)`));
    }
  });
}

/** `images`: each named by a VM, its pool at least the share any of its VMs holds. */
function checkImages(raw: Mapping, issues: ConfigIssue[]): void {
  const images = asMapping(raw.images);
  if (images === undefined) return;
  const shares = new Map<string, { vm: string; bytes: number }>();
  for (const rawVm of asList(raw.vms) ?? []) {
    const vm = asMapping(rawVm);
    const content = asMapping(vm?.content);
    const image = asName(content?.image);
    const id = asName(vm?.id);
    if (image === undefined || id === undefined) continue;
    const memory = parseQuantity(vm?.memory, 'size');
    const fraction = content?.sharedFraction ?? 0;
    if (!memory.ok || typeof fraction !== 'number') continue;
    const bytes = memory.value * fraction;
    if (bytes > (shares.get(image)?.bytes ?? -1)) shares.set(image, { vm: id, bytes });
  }
  for (const [name, rawImage] of Object.entries(images)) {
    const largest = shares.get(name);
    if (largest === undefined) {
      const example = shares.keys().next().value;
      const expected = example === undefined ? 'no VM names an image in content.image' : `expected an image a VM names in content.image, such as "${example}"`;
      issues.push(issue(['images', name], `no VM runs image "${name}" (${expected})`));
      continue;
    }
    const pool = parseQuantity(asMapping(rawImage)?.sharedPool, 'size');
    if (pool.ok && pool.value < largest.bytes) {
      issues.push(issue(['images', name, 'sharedPool'], `${pool.value} B is less than the ${largest.bytes} B of shared pages ${largest.vm} holds (expected at least the largest VM's share: memory × sharedFraction)`));
    }
  }
}

/**
 * Every reference problem of the raw document `raw`. `topology` is the topology section as the schema parsed
 * it, or undefined when that section is invalid (then nothing is checked against hosts); `spec` is that
 * section resolved with its files read (topology-file.ts), needed for a `graphml` topology.
 */
export function checkReferences(raw: Mapping, topology: TopologyDocument | undefined, spec?: TopologySpec): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const hosts = buildHosts(raw, topology, spec, issues);
  const vms = checkVms(raw, hosts, issues);
  checkMigrations(raw, hosts, vms, issues);
  checkOverrides(raw, hosts, issues);
  checkTraffic(raw, hosts, vms, issues);
  checkImages(raw, issues);
  checkFaultReferences(raw, hosts?.faultTargets, issues);
  const names: PolicyNames = {};
  if (hosts !== undefined) names.hostProblem = (id) => hosts.problem(id);
  if (vms !== undefined) names.vms = new Set(vms.keys());
  checkPolicyReferences(raw, names, issues);
  checkStorageReferences(raw, hosts?.subnets, issues);
  return issues;
}
