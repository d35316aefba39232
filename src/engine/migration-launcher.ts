// Starts one migration of a scenario's run (scenario-run.ts) when the schedule launches it: the paths that
// cannot start (no path, a VM lost, the policy gate's refusal; a retry that cannot start), the strategy and its
// TransferPlan, the shared-page cohort it joins (shared-pages.ts), its energy and fault watcher, the
// MigrationProcess, and what its end does to the placement, the destination's room and the schedule.
// Assumes the run's components are built and wired (scenario-run.ts); it holds no state of its own.
import type { Scenario, VmSpec } from '../config/scenario.js';
import type { HostCapacity } from '../migration/host-capacity.js';
import type { MigrationRecord, TransferPlan } from '../migration/migration-process.js';
import { MigrationProcess } from '../migration/migration-process.js';
import { strategyEntry } from '../migration/registry.js';
import type { SharedPageCohorts, SharedPageSession } from '../migration/shared-pages.js';
import type { Router } from '../topology/routing.js';
import type { Topology } from '../topology/types.js';
import type { ApplicationTraffic } from '../transport/application-traffic.js';
import type { EnergyAccounting } from './energy-accounting.js';
import { migrationCpuOptions, migrationWireFactor } from './migration-costs.js';
import type { MigrationFaults } from './migration-faults.js';
import type { PolicyGate } from './policy-gate.js';
import type { Simulator } from './simulator.js';
import type { StorageAddressing } from './storage-addressing.js';

/** The run's components a launch reads and drives (scenario-run.ts builds them). */
export interface LaunchParts {
  scenario: Scenario;
  sim: Simulator;
  topology: Topology;
  router: Router;
  records: MigrationRecord[];
  vms: ReadonlyMap<string, VmSpec>;
  /** where each VM (and endpoint) runs now */
  placement: Map<string, string>;
  /** the VMs paused by their migration now (their application flows stall) */
  paused: Set<string>;
  capacity: HostCapacity;
  cohorts: SharedPageCohorts;
  gate: PolicyGate;
  energy: EnergyAccounting;
  wan: StorageAddressing;
  faults: MigrationFaults;
  traffic: ApplicationTraffic;
  /** the route of a VM's migration stream (ECMP-salted by the VM) */
  migrationRoute: (vm: string, from: string, to: string) => Int32Array | null;
  rackOf: (host: string) => string;
  /** a migration is over for good: the schedule and the traffic horizon hear of it */
  finished: (index: number) => void;
}

export class MigrationLauncher {
  constructor(private readonly parts: LaunchParts) {}

  /** Starts migration `index` now (the schedule's launch, or a retry's). */
  launch(index: number): void {
    const { scenario, sim, records, vms, placement, faults, gate } = this.parts;
    const migration = scenario.migrations[index]!;
    const record = records[index]!;
    const vm = vms.get(migration.vm)!;
    record.from = placement.get(vm.id)!;
    record.startS = record.endS = sim.nowS;
    const path = this.parts.migrationRoute(vm.id, record.from, migration.to);
    const lost = faults.startProblem(vm.id);
    const refused = path === null ? `no path from ${record.from} to ${migration.to}` : lost === undefined ? gate.refusal(index, vm, migration, record.from, path) : undefined;
    if (path === null || lost !== undefined || refused !== undefined) {
      this.cannotStart(index, lost, refused);
      return;
    }
    this.start(index, path);
  }

  private cannotStart(index: number, lost: string | undefined, refused: string | undefined): void {
    const { scenario, sim, records, vms, faults, capacity } = this.parts;
    const migration = scenario.migrations[index]!;
    const record = records[index]!;
    const vm = vms.get(migration.vm)!;
    // A retry that cannot start is one more failed attempt, not a refusal: the attempts before it ran and
    // moved bytes, and a refused migration is one that never ran (results.ts leaves it out of the sums).
    const retrying = faults.attemptsOf(index) > 0;
    record.status = lost === undefined && !retrying ? 'refused' : 'failed';
    record.reason = lost ?? refused ?? '';
    if (retrying && lost === undefined && faults.failedStart(index, migration, record, () => this.launch(index))) return;
    capacity.abandoned(vm, migration.to);
    sim.after(0, () => this.parts.finished(index));
  }

