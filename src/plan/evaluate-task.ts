// One evaluation: a candidate's scenario document run once per seed by the simulator itself (runScenario),
// each run reduced to its figures (figures.ts). Called in-process or on a worker thread (plan-worker.ts).
import { ConfigError, formatConfigError, parseScenarioDocument } from '../config/load.js';
import { RunLimitError } from '../engine/run-limit-error.js';
import { runScenario } from '../engine/run-scenario.js';
import { FIGURE_TOLERANCE, seedFigures, type SeedFigures } from './figures.js';

/** The VM ids of the document's migrations, as written. */
function scenarioVmOrder(document: Record<string, unknown>): string[] {
  const migrations = Array.isArray(document.migrations) ? (document.migrations as { vm?: unknown }[]) : [];
  return migrations.map((m) => String(m.vm));
}

/** What every evaluation of one plan shares: handed to each worker once. */
export interface EvaluationContext {
  /** the scenario file: problems name it, and a graphml `file` is relative to it */
  file: string;
  seeds: number[];
  /** the plan's downtime limit; absent: each migration's own */
  downtimeLimitS?: number;
}

export type EvaluationOutcome =
  | {
      ok: true;
      perSeed: SeedFigures[];
      /** the VMs in the order their migrations started on the first seed (ties: as written): the order a
       * sorting policy chose, which the search can then rearrange */
      startOrder: string[];
      /** VMs whose downtime was over their limit, or whose migration failed, on some seed, as written: the
       * ones another technique may help */
      troubledVms: string[];
    }
  | { ok: false; error: string };

export function evaluateDocument(context: EvaluationContext, document: Record<string, unknown>): EvaluationOutcome {
  try {
    let startOrder: string[] = [];
    const over = new Set<string>();
    const perSeed = context.seeds.map((seed, s) => {
      const scenario = parseScenarioDocument({ ...document, seed }, context.file);
      const results = runScenario(scenario);
      // A migration's own limit of 0 is no downtime target (Xen's profile, src/migration/hypervisor.ts).
      const limits = new Map(scenario.migrations.map((m) => [m.vm, m.downtimeLimitS > 0 ? m.downtimeLimitS : Infinity]));
      const limitOf = (i: number): number => context.downtimeLimitS ?? limits.get(results.migrations[i]!.vm) ?? Infinity;
      results.migrations.forEach((m, i) => {
        if (m.status === 'failed' || m.downtime > limitOf(i) * (1 + FIGURE_TOLERANCE)) over.add(m.vm);
      });
      if (s === 0) {
        const written = results.migrations.map((m, i) => ({ vm: m.vm, start: m.start, i }));
        startOrder = written.sort((a, b) => a.start - b.start || a.i - b.i).map((m) => m.vm);
      }
      return seedFigures(results, limitOf);
    });
    const troubledVms = scenarioVmOrder(document).filter((vm) => over.has(vm));
    return { ok: true, perSeed, startOrder, troubledVms };
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, error: formatConfigError(error) };
    if (error instanceof RunLimitError) return { ok: false, error: `run stopped: ${error.message} (limits.${error.limit})` };
    throw error;
  }
}
