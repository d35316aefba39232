// Runs a validated scenario end to end: builds the topology and the flow network, lets the schedule
// launch each migration's process, runs the event loop to the end, and gathers the results. This is the
// one file of src/engine that reaches up into the model layers: it is where they meet.
import type { MigrationSpec, Scenario } from '../config/scenario.js';
import type { MigrationRecord } from '../migration/migration-process.js';
import { MigrationProcess } from '../migration/migration-process.js';
import { strategyEntry } from '../migration/registry.js';
import { Scheduler } from '../migration/schedule.js';
import { buildTopology } from '../topology/build.js';
import { Router } from '../topology/routing.js';
import type { Topology } from '../topology/types.js';
import { FlowNetwork } from '../transport/flow-network.js';
import { wireFactor } from '../transport/wire.js';
import { Random } from './random.js';
import { migrationResult, summarize, type LinkResult, type Results } from './results.js';
import { Simulator, type SimulatorLimits } from './simulator.js';

/** How a run is carried out, beyond the scenario. */
export interface RunOptions {
  /** a wall clock in seconds from any origin (the CLI passes performance.now), which `limits.maxWallTime` is
   * measured by; without one the run's wall-clock time is not limited (src/ never reads the system clock) */
  clock?: () => number;
}

export function runScenario(scenario: Scenario, options: RunOptions = {}): Results {
  const topology = buildTopology(scenario.topology);
  const router = new Router(topology);
  const sim = new Simulator(simulatorLimits(scenario.limits, options.clock));
  const network = new FlowNetwork(sim, topology.links, scenario.network.tcpWindowBytes);
  // ECMP hash seed: switches salt their hash, so different seeds spread the same flows differently.
  const ecmpSalt = Math.floor(new Random(scenario.seed).next() * 2 ** 32);
  const factor = wireFactor(scenario.network);
  const placement = new Map(scenario.vms.map((vm) => [vm.id, vm.host]));
  const vms = new Map(scenario.vms.map((vm) => [vm.id, vm]));
  const records: MigrationRecord[] = scenario.migrations.map((m) => newRecord(m, placement.get(m.vm) ?? ''));

  const scheduler = new Scheduler(sim, scenario.migrations, scenario.schedule, (index) => {
    const migration = scenario.migrations[index]!;
    const record = records[index]!;
    const vm = vms.get(migration.vm)!;
    record.from = placement.get(vm.id)!;
    record.startS = record.endS = sim.nowS;
    const path = router.route(record.from, migration.to, `${ecmpSalt}:${vm.id}`);
    if (path === null) {
      record.status = 'refused';
      record.reason = `no path from ${record.from} to ${migration.to}`;
      sim.after(0, () => scheduler.migrationEnded(index));
      return;
    }
    const pathRttS = 2 * router.pathLatencyS(path);
    const strategy = strategyEntry(migration.strategy).create({ vm, migration, pathRttS });
    const plan = { vm, migration, path, wireFactor: factor, cores: migration.cores };
    new MigrationProcess(sim, network, plan, strategy, record, (ended) => {
      placement.set(vm.id, ended.to);
      scheduler.migrationEnded(index);
    }).start();
  });
  scheduler.start();
  const endS = sim.run();

  const migrations = records.map(migrationResult);
  const links = linkResults(topology, network);
  const coreBytes = links.reduce((sum, link, i) => sum + (topology.links.core[i] === 1 ? link.bytes : 0), 0);
  return {
    scenario: scenario.name,
    seed: scenario.seed,
    migrations,
    summary: summarize(migrations, coreBytes),
    traffic: [],
    links,
    hosts: topology.hosts.map((id) => ({ id, energy: 0 })),
    run: { simulatedTime: endS, events: sim.eventsProcessed, resolves: network.resolveCount },
  };
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
  };
}

function linkResults(topology: Topology, network: FlowNetwork): LinkResult[] {
  const { links } = topology;
  return links.id.map((id, i) => ({
    id,
    from: links.from[i]!,
    to: links.to[i]!,
    bytes: network.bytesCarried(i),
    peakUtilization: network.peakUtilization(i),
  }));
}
