// Power drawn by a host as a function of its CPU utilization u (0..1), in watts. Two models:
//
// - linear: P(u) = P_idle + (P_max − P_idle)·u. Fan, Weber & Barroso, "Power provisioning for a
//   warehouse-sized computer", ISCA 2007, model whole-server power as linear in CPU utilization between idle
//   and busy power; Huang, Gao, Wang & Qi, "Power consumption of virtual machine live migration in clouds",
//   CMC 2011, use the same linear model for the hosts of a live migration (DESIGN.md, Power). CloudSim's
//   PowerModelLinear (Beloglazov & Buyya, CCPE 2012) is this line with P_idle a fraction of P_max, except
//   that it returns 0 W at u = 0 (an unloaded host counted as off); here u = 0 draws P_idle, and switching a
//   host off is the runtime's decision (consolidation), shown as 0 W on the energy meter.
// - table: watts measured at 0, 10, ..., 100 % load (SPECpower_ssj2008), linear between neighbouring
//   entries: CloudSim's PowerModelSpecPower.getPower. Any table of n ≥ 2 entries at equal steps from 0 to
//   100 % is accepted; SPECpower's has 11.
//
// Utilization is clamped to 0..1: a host cannot draw more than at full load, and demand beyond its cores is
// reported by energy-meter.ts hostUtilization, not silently turned into watts. A NaN utilization throws.
import { SimulationError } from '../engine/simulation-error.js';

/**
 * HP ProLiant ML110 G4 (1 × Xeon 3040, 1.86 GHz, 2 cores, 4 GB), watts at 0, 10, ..., 100 % load: CloudSim
 * PowerModelSpecPowerHpProLiantMl110G4Xeon3040 (Cloudslab/cloudsim, modules/cloudsim/src/main/java/org/
 * cloudbus/cloudsim/power/models/), from
 * SPECpower_ssj2008 result power_ssj2008-20110127-00342.
 */
export const HP_PROLIANT_ML110_G4_XEON3040_W: readonly number[] = Object.freeze([
  86, 89.4, 92.6, 96, 99.5, 102, 106, 108, 112, 114, 117,
]);

/**
 * HP ProLiant ML110 G5 (1 × Xeon 3075, 2.66 GHz, 2 cores, 4 GB), watts at 0, 10, ..., 100 % load: CloudSim
 * PowerModelSpecPowerHpProLiantMl110G5Xeon3075, from SPECpower_ssj2008 result power_ssj2008-20110124-00339.
 */
export const HP_PROLIANT_ML110_G5_XEON3075_W: readonly number[] = Object.freeze([
  93.7, 97, 101, 105, 110, 116, 121, 125, 129, 133, 135,
]);

/** A host's power model, as the scenario gives it (`hosts.power: { idle, max }` or a table). */
export type HostPowerModel =
  | { kind: 'linear'; idleW: number; maxW: number }
  | { kind: 'table'; wattsAtLoad: readonly number[] };

/** Utilization clamped to 0..1; throws on NaN. */
export function clampUtilization(utilization: number, where = 'hostPower'): number {
  if (Number.isNaN(utilization)) throw new SimulationError(where, 'utilization is NaN');
  return Math.min(1, Math.max(0, utilization));
}

function checkWatts(where: string, name: string, watts: number): void {
  if (!(watts >= 0) || !Number.isFinite(watts)) {
    throw new SimulationError(where, `${name} ${watts} W is not a finite non-negative power`);
  }
}

/** P(u) = P_idle + (P_max − P_idle)·u, u clamped to 0..1 (Fan et al. ISCA 2007; Huang et al. CMC 2011). */
export function linearPower(idleW: number, maxW: number, utilization: number): number {
  checkWatts('linearPower', 'idle', idleW);
  checkWatts('linearPower', 'max', maxW);
  if (maxW < idleW) throw new SimulationError('linearPower', `max ${maxW} W is below idle ${idleW} W`);
  return idleW + (maxW - idleW) * clampUtilization(utilization, 'linearPower');
}

/**
 * Watts at utilization u from a table of watts at equal steps from 0 to 100 % load, linear between
 * neighbouring entries (CloudSim PowerModelSpecPower.getPower), u clamped to 0..1.
 */
export function tablePower(wattsAtLoad: readonly number[], utilization: number): number {
  const steps = wattsAtLoad.length - 1;
  if (steps < 1) {
    throw new SimulationError('tablePower', `a table needs watts at 0 and 100 % load; got ${wattsAtLoad.length} entry`);
  }
  wattsAtLoad.forEach((watts, i) => checkWatts('tablePower', `entry ${i}`, watts));
  const position = clampUtilization(utilization, 'tablePower') * steps;
  const below = Math.min(Math.floor(position), steps - 1);
  const low = wattsAtLoad[below] ?? 0;
  const high = wattsAtLoad[below + 1] ?? low;
  return low + (high - low) * (position - below);
}

export function hostPowerW(model: HostPowerModel, utilization: number): number {
  return model.kind === 'linear'
    ? linearPower(model.idleW, model.maxW, utilization)
    : tablePower(model.wattsAtLoad, utilization);
}

/** Power at no load (P(0)) and at full load (P(1)). */
export function powerRange(model: HostPowerModel): { idleW: number; maxW: number } {
  return { idleW: hostPowerW(model, 0), maxW: hostPowerW(model, 1) };
}