  private start(index: number, path: Int32Array): void {
    const { scenario, sim, topology, router, records, vms, placement, paused, cohorts, energy, wan, faults, traffic } = this.parts;
    const migration = scenario.migrations[index]!;
    const record = records[index]!;
    const vm = vms.get(migration.vm)!;
    const pathRttS = 2 * router.pathLatencyS(path);
    const strategy = strategyEntry(migration.strategy).create({ vm, migration, pathRttS, switchoverReady: () => transfer.switchover?.mayPause('memory') ?? true });
    const transfer: TransferPlan = {
      vm,
      migration,
      path,
      wireFactor: migrationWireFactor(scenario.network, migration),
      cores: migration.cores,
      cpu: migrationCpuOptions(migration),
      onStreamRate: (payloadBytesPerS, cost) => energy.streamRate(index, payloadBytesPerS, cost),
      route: (from, to) => this.parts.migrationRoute(vm.id, from, to),
    };
    const sharing = cohorts.join({
      image: vm.content.image,
      poolBytes: vm.content.image === undefined ? 0 : (scenario.images[vm.content.image]?.sharedPoolBytes ?? 0),
      irlm: migration.optimizations.irlm,
      gang: migration.optimizations.gang ?? false,
      from: record.from,
      to: migration.to,
      fromRack: this.parts.rackOf(record.from),
      toRack: this.parts.rackOf(migration.to),
    });
    if (sharing !== undefined) transfer.sharing = sharing;
    const from = record.from;
    const observeGuest = (id: string, guest: string, host: string): void => {
      if (guest === 'paused') paused.add(id);
      else paused.delete(id);
      placement.set(id, host);
      traffic.endpointChanged(id);
      energy.guestChanged(id, host, guest !== 'paused');
    };
    const bandwidth = pathRateBytesPerS(topology, path, scenario.network.tcpWindowBytes, router.pathLatencyS(path));
    energy.migrationStarted(index, from, migration.to, transfer.cpu ?? {}, bandwidth);
    const watch = faults.watch(index, migration, from, record, observeGuest);
    // The disk's copy runs on the watched network too (its stalls count), and stops first on an abort.
    wan.attach(transfer, record, watch.network);
    watch.onAbort(() => wan.abort(vm.id));
    new MigrationProcess(
      sim,
      watch.network,
      transfer,
      strategy,
      record,
      watch.ended((ended) => this.migrationEnded(index, from, sharing, ended)),
      watch.observe,
    ).start();
  }

  /** An attempt of migration `index`, started on `from`, ended as `ended` says. */
  private migrationEnded(index: number, from: string, sharing: SharedPageSession | undefined, ended: MigrationRecord): void {
    const { scenario, vms, placement, capacity, gate, energy, wan, faults } = this.parts;
    const migration = scenario.migrations[index]!;
    const vm = vms.get(migration.vm)!;
    sharing?.leave();
    gate.ended(index);
    // The guest runs on its destination, or back on its source; a lost VM runs nowhere.
    energy.migrationEnded(index, vm.id, faults.isLost(index) ? undefined : ended.status === 'completed' ? ended.to : from);
    if (faults.retry(index, migration, ended, () => this.launch(index))) return; // the destination stays reserved
    if (ended.status === 'completed') {
      placement.set(vm.id, ended.to);
      capacity.completed(vm, from);
    } else {
      // A migration that did not complete leaves the guest on its source and frees the destination;
      // its disk copy stops there (a snapshot copy leaves its snapshots: storage-addressing.ts).
      capacity.abandoned(vm, migration.to);
      wan.abort(vm.id);
    }
    this.parts.finished(index);
  }
}

/** The wire rate of a flow alone on a path: its narrowest link, and the TCP window per RTT (flow-network.ts). */
export function pathRateBytesPerS(topology: Topology, path: Int32Array, tcpWindowBytes: number, latencyS: number): number {
  let rate = latencyS > 0 ? tcpWindowBytes / (2 * latencyS) : Infinity;
  for (const link of path) rate = Math.min(rate, topology.links.capacityBytesPerS[link] ?? Infinity);
  return rate;
}
