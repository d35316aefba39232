// One run of a validated scenario, end to end: builds the topology and the flow network, lets the schedule
// launch each migration's process (migration-launcher.ts), runs the event loop to the end, and gathers the
// results. With migration-launcher.ts, the one place of src/engine that reaches up into the model layers: it is
// where they meet.
// Many VMs at once: the schedule (schedule.ts) decides when each migration starts, the destination's room
// (host-capacity.ts) whether it may, migrations of one image moving together share their identical pages
// (shared-pages.ts: IRLM, gang), and application flows (application-traffic.ts) compete with them, follow
// their VMs and stall while those are paused. The traffic horizon is `horizon`, else the moment the last
// migration and the last flow that ends by itself have ended.
// Security and energy (issue 7): the policy gate (policy-gate.ts) may refuse a migration as it starts; a
// migration's encryption sets its wire factor and, with the copy, its CPU cost (migration-costs.ts); host
// power and energy follow the guests and the streams' rates (energy-accounting.ts), up to the horizon.
import type { MigrationSpec, Scenario } from '../config/scenario.js';
import { HostCapacity } from '../migration/host-capacity.js';
import type { MigrationRecord } from '../migration/migration-process.js';
import { orderKey } from '../migration/schedule-order.js';
import { planSchedule, Scheduler } from '../migration/schedule.js';
import { SharedPageCohorts } from '../migration/shared-pages.js';
import { buildTopology } from '../topology/build.js';
import { Router } from '../topology/routing.js';
import type { Topology } from '../topology/types.js';
import { ApplicationTraffic } from '../transport/application-traffic.js';
import { FlowNetwork } from '../transport/flow-network.js';
import { binSteps } from '../transport/utilization-bins.js';
import { wireFactor } from '../transport/wire.js';
import { StorageAddressing } from './storage-addressing.js';
import { EnergyAccounting } from './energy-accounting.js';
import { FaultInjector } from './fault-injector.js';
import { RouteBook } from './route-book.js';
import { MigrationFaults } from './migration-faults.js';
import { MigrationLauncher, pathRateBytesPerS } from './migration-launcher.js';
import { PolicyGate } from './policy-gate.js';
import { checkInvariants } from './invariants.js';
import { linkResults } from './link-results.js';
import { switchResults } from './network-energy.js';
import { Random } from './random.js';
import { migrationResult, summarize, type Results, type TrafficResult } from './results.js';
import type { RunOptions } from './run-scenario.js';
import { Simulator, type SimulatorLimits } from './simulator.js';

export class ScenarioRun {
  private readonly topology: Topology;
  /** every route handed out, with its ends and key (for a link-up's reconvergence) */
  private readonly routes: RouteBook;
  private readonly sim: Simulator;
  private readonly network: FlowNetwork;
  private readonly ecmpSalt: number;
  private readonly placement: Map<string, string>;
  private readonly records: MigrationRecord[];
  private readonly gate: PolicyGate;
  private readonly energy: EnergyAccounting;
  private readonly injector: FaultInjector;
  private readonly faults: MigrationFaults;
  private readonly traffic: ApplicationTraffic;
  private readonly scheduler: Scheduler;
  // The horizon of application traffic: `horizon`, else when the migrations and the bounded flows are done.
  private migrationsLeft: number;
  private horizonSet: boolean;

