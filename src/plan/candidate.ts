// A candidate plan: the moves in a written order, a schedule policy with its bound, and per-move choices of
// technique and stream bandwidth cap — and the scenario document that says exactly that, which the simulator
// runs and which plan.yaml is. Everything the planner decides is in this document: `mignet run` of it
// reproduces the candidate's figures.
import type { PlanStrategy } from '../config/plan-schema.js';
import type { ScheduleOrderKey, SchedulePolicy } from '../config/scenario.js';
import type { Move } from './moves.js';

export interface MoveSetting {
  /** absent: as the scenario writes it (its migration entry, or defaults.migration) */
  strategy?: PlanStrategy;
  /** a cap on the migration stream, B/s (Infinity: none); absent: as written */
  maxBandwidthBytesPerS?: number;
}

export interface Candidate {
  /** how it came about: a baseline's name, or the search step that made it */
  label: string;
  /** move indices in the order the migrations are written */
  order: number[];
  policy: SchedulePolicy;
  /** absent: the policy's own bound */
  maxConcurrent?: number;
  orderBy?: ScheduleOrderKey;
  /** by move index */
  settings: MoveSetting[];
}

/** A text that is the same exactly when two candidates make the same document (the label aside). */
export function candidateKey(candidate: Candidate): string {
  const { label: _label, ...decisions } = candidate;
  return JSON.stringify(decisions);
}

function settingFields(setting: MoveSetting): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  switch (setting.strategy) {
    case undefined:
      break;
    case 'precopy':
    case 'auto-converge':
      fields.strategy = 'precopy';
      fields.autoConverge = setting.strategy === 'auto-converge';
      break;
    default:
      fields.strategy = setting.strategy;
  }
  // Infinity is written `none`, the schema's word for no limit (YAML has no plain infinite rate).
  if (setting.maxBandwidthBytesPerS !== undefined) fields.maxBandwidth = Number.isFinite(setting.maxBandwidthBytesPerS) ? setting.maxBandwidthBytesPerS : 'none';
  return fields;
}

/** The scenario document of `candidate`: `base` without its `plan:` section, with the candidate's migrations
 * (each move's own entry kept, its choices set) and schedule (the file's other schedule fields kept). */
export function candidateDocument(base: Record<string, unknown>, moves: readonly Move[], candidate: Candidate): Record<string, unknown> {
  const { plan: _plan, ...rest } = base;
  const written = Array.isArray(base.migrations) ? (base.migrations as Record<string, unknown>[]) : [];
  const migrations = candidate.order.map((index) => {
    const move = moves[index]!;
    const entry = move.document === undefined ? { vm: move.vm, to: move.to } : { ...written[move.document] };
    return { ...entry, ...settingFields(candidate.settings[index] ?? {}) };
  });
  const schedule: Record<string, unknown> = { ...(typeof base.schedule === 'object' && base.schedule !== null ? base.schedule : {}) };
  schedule.policy = candidate.policy;
  delete schedule.maxConcurrent;
  if (candidate.maxConcurrent !== undefined) schedule.maxConcurrent = candidate.maxConcurrent;
  if (candidate.orderBy !== undefined) schedule.orderBy = candidate.orderBy;
  return { ...rest, migrations, schedule };
}
