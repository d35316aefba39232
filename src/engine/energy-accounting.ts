// Host power and energy over a run, and the share of it each migration is responsible for.
//
// Every host has an EnergyMeter (src/power/energy-meter.ts) whose power is set at every event that changes
// the host's CPU load, so energy is integrated exactly between events:
//   - where each VM's guest runs: its load cpuLoad·vcpus counts on the host it runs on, and nowhere while it
//     is paused (run-scenario.ts reports the guest's state; at the end of a migration the VM is on its
//     destination, or back on its source if the migration did not complete);
//   - migration work: while a migration's stream runs at payload rate r, its source does r × (sender
//     core-seconds per byte) and its destination r × (receiver core-seconds per byte) of copying, cipher and
//     optimization work (src/power/migration-cpu.ts migrationCoreDemand). The flow network tells the stream's
//     rate each time a re-solve changes it, so this load is exact, not a step's average.
// Changes within one instant only mark hosts; their power is set once, after the network's re-solve at that
// instant (a settle hook of the simulator, registered after the network's), so a re-solve that changes a
// thousand rates costs one update per host touched.
// Power is P(u) of the host's model with u = demand / cores clamped to 1 (energy-meter.ts hostUtilization;
// demand beyond the cores is not turned into watts, and does not slow the guests or the stream: not
// modelled). A migration's attributed power is, on each of its two hosts, P(u with migrations) − P(u of the
// VMs alone) split among the migrations on that host by core demand (attributeMigrationPower); its energy is
// that power integrated over the run, by its own meter.
//
// Switch-off (hosts.switchOff, for consolidation studies): such a host draws 0 W while no VM is on it and no
// migration to or from it is in flight: it switches off when its last VM leaves, and is on from the moment a
// migration to it starts. Hosts empty from the start are off. Boot time and boot energy are not modelled.
//
// Faults (fault-injector.ts): a crashed host draws 0 W from the crash on, and the VMs on it are gone; a VM a
// migration lost runs nowhere. A migration retried after a failure keeps one energy over its attempts.
//
// Accounting ends at the horizon (`horizon`, else the end of the run): changes after it are ignored, and each
// meter integrates its power up to it. Each host's power over time is kept in a fixed number of equal bins
// (src/transport/utilization-bins.ts, as the links' utilization): its mean and peak watts per bin, so the series
// costs the same whether the run has ten events or ten million (issue 17: 3,000 link flaps made 6,003 points
// per host, 164 MB of JSON).
//
// Beside the integrated energy, each migration that ran gets the published estimates whose coefficients the
// scenario gives (src/power/migration-energy.ts; unverified fits, so none is built in): Liu et al. with V its
// wire bytes, Strunk with its VM's memory and the bandwidth of its path alone (narrowest link, TCP window).
import type { EnergyEstimatesSpec } from '../config/power-schema.js';
import type { HostSpec, VmSpec } from '../config/scenario.js';
import { attributeMigrationPower, EnergyMeter, hostUtilization, type VmCpuDemand } from '../power/energy-meter.js';
import { hostPowerW, type HostPowerModel } from '../power/host-power.js';
import { cpuSecondsPerPayloadByte, type MigrationCpuOptions, type PerHost, type StreamCost } from '../power/migration-cpu.js';
import { liuMigrationEnergyJ, strunkMigrationEnergyJ } from '../power/migration-energy.js';
import { UtilizationBins, type UtilizationSeries } from '../transport/utilization-bins.js';
import type { FaultListener } from './fault-injector.js';
import type { EnergyEstimates, HostResult, MigrationResult, Summary } from './results.js';
import type { Simulator } from './simulator.js';

interface HostState {
  id: string;
  cores: number;
  model: HostPowerModel;
  switchOff: boolean;
  crashed: boolean;
  /** VMs whose guest is on the host (running or paused), for switch-off */
  residents: Set<string>;
  /** the running guests' CPU demand, rebuilt when guests come or go */
  running: VmCpuDemand[];
  /** migrations in flight from or to the host → their core demand on it */
  migrations: Map<number, number>;
  /** migration index → watts attributed to it on this host */
  attributed: Map<number, number>;
  /** channel of the host in the power bins */
  index: number;
  /** the bins hold the host's power up to here, s; it has been constant since */
  binnedS: number;
  /** its power changed after time 0, so its series is in the bins (otherwise one bin of constant power) */
  varies: boolean;
  meter: EnergyMeter;
  migrationMeter: EnergyMeter;
}