  constructor(private readonly scenario: Scenario, options: RunOptions) {
    const topology = (this.topology = buildTopology(scenario.topology));
    const router = new Router(topology);
    const routes = (this.routes = new RouteBook(router));
    const sim = (this.sim = new Simulator(simulatorLimits(scenario.limits, options.clock)));
    const network = (this.network = new FlowNetwork(sim, topology.links, scenario.network.tcpWindowBytes));
    // ECMP hash seed: switches salt their hash, so different seeds spread the same flows differently.
    const ecmpSalt = (this.ecmpSalt = Math.floor(new Random(scenario.seed).next() * 2 ** 32));
    const factor = wireFactor(scenario.network);
    const placement = (this.placement = new Map(scenario.vms.map((vm) => [vm.id, vm.host])));
    const vms = new Map(scenario.vms.map((vm) => [vm.id, vm]));
    const records = (this.records = scenario.migrations.map((m) => newRecord(m, placement.get(m.vm) ?? '')));
    const capacity = new HostCapacity(scenario.hosts, scenario.vms, scenario.schedule.onFull);
    const cohorts = new SharedPageCohorts(() => sim.nowS);
    const paused = new Set<string>();
    const gate = (this.gate = new PolicyGate(topology, scenario, vms, placement));
    const hostSpec = (host: string): Scenario['hosts']['defaults'] => scenario.hosts.overrides[host] ?? scenario.hosts.defaults;
    const energy = (this.energy = new EnergyAccounting(sim, topology.hosts, hostSpec, scenario.vms, scenario.horizonS, scenario.energyEstimates));
    // Disks that move and addressing schemes: each migration's switchover, and the path and bytes of VM traffic.
    const wan = new StorageAddressing({
      sim, network, topology, router, scenario,
      route: (from, to, key) => routes.route(from, to, `${ecmpSalt}:${key}`),
      joinRoutes: (parts) => routes.join(parts),
      hostOf: (endpoint) => placement.get(endpoint) ?? endpoint,
    });
    // Faults (issue 9): fault-injector.ts fails links and re-routes flows, migration-faults.ts decides what a fault
    // does to each migration (abort on the source, or the VM lost) and retries.
    // Each flow of a migration tells the bytes it sent on each path it took: exposure (policy-gate.ts) and the
    // migration's core bytes count them there, so both follow a re-routed flow.
    const injector = (this.injector = new FaultInjector(sim, network, router, topology, routes, (from, to, flow) => router.route(from, to, `${ecmpSalt}:reroute:${flow}`)));
    const faults = (this.faults = new MigrationFaults(sim, network, injector, placement, (index, path, wireBytes) => {
      gate.carried(index, path, wireBytes);
      records[index]!.coreWireBytes += wireBytes * this.coreLinks(path);
    }));
    injector.listen(energy); // a crashed host draws nothing, and its VMs are gone

    this.migrationsLeft = scenario.migrations.length;
    this.horizonSet = scenario.horizonS !== undefined;
    const traffic = (this.traffic = new ApplicationTraffic(
      sim,
      network,
      scenario.traffic,
      {
        hostOf: (endpoint) => placement.get(endpoint) ?? endpoint,
        paused: (endpoint) => paused.has(endpoint),
        route: (from, to, key) => routes.route(from, to, `${ecmpSalt}:${key}`),
        wireFactor: factor,
        segment: (from, to, key) => wan.trafficSegment(from, to, key),
        coreLinks: (path) => this.coreLinks(path),
      },
      () => this.horizonIfDone(),
    ));

    const sizes = new Map<number, number>();
    const plan = planSchedule(scenario.migrations, scenario.schedule, {
      sizeOf: (index) => {
        const known = sizes.get(index);
        if (known !== undefined) return known;
        const migration = scenario.migrations[index]!;
        const vm = vms.get(migration.vm)!;
        const path = this.migrationRoute(vm.id, vm.host, migration.to);
        const rate = path === null ? 0 : pathRateBytesPerS(topology, path, scenario.network.tcpWindowBytes, router.pathLatencyS(path));
        const size = orderKey(scenario.schedule.orderBy, vm, migration, rate / factor);
        sizes.set(index, size);
        return size;
      },
      groupOf: (index) => {
        const migration = scenario.migrations[index]!;
        const from = vms.get(migration.vm)!.host;
        return scenario.schedule.policy === 'gang' ? from : JSON.stringify([this.rackOf(from), this.rackOf(migration.to)]);
      },
    });
    const launcher = new MigrationLauncher({
      scenario, sim, topology, router, records, vms, placement, paused, capacity, cohorts, gate, energy, wan, faults, traffic,
      migrationRoute: (vm, from, to) => this.migrationRoute(vm, from, to),
      rackOf: (host) => this.rackOf(host),
      finished: (index) => {
        this.scheduler.migrationEnded(index);
        this.migrationDone();
      },
    });
    this.scheduler = new Scheduler(sim, scenario.migrations, plan, {
      admit: (index) => {
        const migration = scenario.migrations[index]!;
        return capacity.admit(vms.get(migration.vm)!, migration.to);
      },
      refuse: (index, reason) => this.refuse(index, reason),
      launch: (index) => launcher.launch(index),
    });
  }

