// One run of a sweep, as a worker thread carries it out (sweep-worker.ts): the scenario document with the
// run's values set at their keys (vary.ts, as `compare` does), validated and run under its limits, reduced to
// its row (sweep-row.ts). With `--out DIR` the run's results JSON goes to DIR/runs/<id>.json, written to a
// temporary name and renamed, so a sweep killed half-way never leaves a half-written file that
// `--skip-existing` would trust; with `--skip-existing` a run whose file is there is read back instead.
// The file is the results JSON of `mignet run --json` with the run's place in the sweep first:
// `{ "sweep": { "run", "index", "vary": { KEY: value as written } }, "scenario", ... }`; a run whose scenario
// is invalid gets `{ "sweep": {...}, "error": "FILE: path: message" }`. Runs stopped by a limit or by an
// internal error are not written, so that --skip-existing tries them again.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, formatConfigError, parseScenarioDocument, type Scenario } from '../config/index.js';
import { scenarioWarnings } from '../config/warnings.js';
import type { Results } from '../engine/results.js';
import { OutputWriteError, writeFileAtomically, writeReason } from '../report/output-stream.js';
import { jsonDocumentChunks } from '../report/results-json.js';
import { RunLimitError } from '../engine/run-limit-error.js';
import { runScenario } from '../engine/run-scenario.js';
import { limitProblem, wallClockS } from './run-limits.js';
import { SweepGrid, type GridAxis } from './sweep-grid.js';
import { studyTotals } from './study-metrics.js';
import type { SweepRow } from './sweep-row.js';
import { withValueAt } from './vary.js';

/** What every run of a sweep shares: handed to each worker once, as its workerData. */
export interface SweepContext {
  /** the scenario file as given: problems name it, and a graphml `file` is relative to it */
  file: string;
  /** its document as read, with --seed already set */
  document: Record<string, unknown>;
  axes: GridAxis[];
  /** --out DIR, where runs/<id>.json go */
  outDir?: string;
  skipExisting: boolean;
}

export interface TaskOutcome {
  row: SweepRow;
  /** read back from DIR/runs/<id>.json (--skip-existing) rather than run */
  reused: boolean;
  /** the warnings of the run's scenario (src/config/warnings.ts), as `path: message` */
  warnings: string[];
  /** the run file could not be written (a full disk): the sweep stops with this error */
  writeFailed?: { target: string; code: string | undefined; reason: string };
}

interface RunFile {
  sweep?: { run?: unknown };
  summary?: Results['summary'];
  error?: unknown;
}

export function runFilePath(outDir: string, run: string): string {
  return join(outDir, 'runs', `${run}.json`);
}

/** The row of a run file written by this run id, or undefined when there is none or it is not readable. */
function reuse(path: string, row: Omit<SweepRow, 'status'>, scenario: Scenario | undefined): SweepRow | undefined {
  let stored: RunFile;
  try {
    stored = JSON.parse(readFileSync(path, 'utf8')) as RunFile;
  } catch {
    return undefined;
  }
  if (stored.sweep?.run !== row.run) return undefined;
  if (typeof stored.error === 'string') return { ...row, status: 'invalid', error: stored.error };
  if (stored.summary === undefined || scenario === undefined || !Array.isArray((stored as Partial<Results>).migrations)) return undefined;
  return { ...row, status: 'ran', totals: studyTotals(stored as Results, scenario) };
}

type Failed = { status: Exclude<SweepRow['status'], 'ran'>; error: string };
type Prepared = { status: 'valid'; scenario: Scenario; warnings: string[] } | Failed;
type Ran = { status: 'ran'; results: Results; scenario: Scenario } | Failed;

function internal(error: unknown): Failed {
  return { status: 'internal', error: `internal error: ${error instanceof Error ? error.message : String(error)}` };
}

/** The run's scenario: the document with the run's values set at their keys, validated. */
function prepare(context: SweepContext, grid: SweepGrid, index: number): Prepared {
  try {
    const document = grid.settings(index).reduce((doc, { path, value }) => withValueAt(doc, path, value, context.file), context.document);
    const scenario = parseScenarioDocument(document, context.file);
    return { status: 'valid', scenario, warnings: scenarioWarnings(document, scenario).map((w) => `${w.path}: warning: ${w.message}`) };
  } catch (error) {
    return error instanceof ConfigError ? { status: 'invalid', error: formatConfigError(error) } : internal(error);
  }
}

function runVariant(context: SweepContext, prepared: Prepared): Ran {
  if (prepared.status !== 'valid') return prepared;
  try {
    return { status: 'ran', results: runScenario(prepared.scenario, { clock: wallClockS }), scenario: prepared.scenario };
  } catch (error) {
    return error instanceof RunLimitError ? { status: 'stopped', error: formatConfigError(limitProblem(error, context.file)) } : internal(error);
  }
}

export function runTask(context: SweepContext, grid: SweepGrid, index: number): TaskOutcome {
  const run = grid.runId(index);
  const texts = grid.texts(index);
  const base = { index, run, texts: texts.map(({ text }) => text) };
  const path = context.outDir === undefined ? undefined : runFilePath(context.outDir, run);
  const prepared = prepare(context, grid, index);
  const warnings = prepared.status === 'valid' ? prepared.warnings : [];
  if (path !== undefined && context.skipExisting) {
    const row = reuse(path, base, prepared.status === 'valid' ? prepared.scenario : undefined);
    if (row !== undefined) return { row, reused: true, warnings };
  }
  const outcome = runVariant(context, prepared);
  const row: SweepRow =
    outcome.status === 'ran' ? { ...base, status: 'ran', totals: studyTotals(outcome.results, outcome.scenario) } : { ...base, status: outcome.status, error: outcome.error };
  if (path !== undefined && (outcome.status === 'ran' || outcome.status === 'invalid')) {
    const sweep = { run, index, vary: Object.fromEntries(texts.map(({ key, text }) => [key, text])) };
    const stored = outcome.status === 'ran' ? { sweep, ...outcome.results } : { sweep, error: outcome.error };
    try {
      mkdirSync(join(context.outDir!, 'runs'), { recursive: true });
      // Compact, as `run --json`; written in pieces (the results of one run can be large).
      writeFileAtomically(path, jsonDocumentChunks(stored));
    } catch (error) {
      // An error class does not cross to the main thread: its fields do.
      const failed = error instanceof OutputWriteError ? error : new OutputWriteError(path, (error as NodeJS.ErrnoException).code, writeReason(error));
      return { row, reused: false, warnings, writeFailed: { target: failed.target, code: failed.code, reason: failed.reason } };
    }
  }
  return { row, reused: false, warnings };
}