interface MigrationState {
  from: HostState;
  to: HostState;
  cpu: MigrationCpuOptions;
  meter: EnergyMeter;
  /** core-seconds per payload byte of the step whose cost this is (a step keeps one cost object) */
  perByte: { cost: StreamCost; cores: PerHost } | undefined;
}

export class EnergyAccounting implements FaultListener {
  readonly #hosts = new Map<string, HostState>();
  readonly #vms: ReadonlyMap<string, VmSpec>;
  /** VM id → host its guest is on, and whether it runs */
  readonly #guests = new Map<string, { host: string; running: boolean }>();
  readonly #migrations = new Map<number, MigrationState>();
  /** energy of every migration that ran, by index (its meter, kept after it ends) */
  readonly #migrationMeters = new Map<number, EnergyMeter>();
  /** hosts whose load changed at this instant, updated at its settle */
  readonly #dirty = new Set<HostState>();
  /** migration index → the bandwidth of its path alone, B/s (for Strunk's estimate) */
  readonly #bandwidths = new Map<number, number>();
  /** each host's power over time, W, binned (one channel per host) */
  readonly #powerBins: UtilizationBins;

  constructor(
    private readonly sim: Simulator,
    hosts: readonly string[],
    hostSpec: (host: string) => HostSpec,
    vms: readonly VmSpec[],
    private readonly horizonS: number | undefined,
    private readonly estimates: EnergyEstimatesSpec = {},
  ) {
    this.#vms = new Map(vms.map((vm) => [vm.id, vm]));
    this.#powerBins = new UtilizationBins(hosts.length);
    for (const id of hosts) {
      const spec = hostSpec(id);
      this.#hosts.set(id, {
        id,
        cores: spec.cores,
        model: spec.power,
        switchOff: spec.switchOff,
        crashed: false,
        residents: new Set(),
        running: [],
        migrations: new Map(),
        attributed: new Map(),
        index: this.#hosts.size,
        binnedS: 0,
        varies: false,
        meter: new EnergyMeter(0, 0),
        migrationMeter: new EnergyMeter(0, 0),
      });
    }
    for (const vm of vms) {
      this.#guests.set(vm.id, { host: vm.host, running: true });
      this.#host(vm.host).residents.add(vm.id);
    }
    for (const host of this.#hosts.values()) {
      this.#rebuildRunning(host);
      this.#update(host);
    }
    sim.onSettle(() => this.#flush());
  }

  #touch(host: HostState): void {
    this.#dirty.add(host);
  }

  #flush(): void {
    for (const host of this.#dirty) this.#update(host);
    this.#dirty.clear();
  }

  #host(id: string): HostState {
    const host = this.#hosts.get(id);
    if (host === undefined) throw new Error(`energyAccounting: no host ${id}`);
    return host;
  }

  /** Whether changes now still count: accounting stops at the horizon. */
  #accounting(): boolean {
    return this.horizonS === undefined || this.sim.nowS <= this.horizonS;
  }

  #rebuildRunning(host: HostState): void {
    host.running = [];
    for (const id of host.residents) {
      const vm = this.#vms.get(id);
      if (vm !== undefined && this.#guests.get(id)?.running === true) host.running.push({ cpuLoad: vm.cpuLoad, vcpus: vm.vcpus });
    }
  }

  /** Sets the host's power and its migrations' attributed power from its current load. */
  #update(host: HostState): void {
    if (!this.#accounting()) return;
    const now = this.sim.nowS;
    let migrationCores = 0;
    for (const demand of host.migrations.values()) migrationCores += demand;
    const load = hostUtilization(host.cores, host.running, migrationCores);
    const on = !host.crashed && (!host.switchOff || host.residents.size > 0 || host.migrations.size > 0);
    const watts = on ? hostPowerW(host.model, load.utilization) : 0;
    if (watts !== host.meter.powerW) {
      // Only changes reach the bins: a host at constant power never allocates them (65,536 idle hosts would
      // hold 134 MB of bins).
      if (now > host.binnedS) {
        this.#powerBins.add(host.index, host.binnedS, now, host.meter.powerW);
        host.varies = true;
      }
      host.binnedS = now;
    }
    host.meter.setPower(now, watts);
    // attributeMigrationPower's split. On the linear model below full load each core-second costs the same,
    // (P_max − P_idle) / cores, so each migration's share is that times its own demand: the same split,
    // computed per migration, so one whose demand did not change keeps its watts and its meter is not touched.
    const model = host.model;
    const slope = model.kind === 'linear' && load.demandCores <= host.cores ? (model.maxW - model.idleW) / host.cores : undefined;
    const shares = slope === undefined ? attributeMigrationPower(model, host.cores, load.vmCores, [...host.migrations.values()]) : undefined;
    let total = 0;
    let i = 0;
    for (const [index, demand] of host.migrations) {
      const watts = slope === undefined ? (shares?.[i] ?? 0) : slope * demand;
      i++;
      total += watts;
      if (host.attributed.get(index) === watts) continue;
      host.attributed.set(index, watts);
      const migration = this.#migrations.get(index);
      if (migration !== undefined) {
        migration.meter.setPower(now, (migration.from.attributed.get(index) ?? 0) + (migration.to.attributed.get(index) ?? 0));
      }
    }
    host.migrationMeter.setPower(now, total);
  }

  /** Where a VM's guest is now, and whether it runs or is paused (run-scenario.ts's guest observer). */
  guestChanged(vm: string, host: string, running: boolean): void {
    this.#place(vm, host, running);
  }

  /** Puts a VM's guest on a host (running or paused), or nowhere (`undefined`: lost). */
  #place(vm: string, hostId: string | undefined, running: boolean): void {
    const before = this.#guests.get(vm);
    const touched = new Set<HostState>();
    if (before !== undefined) {
      const old = this.#host(before.host);
      old.residents.delete(vm);
      touched.add(old);
    }
    if (hostId === undefined) {
      this.#guests.delete(vm);
    } else {
      this.#guests.set(vm, { host: hostId, running });
      const host = this.#host(hostId);
      host.residents.add(vm);
      touched.add(host);
    }
    for (const host of touched) {
      this.#rebuildRunning(host);
      this.#touch(host);
    }
  }

  /** Migration `index` starts from `from` to `to`: both hosts are busy with it (and on) until it ends. */
  migrationStarted(index: number, from: string, to: string, cpu: MigrationCpuOptions, pathBandwidthBytesPerS: number): void {
    this.#bandwidths.set(index, pathBandwidthBytesPerS);
    // A retried migration's attempts share one meter.
    const meter = this.#migrationMeters.get(index) ?? new EnergyMeter(0, 0);
    const state: MigrationState = { from: this.#host(from), to: this.#host(to), cpu, meter, perByte: undefined };
    this.#migrations.set(index, state);
    this.#migrationMeters.set(index, state.meter);
    state.from.migrations.set(index, 0);
    state.to.migrations.set(index, 0);
    this.#touch(state.from);
    this.#touch(state.to);
  }

  /** The stream of migration `index` now runs at `payloadBytesPerS`, each byte costing `cost`. */
  streamRate(index: number, payloadBytesPerS: number, cost: StreamCost): void {
    const state = this.#migrations.get(index);
    if (state === undefined) return;
    if (!(payloadBytesPerS >= 0) || !Number.isFinite(payloadBytesPerS)) {
      throw new Error(`energyAccounting: stream rate ${payloadBytesPerS} B/s of migration ${index}`);
    }
    // migration-cpu.ts migrationCoreDemand: the work per payload byte times the rate (per byte cached per step).
    if (state.perByte?.cost !== cost) state.perByte = { cost, cores: cpuSecondsPerPayloadByte(cost, state.cpu) };
    state.from.migrations.set(index, state.perByte.cores.sender * payloadBytesPerS);
    state.to.migrations.set(index, state.perByte.cores.receiver * payloadBytesPerS);
    this.#touch(state.from);
    this.#touch(state.to);
  }

  /** Migration `index` ended (or one attempt of it); its VM's guest runs on `host`, or nowhere if it was lost. */
  migrationEnded(index: number, vm: string, host: string | undefined): void {
    const state = this.#migrations.get(index);
    if (state !== undefined) {
      this.#migrations.delete(index);
      state.from.migrations.delete(index);
      state.to.migrations.delete(index);
      state.from.attributed.delete(index);
      state.to.attributed.delete(index);
      if (this.#accounting()) state.meter.setPower(this.sim.nowS, 0);
    }
    this.#place(vm, host, true);
    if (state !== undefined) {
      this.#touch(state.from);
      this.#touch(state.to);
    }
  }

  linksChanged(): void {
    // Links carry no power in this model (switch power is not modelled).
  }

  /** A crashed host draws nothing from now on; the VMs on it are gone. */
  hostCrashed(id: string): void {
    const host = this.#host(id);
    host.crashed = true;
    for (const vm of host.residents) this.#guests.delete(vm);
    host.residents.clear();
    this.#rebuildRunning(host);
    this.#touch(host);
  }

  /** The time accounting ends: the horizon, else the end of the run. */
  endS(runEndS: number): number {
    return this.horizonS ?? runEndS;
  }

  /** Energy migration `index` was responsible for, J (0 if it never ran). */
  migrationEnergyJ(index: number, untilS: number): number {
    return this.#migrationMeters.get(index)?.energyJ(untilS) ?? 0;
  }

  /** The estimates the scenario has coefficients for, of a migration that ran; undefined when none. */
  estimatesFor(index: number, migration: MigrationResult): EnergyEstimates | undefined {
    const { liu, strunk } = this.estimates;
    const bandwidth = this.#bandwidths.get(index);
    if ((liu === undefined && strunk === undefined) || bandwidth === undefined) return undefined;
    const out: EnergyEstimates = {};
    if (liu !== undefined) out.liu = liuMigrationEnergyJ(migration.bytes.wire, liu);
    const memoryBytes = this.#vms.get(migration.vm)?.memoryBytes;
    if (strunk !== undefined && memoryBytes !== undefined && bandwidth > 0 && Number.isFinite(bandwidth)) {
      out.strunk = strunkMigrationEnergyJ(memoryBytes, bandwidth, strunk);
    }
    return out;
  }

  /** summary.energy: every host's energy, the migrations' share, the end of accounting, the estimates' sums. */
  summary(hosts: readonly HostResult[], migrations: readonly MigrationResult[], untilS: number): Summary['energy'] {
    const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
    const energy: Summary['energy'] = {
      total: sum(hosts.map((host) => host.energy)),
      migration: sum(migrations.map((m) => m.energy)),
      horizon: untilS,
    };
    const estimated = migrations.flatMap((m) => (m.energyEstimates === undefined ? [] : [m.energyEstimates]));
    if (this.estimates.liu !== undefined || this.estimates.strunk !== undefined) {
      energy.estimates = {};
      if (this.estimates.liu !== undefined) energy.estimates.liu = sum(estimated.map((e) => e.liu ?? 0));
      if (this.estimates.strunk !== undefined) energy.estimates.strunk = sum(estimated.map((e) => e.strunk ?? 0));
    }
    return energy;
  }

  hostResults(untilS: number): HostResult[] {
    return [...this.#hosts.values()].map((host) => {
      const watts = host.meter.powerW;
      let power: UtilizationSeries;
      if (host.varies) {
        // The last power, held from its change to the end of accounting.
        this.#powerBins.add(host.index, host.binnedS, untilS, watts);
        power = this.#powerBins.series(host.index, untilS);
      } else {
        power = { interval: untilS, mean: [untilS > 0 ? watts : 0], peak: [untilS > 0 ? watts : 0] };
      }
      return { id: host.id, energy: host.meter.energyJ(untilS), migrationEnergy: host.migrationMeter.energyJ(untilS), power };
    });
  }
}