  /** Runs the event loop to its end and gathers the results. */
  run(): Results {
    const { scenario, traffic } = this;
    if (scenario.horizonS !== undefined) traffic.stopAt(scenario.horizonS);
    traffic.start();
    this.injector.schedule(scenario.faults);
    this.scheduler.start();
    this.sim.at(0, () => this.horizonIfDone());
    const endS = this.sim.run();
    // A flow that never ended by itself (stalled on a cut path once nothing else was left to happen, so the
    // horizon above never came) ends with the run, counting what it sent until it stalled.
    traffic.stopAt(endS);
    return this.results(endS);
  }

  private migrationRoute(vm: string, from: string, to: string): Int32Array | null {
    return this.routes.route(from, to, `${this.ecmpSalt}:${vm}`);
  }

  private coreLinks(path: Int32Array): number {
    return path.reduce((n, link) => n + (this.topology.links.core[link] ?? 0), 0);
  }

  private rackOf(host: string): string {
    return this.topology.rackOf.get(host) ?? host;
  }

  /** The schedule refuses migration `index` (the destination has no room): it never runs. */
  private refuse(index: number, reason: string): void {
    const record = this.records[index]!;
    record.from = this.placement.get(record.vm)!;
    record.startS = record.endS = this.sim.nowS;
    record.status = 'refused';
    record.reason = reason;
    this.migrationDone();
  }

  private migrationDone(): void {
    this.migrationsLeft--;
    this.horizonIfDone();
  }

  private horizonIfDone(): void {
    if (this.horizonSet || this.migrationsLeft > 0 || this.traffic.boundedFlowsLeft > 0) return;
    this.horizonSet = true;
    this.traffic.stopAt(this.sim.nowS);
  }

