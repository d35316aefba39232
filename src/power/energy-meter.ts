// Energy as the exact integral of a piecewise-constant power, and the CPU utilization that sets a host's
// power between events.
//
// EnergyMeter: power changes only at events (a VM or a migration starts or stops, a host switches off), so
// between two events it is constant and E = Σ P_i·Δt_i exactly; the runtime calls setPower at every event
// that changes a host's utilization, and energyJ at the horizon. Time never goes backwards (asserted, as in
// the event queue). The sum is compensated (Neumaier), so a million intervals keep the 1e-9 relative
// accuracy the issue asks of ∫ P dt.
//
// hostUtilization: demand in cores = Σ over the host's VMs of cpuLoad·vcpus, plus the migration work on the
// host in core-seconds per second (copying, compression, encryption, hashing: src/power/migration-cpu.ts);
// utilization = demand / cores, clamped to 1. Demand beyond the cores is returned as `excessCores` rather
// than dropped: the host cannot do that work, so the runtime must slow the migration (cap its stream at the
// cores left) or report the guests' slowdown; power stays at full load.
//
// attributeMigrationPower: the watts a host draws because of migrations, P(u_all) − P(u_vms), split
// between the migrations in flight in proportion to their core demand (exact for the linear model, where
// each core-second costs the same; the table models' curvature is shared out the same way).
import { SimulationError } from '../engine/simulation-error.js';
import { hostPowerW, type HostPowerModel } from './host-power.js';

/** Integrates a piecewise-constant power exactly. One per host (or per migration). */
export class EnergyMeter {
  #timeS: number;
  #powerW: number;
  #sum = 0;
  #compensation = 0;

  constructor(startS = 0, powerW = 0) {
    if (!Number.isFinite(startS)) throw new SimulationError('EnergyMeter', `start ${startS} s is not finite`);
    EnergyMeter.#checkWatts(powerW);
    this.#timeS = startS;
    this.#powerW = powerW;
  }

  static #checkWatts(watts: number): void {
    if (!(watts >= 0) || !Number.isFinite(watts)) {
      throw new SimulationError('EnergyMeter', `power ${watts} W is not a finite non-negative power`);
    }
  }

  #checkTime(where: string, timeS: number): void {
    if (!Number.isFinite(timeS)) throw new SimulationError(where, `time ${timeS} s is not finite`);
    if (timeS < this.#timeS) {
      throw new SimulationError(where, `time ${timeS} s is before the last power change at ${this.#timeS} s`);
    }
  }

  /** Neumaier's compensated addition. */
  #add(joules: number): void {
    const total = this.#sum + joules;
    this.#compensation +=
      Math.abs(this.#sum) >= Math.abs(joules) ? this.#sum - total + joules : joules - total + this.#sum;
    this.#sum = total;
  }

  /** From `timeS` on the power is `watts`; the power so far is integrated up to `timeS`. */
  setPower(timeS: number, watts: number): void {
    this.#checkTime('EnergyMeter.setPower', timeS);
    EnergyMeter.#checkWatts(watts);
    this.#add(this.#powerW * (timeS - this.#timeS));
    this.#timeS = timeS;
    this.#powerW = watts;
  }

  /** Joules from the start up to `untilS` (≥ the last power change; default: that change). */
  energyJ(untilS: number = this.#timeS): number {
    this.#checkTime('EnergyMeter.energyJ', untilS);
    return this.#sum + this.#compensation + this.#powerW * (untilS - this.#timeS);
  }

  /** Time of the last power change, s. */
  get timeS(): number {
    return this.#timeS;
  }

  /** Power since the last change, W. */
  get powerW(): number {
    return this.#powerW;
  }

}

export interface VmCpuDemand {
  /** fraction of its vCPUs the VM keeps busy, 0..1 */
  cpuLoad: number;
  vcpus: number;
}

export interface HostUtilization {
  /** demand / cores, clamped to 0..1 */
  utilization: number;
  /** Σ cpuLoad·vcpus, cores */
  vmCores: number;
  /** migration work, core-seconds per second */
  migrationCores: number;
  /** vmCores + migrationCores */
  demandCores: number;
  /** demand the host's cores cannot serve: max(0, demand − cores) */
  excessCores: number;
}

/** The CPU utilization of a host from its VMs' load and the migration work on it; see the module comment. */
export function hostUtilization(
  cores: number,
  vms: Iterable<VmCpuDemand>,
  migrationCoreSecondsPerS = 0,
): HostUtilization {
  const fail = (what: string): never => {
    throw new SimulationError('hostUtilization', what);
  };
  if (!(cores > 0) || !Number.isFinite(cores)) fail(`${cores} cores is not a positive count`);
  if (!(migrationCoreSecondsPerS >= 0) || !Number.isFinite(migrationCoreSecondsPerS)) {
    fail(`migration work ${migrationCoreSecondsPerS} core-s/s is not finite and non-negative`);
  }
  let vmCores = 0;
  for (const vm of vms) {
    if (!(vm.cpuLoad >= 0 && vm.cpuLoad <= 1)) fail(`VM cpuLoad ${vm.cpuLoad} is outside 0..1`);
    if (!(vm.vcpus >= 0) || !Number.isFinite(vm.vcpus)) fail(`${vm.vcpus} vCPUs is not a count`);
    vmCores += vm.cpuLoad * vm.vcpus;
  }
  const demandCores = vmCores + migrationCoreSecondsPerS;
  return {
    utilization: Math.min(1, demandCores / cores),
    vmCores,
    migrationCores: migrationCoreSecondsPerS,
    demandCores,
    excessCores: Math.max(0, demandCores - cores),
  };
}

/**
 * Watts each migration in flight on a host is responsible for: P(u with migrations) − P(u of the VMs alone),
 * split in proportion to each migration's core demand (core-seconds per second, in the order given).
 */
export function attributeMigrationPower(
  model: HostPowerModel,
  cores: number,
  vmCores: number,
  migrationCores: readonly number[],
): number[] {
  if (!(cores > 0)) throw new SimulationError('attributeMigrationPower', `${cores} cores is not a positive count`);
  let total = 0;
  for (const demand of migrationCores) {
    if (!(demand >= 0) || !Number.isFinite(demand)) {
      throw new SimulationError('attributeMigrationPower', `migration demand ${demand} core-s/s is not finite, >= 0`);
    }
    total += demand;
  }
  if (total === 0) return migrationCores.map(() => 0);
  const extraW = hostPowerW(model, (vmCores + total) / cores) - hostPowerW(model, vmCores / cores);
  return migrationCores.map((demand) => (extraW * demand) / total);
}
