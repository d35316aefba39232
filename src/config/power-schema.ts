// The power sections of a scenario document (schema.ts): a host's power model (`hosts.power`), and the
// coefficients of the published per-migration energy estimates (`energy`), with their defaults and sources.
//
// `hosts.power` takes three forms (src/power/host-power.ts):
//   { idle, max }            linear in CPU utilization (Fan et al. ISCA 2007; Huang et al. CMC 2011)
//   [w0, w1, ..., wn]        watts at n + 1 equal steps of load from 0 to 100 % (SPECpower_ssj2008 gives 11),
//                            linear in between (CloudSim's PowerModelSpecPower)
//   hp-ml110-g4 | hp-ml110-g5  CloudSim's SPECpower tables of those servers, by name
// An override may give `{ idle?, max? }` over a default of any form: the missing end is the default's power at
// 0 or 100 % load, and the host's model becomes the line between them.
import { z } from 'zod';
import {
  HP_PROLIANT_ML110_G4_XEON3040_W,
  HP_PROLIANT_ML110_G5_XEON3075_W,
  type HostPowerModel,
} from '../power/host-power.js';
import type { LiuCoefficients, StrunkCoefficients } from '../power/migration-energy.js';
import type { SwitchPowerModel } from '../power/switch-power.js';
import { describeKind } from './issues.js';
import { quantity, strictObject } from './fields.js';

export interface PowerPreset {
  /** watts at 0, 10, ..., 100 % load */
  watts: readonly number[];
  description: string;
  citation: string;
}

/** CloudSim's SPECpower tables (host-power.ts), by the names a scenario gives them. */
export const POWER_PRESETS: Readonly<Record<string, PowerPreset>> = {
  'hp-ml110-g4': {
    watts: HP_PROLIANT_ML110_G4_XEON3040_W,
    description: 'HP ProLiant ML110 G4 (1 × Xeon 3040, 2 cores): 86 W idle to 117 W at full load, 11 steps',
    citation: 'SPECpower_ssj2008 power_ssj2008-20110127-00342, via CloudSim PowerModelSpecPowerHpProLiantMl110G4Xeon3040',
  },
  'hp-ml110-g5': {
    watts: HP_PROLIANT_ML110_G5_XEON3075_W,
    description: 'HP ProLiant ML110 G5 (1 × Xeon 3075, 2 cores): 93.7 W idle to 135 W at full load, 11 steps',
    citation: 'SPECpower_ssj2008 power_ssj2008-20110124-00339, via CloudSim PowerModelSpecPowerHpProLiantMl110G5Xeon3075',
  },
};

/** A host's power as written: a line between two ends, or a table of watts at equal steps of load. */
export type PowerDocument = { idle: number; max: number } | { watts: number[]; preset?: string };

/** The same, as an override may write it: a line's ends may be left to the default. */
export type PowerOverrideDocument = { idle?: number; max?: number } | { watts: number[]; preset?: string };

const wattsTable = z.array(quantity('power')).superRefine((watts, ctx) => {
  if (watts.length < 2) {
    ctx.addIssue({ code: 'custom', message: `${watts.length} entry is too few (expected watts at 0 % and 100 % load, and any equal steps between: SPECpower gives 11)` });
  }
});

const presetNames = Object.keys(POWER_PRESETS);

function fromTable(value: unknown, ctx: z.core.$RefinementCtx): PowerDocument | typeof z.NEVER {
  if (typeof value === 'string') {
    const table = POWER_PRESETS[value]?.watts;
    if (table !== undefined) return { watts: [...table], preset: value };
    ctx.issues.push({ code: 'custom', message: `unknown power model ${JSON.stringify(value)} (expected one of: ${presetNames.join(', ')}; a list of watts; or { idle, max })`, input: value });
    return z.NEVER;
  }
  const parsed = wattsTable.safeParse(value);
  if (parsed.success) return { watts: parsed.data };
  for (const problem of parsed.error.issues) ctx.issues.push({ code: 'custom', message: problem.message, path: problem.path, input: value });
  return z.NEVER;
}

