// Per-migration energy from published closed forms, reported beside the energy mignet integrates from host
// power (energy-meter.ts), for comparison (DESIGN.md, Power).
//
// - Liu et al.: E_mig = α·V_mig + β, V_mig the data the migration transferred. H. Liu et al., "Performance
//   and energy modeling for live migration of virtual machines", HPDC 2011 (doi 10.1145/1996130.1996154);
//   extended by H. Liu, H. Jin, C.-Z. Xu, X. Liao in Cluster Computing (doi 10.1007/s10586-011-0194-3):
//   five workloads on a Xen testbed, models fitted to measurements.
//   The fitted α and β are NOT built in. We could not read the paper's text to check them: the values that
//   circulate in public code, β = 20.165 J with α = 0.512, are used with V in different units by different
//   reproductions (512 J/GB in one, 4.096 J per unit, i.e. 0.512 × 8, in others), so the unit of α cannot be
//   settled from them. α and β are required parameters, in J per byte and J.
// - Strunk: the energy overhead of live-migrating an idle VM as a function of the VM's memory size and the
//   available network bandwidth. A. Strunk, "A lightweight model for estimating energy cost of live
//   migration of virtual machines", IEEE CLOUD 2013 (pp. 510–517), after A. Strunk, W. Dargie, "Does live
//   migration of virtual machines cost energy?", AINA 2013: a KVM testbed, a model fitted by regression
//   with over 90 % accuracy (abstract). Neither the paper's exact equation nor its coefficients could be
//   read here, so this is a linear form in the two variables the abstract names,
//   E = c0 + c_mem·M + c_bw·B, with every coefficient required; fit it to the paper's data (or your own)
//   before use. Outside the fitted range a regression can go negative: that throws instead of returning
//   negative joules.
import { SimulationError } from '../engine/simulation-error.js';

export interface LiuCoefficients {
  /** α, joules per byte transferred */
  alphaJPerByte: number;
  /** β, joules */
  betaJ: number;
}

/** Liu et al. HPDC 2011: E_mig = α·V_mig + β, V_mig in bytes. */
export function liuMigrationEnergyJ(transferredBytes: number, coefficients: LiuCoefficients): number {
  if (!(transferredBytes >= 0) || !Number.isFinite(transferredBytes)) {
    throw new SimulationError('liuMigrationEnergyJ', `volume ${transferredBytes} B is not finite and non-negative`);
  }
  const { alphaJPerByte, betaJ } = coefficients;
  if (!Number.isFinite(alphaJPerByte) || !Number.isFinite(betaJ)) {
    throw new SimulationError('liuMigrationEnergyJ', `coefficients α ${alphaJPerByte} J/B, β ${betaJ} J not finite`);
  }
  return checkEnergy('liuMigrationEnergyJ', alphaJPerByte * transferredBytes + betaJ);
}

export interface StrunkCoefficients {
  /** c0, joules */
  constantJ: number;
  /** c_mem, joules per byte of VM memory */
  perMemoryByteJ: number;
  /** c_bw, joules per (byte per second) of available bandwidth */
  perBandwidthJ: number;
}

/** E = c0 + c_mem·M + c_bw·B: memory size M (bytes) and available bandwidth B (B/s); see the module comment. */
export function strunkMigrationEnergyJ(
  memoryBytes: number,
  bandwidthBytesPerS: number,
  coefficients: StrunkCoefficients,
): number {
  if (!(memoryBytes >= 0) || !Number.isFinite(memoryBytes)) {
    throw new SimulationError('strunkMigrationEnergyJ', `memory ${memoryBytes} B is not finite and non-negative`);
  }
  if (!(bandwidthBytesPerS > 0) || !Number.isFinite(bandwidthBytesPerS)) {
    throw new SimulationError('strunkMigrationEnergyJ', `bandwidth ${bandwidthBytesPerS} B/s is not finite, positive`);
  }
  const { constantJ, perMemoryByteJ, perBandwidthJ } = coefficients;
  if (![constantJ, perMemoryByteJ, perBandwidthJ].every(Number.isFinite)) {
    throw new SimulationError('strunkMigrationEnergyJ', 'coefficients are not finite');
  }
  const joules = constantJ + perMemoryByteJ * memoryBytes + perBandwidthJ * bandwidthBytesPerS;
  return checkEnergy('strunkMigrationEnergyJ', joules);
}

function checkEnergy(where: string, joules: number): number {
  if (joules < 0) {
    throw new SimulationError(where, `estimate ${joules} J is negative: inputs outside the range the coefficients fit`);
  }
  return joules;
}