  private results(endS: number): Results {
    const { scenario, topology, network, energy, gate, faults, traffic } = this;
    const migrations = this.records.map(migrationResult);
    // `lost` follows vms[].state: a migration that failed with its VM gone, whatever took it (a fault during
    // the copy, or a source crash before it started: issue 17 found the latter unmarked).
    const vms = faults.vmOutcomes(scenario.vms.map((vm) => vm.id));
    const lostVms = new Set(vms.filter((vm) => vm.state === 'lost').map((vm) => vm.id));
    const energyUntilS = energy.endS(endS);
    migrations.forEach((result, index) => {
      result.energy = energy.migrationEnergyJ(index, energyUntilS);
      result.exposure = gate.exposure(index, scenario.migrations[index]!.encryption);
      const estimates = energy.estimatesFor(index, result);
      if (estimates !== undefined) result.energyEstimates = estimates;
      if (faults.isLost(index) || (result.status === 'failed' && lostVms.has(result.vm))) result.lost = true;
      if (scenario.migrations[index]!.retry !== undefined) result.attempts = faults.attemptsOf(index);
    });
    const hosts = energy.hostResults(energyUntilS);
    const links = linkResults(topology, network);
    // Switch energy (network-energy.ts) over the hosts' accounting period, when the scenario gives switch power.
    const switches = scenario.switchPower === undefined ? undefined : switchResults(topology, links, scenario.switchPower, energyUntilS);
    const energySummary = energy.summary(hosts, migrations, energyUntilS);
    if (switches !== undefined) energySummary.network = switches.reduce((sum, s) => sum + s.energy, 0);
    const coreBytes = links.reduce((sum, link, i) => sum + (topology.links.core[i] === 1 ? link.bytes : 0), 0);
    const outcomes = traffic.results();
    const inFlight = this.scheduler.inFlightSeries;
    // traffic[] exactly as CONTRACT.md names its fields; the flows' core bytes go to the summary.
    const flows: TrafficResult[] = outcomes.map(({ from, to, start, end, bytes, stalledTime }) => ({ from, to, start, end, bytes, stalledTime }));
    const results: Results = {
      scenario: scenario.name,
      seed: scenario.seed,
      migrations,
      summary: summarize(migrations, coreBytes, {
        flows,
        trafficCoreBytes: outcomes.reduce((sum, flow) => sum + flow.coreBytes, 0),
        peakCoreUtilization: links.reduce((peak, link, i) => (topology.links.core[i] === 1 ? Math.max(peak, link.peakUtilization) : peak), 0),
        coreUtilization: network.coreUtilizationOverTime(),
        inFlight: binSteps(inFlight.map((point) => ({ timeS: point.time, value: point.count })), endS),
        maxInFlight: inFlight.reduce((most, point) => Math.max(most, point.count), 0),
        energy: energySummary,
      }),
      traffic: flows,
      links,
      hosts,
      ...(switches === undefined ? {} : { switches }),
      vms,
      run: { simulatedTime: endS, events: this.sim.eventsProcessed, resolves: network.resolveCount },
    };
    // Off in production unless asked for; the test suite sets MIGNET_CHECKS=1 (vitest.config.ts).
    if (scenario.checks ?? process.env.MIGNET_CHECKS === '1') checkInvariants(results, {
      coreCapacityBytesPerS: coreCapacity(topology, scenario.faults),
      vcpus: new Map(scenario.vms.map((vm) => [vm.id, vm.vcpus])),
    });
    return results;
  }
}

/** The most the core links can carry at once, B/s: their capacities summed, each raised to the highest a
 * degrade fault sets (an over-estimate is fine: invariants.ts bounds a rounding error with it). */
function coreCapacity(topology: Topology, faults: Scenario['faults']): number {
  const raisedBytesPerS = faults.reduce((most, fault) => Math.max(most, fault.capacityBytesPerS ?? 0), 0);
  let sum = 0;
  for (let link = 0; link < topology.links.count; link++) {
    if (topology.links.core[link] === 1) sum += Math.max(topology.links.capacityBytesPerS[link]!, raisedBytesPerS);
  }
  return sum;
}

/** The scenario's run-length limits as the simulator checks them; the wall-clock time counts from here. */
function simulatorLimits(limits: Scenario['limits'], clock: (() => number) | undefined): SimulatorLimits {
  const simulator: SimulatorLimits = { maxEvents: limits.maxEvents, maxSimulatedTimeS: limits.maxSimulatedTimeS };
  if (clock !== undefined) simulator.wallClock = { nowS: clock, deadlineS: clock() + limits.maxWallTimeS, maxWallTimeS: limits.maxWallTimeS };
  return simulator;
}

function newRecord(migration: MigrationSpec, from: string): MigrationRecord {
  return {
    vm: migration.vm,
    from,
    to: migration.to,
    strategy: migration.strategy,
    status: 'pending',
    downtimeLimitS: migration.downtimeLimitS,
    startS: 0,
    endS: 0,
    downtimeS: 0,
    rounds: 0,
    memoryBytes: 0,
    wireBytes: 0,
    degradedTimeS: 0,
    faults: 0,
    faultWaitS: 0,
    phases: [],
    referencedBytes: 0,
    savedWireBytes: 0,
    fetchWireBytes: 0,
    coreWireBytes: 0,
  };
}