/** `hosts.power` or an override's: a mapping (`line`, with its own defaults), a list of watts or a preset name. */
function powerField<D extends PowerOverrideDocument>(line: z.ZodType) {
  return z.unknown().transform((value, ctx): D => {
    if (Array.isArray(value) || typeof value === 'string') return fromTable(value, ctx) as D;
    if (typeof value !== 'object' || value === null) {
      ctx.issues.push({ code: 'custom', message: `${describeKind(value)} (expected { idle, max }, a list of watts at 0..100 % load, or one of: ${presetNames.join(', ')})`, input: value });
      return z.NEVER;
    }
    const parsed = line.safeParse(value);
    if (parsed.success) {
      const { idle, max } = parsed.data as { idle?: number; max?: number };
      return { ...(idle === undefined ? {} : { idle }), ...(max === undefined ? {} : { max }) } as D;
    }
    for (const problem of parsed.error.issues) ctx.issues.push({ code: 'custom', message: problem.message, path: problem.path, input: value });
    return z.NEVER;
  });
}

/** `hosts.power`: `line` must give both ends (its defaults do). */
export function hostPower(line: z.ZodType) {
  return powerField<PowerDocument>(line);
}

/** `hosts.overrides.<host>.power`: a line's ends may be left to the default. */
export function hostPowerOverride(line: z.ZodType) {
  return powerField<PowerOverrideDocument>(line);
}

/** The model of a host from its document and the default's: an override's missing end comes from the default. */
export function toPowerModel(own: PowerOverrideDocument | undefined, base: HostPowerModel): HostPowerModel {
  if (own === undefined) return base;
  if ('watts' in own) return { kind: 'table', wattsAtLoad: own.watts };
  const ends = base.kind === 'linear' ? { idleW: base.idleW, maxW: base.maxW } : { idleW: base.wattsAtLoad[0] ?? 0, maxW: base.wattsAtLoad[base.wattsAtLoad.length - 1] ?? 0 };
  return { kind: 'linear', idleW: own.idle ?? ends.idleW, maxW: own.max ?? ends.maxW };
}

/** A finite number, as the estimates' coefficients are written (their units are in the key's description). */
function coefficient() {
  return z.unknown().transform((value, ctx): number => {
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    ctx.issues.push({ code: 'custom', message: `${value === undefined ? 'missing' : describeKind(value)} (expected a finite number)`, input: value });
    return z.NEVER;
  });
}

/**
 * `energy`: coefficients of the per-migration estimates reported beside the integrated energy
 * (src/power/migration-energy.ts). None is built in: the published fits could not be verified (the module
 * says why), so an estimate appears only when its coefficients are given, in SI units.
 */
export const energyEstimatesSchema = strictObject({
  // Liu et al. HPDC 2011: E = alpha·V + beta; alpha in J per byte transferred, beta in J.
  liu: strictObject({ alpha: coefficient(), beta: coefficient() }).optional(),
  // Strunk, IEEE CLOUD 2013, as a linear form: E = constant + perMemoryByte·M + perBandwidth·B (J, J/B, J·s/B).
  strunk: strictObject({ constant: coefficient(), perMemoryByte: coefficient(), perBandwidth: coefficient() }).optional(),
});

/**
 * `switches`: the power of every switch and gateway (src/power/switch-power.ts: Mahadevan et al. 2009's chassis
 * and per-port power, and an energy per byte forwarded). None is built in: absent, switch energy is not reported.
 */
export const switchesSchema = strictObject({
  power: strictObject({
    chassis: quantity('power'),
    port: quantity('power'),
    // no per-byte term unless given: in Mahadevan et al.'s measurements traffic changed a switch's power little
    perByte: quantity('energy per byte').default(0),
  }),
});

export function toSwitchPower(doc: z.output<typeof switchesSchema>): SwitchPowerModel {
  return { chassisW: doc.power.chassis, portW: doc.power.port, perByteJ: doc.power.perByte };
}

export interface EnergyEstimatesSpec {
  liu?: LiuCoefficients;
  strunk?: StrunkCoefficients;
}

export function toEnergyEstimates(doc: z.output<typeof energyEstimatesSchema>): EnergyEstimatesSpec {
  const spec: EnergyEstimatesSpec = {};
  if (doc.liu !== undefined) spec.liu = { alphaJPerByte: doc.liu.alpha, betaJ: doc.liu.beta };
  if (doc.strunk !== undefined) {
    spec.strunk = { constantJ: doc.strunk.constant, perMemoryByteJ: doc.strunk.perMemoryByte, perBandwidthJ: doc.strunk.perBandwidth };
  }
  return spec;
}
