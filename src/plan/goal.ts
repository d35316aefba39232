// What `mignet plan` is asked for (CONTRACT.md, "Planning"): the scenario's `plan:` section read against its
// topology — which hosts are evacuated (hosts, racks, pods, sites, each name checked), the constraints and the
// objective, the seeds every candidate is run with — and the moves to plan (moves.ts). Problems are
// ConfigErrors (`FILE: plan.evacuate.racks[0]: ...`, exit 2), all of them collected.
import { ConfigError } from '../config/load.js';
import { issue, type ConfigIssue } from '../config/issues.js';
import { planSchema, type PlanObjective, type PlanStrategy } from '../config/plan-schema.js';
import type { Scenario } from '../config/scenario.js';
import { buildTopology, type Topology } from '../topology/index.js';
import { evacuationMoves, type Move } from './moves.js';

export interface PlanGoal {
  /** what moves where; the schedule of these is what is planned */
  moves: Move[];
  /** hosts being emptied (none when the scenario's own migrations are the moves) */
  evacuatedHosts: string[];
  deadlineS?: number;
  /** absent: each migration's own downtimeLimit */
  downtimeLimitS?: number;
  maxCoreUtilization?: number;
  objective: PlanObjective;
  /** every candidate runs once per seed; figures that decide are the worst over them */
  seeds: number[];
  strategies: PlanStrategy[];
}

function hostsWhere(topology: Topology, test: (attributes: { rack?: string; pod?: number; site?: string }) => boolean): string[] {
  return topology.hosts.filter((host) => test(topology.graph.getNodeAttributes(host)));
}

/** The evacuated hosts, in topology order; a name that selects no host is a problem at its path. */
function evacuatedHosts(evacuate: NonNullable<ReturnType<typeof planSchema.parse>['evacuate']>, topology: Topology, issues: ConfigIssue[]): string[] {
  const chosen = new Set<string>();
  const known = new Set(topology.hosts);
  const racks = new Set(topology.rackOf.values());
  const pods = new Set(hostsWhere(topology, (a) => a.pod !== undefined).map((h) => topology.graph.getNodeAttribute(h, 'pod')));
  const sites = new Set(hostsWhere(topology, (a) => a.site !== undefined).map((h) => topology.graph.getNodeAttribute(h, 'site')));
  const example = (list: Set<unknown>, what: string): string => (list.size === 0 ? `this topology has no ${what}` : `expected one of ${[...list].slice(0, 4).join(', ')}${list.size > 4 ? ', ...' : ''}`);
  evacuate.hosts?.forEach((host, i) => {
    if (known.has(host)) chosen.add(host);
    else issues.push(issue(['plan', 'evacuate', 'hosts', i], `unknown host "${host}" (expected a host id such as "${topology.hosts[0] ?? 'h0-0-0'}")`));
  });
  evacuate.racks?.forEach((rack, i) => {
    if (racks.has(rack)) hostsWhere(topology, (a) => a.rack === rack).forEach((h) => chosen.add(h));
    else issues.push(issue(['plan', 'evacuate', 'racks', i], `unknown rack "${rack}" (${example(racks, 'racks')}: an edge switch or leaf id)`));
  });
  evacuate.pods?.forEach((pod, i) => {
    if (pods.has(pod)) hostsWhere(topology, (a) => a.pod === pod).forEach((h) => chosen.add(h));
    else issues.push(issue(['plan', 'evacuate', 'pods', i], `no pod ${pod} (${example(pods, 'pods: only fat-trees have them')})`));
  });
  evacuate.sites?.forEach((site, i) => {
    if (sites.has(site)) hostsWhere(topology, (a) => a.site === site).forEach((h) => chosen.add(h));
    else issues.push(issue(['plan', 'evacuate', 'sites', i], `unknown site "${site}" (${example(sites, 'sites: only wan topologies have them')})`));
  });
  return topology.hosts.filter((host) => chosen.has(host));
}

/**
 * The goal of `document` (already validated as a whole into `scenario`). `seeds`, when given, replaces the
 * section's count (the command's --seeds). Throws ConfigError with every problem.
 */
export function readPlanGoal(document: Record<string, unknown>, scenario: Scenario, file: string, seeds?: number): PlanGoal {
  const parsed = planSchema.safeParse(document.plan ?? {});
  // The whole document was validated before: this only fails if a caller skipped that.
  if (!parsed.success) throw new ConfigError(file, [issue(['plan'], parsed.error.issues[0]?.message ?? 'invalid')]);
  const plan = parsed.data;
  const issues: ConfigIssue[] = [];
  const topology = buildTopology(scenario.topology);
  let moves: Move[] = [];
  let evacuated: string[] = [];
  if (plan.evacuate !== undefined) {
    if (scenario.migrations.length > 0) {
      issues.push(issue(['plan', 'evacuate'], `the scenario also lists ${scenario.migrations.length} migrations (expected either plan.evacuate, whose moves the planner chooses, or migrations, whose schedule it plans)`));
    }
    evacuated = evacuatedHosts(plan.evacuate, topology, issues);
    if (issues.length === 0) {
      const placed = evacuationMoves(scenario, topology, evacuated);
      if (placed.ok) moves = placed.moves;
      else issues.push(issue(['plan', 'evacuate'], placed.message));
      if (placed.ok && moves.length === 0) issues.push(issue(['plan', 'evacuate'], `no VM runs on the ${evacuated.length} evacuated hosts (expected hosts with VMs to move)`));
    }
  } else {
    moves = scenario.migrations.map((migration, i) => ({ vm: migration.vm, from: scenario.vms.find((vm) => vm.id === migration.vm)!.host, to: migration.to, document: i }));
    if (moves.length === 0) issues.push(issue(['plan'], 'nothing to plan (expected plan.evacuate, or migrations in the scenario)'));
  }
  if (issues.length > 0) throw new ConfigError(file, issues);
  const count = seeds ?? plan.seeds;
  return {
    moves,
    evacuatedHosts: evacuated,
    ...(plan.deadline === undefined ? {} : { deadlineS: plan.deadline }),
    ...(plan.downtimeLimit === undefined ? {} : { downtimeLimitS: plan.downtimeLimit }),
    ...(plan.maxCoreUtilization === undefined ? {} : { maxCoreUtilization: plan.maxCoreUtilization }),
    objective: plan.objective,
    // Seeds 1..N, as `--seeds N` of run, compare and sweep.
    seeds: Array.from({ length: count }, (_, i) => i + 1),
    strategies: [...new Set(plan.strategies)],
  };
}
