// `mignet sweep FILE --vary KEY=V1,V2 [--vary ...] [--workers N] [--shard I/N] [--out DIR] [--skip-existing]
// [--seed N]`: every run of the cross product of the --vary options (sweep-grid.ts), or of the shard's slice
// of it, on a pool of worker threads (tinypool; sweep-worker.ts), one CSV row per run (sweep-row.ts) in run-id
// order whatever order the runs end in, so the CSV is the same byte for byte with any number of workers.
// Without --out the CSV goes to stdout as the rows become ready; with --out DIR it is DIR/sweep.csv, beside
// DIR/sweep.json (sweep-manifest.ts) and one results JSON per run in DIR/runs/<id>.json, which
// --skip-existing reads back instead of running again.
//
// Exit codes: 2 for a wrong command line or an unreadable FILE, before anything runs. A run whose varied
// scenario is invalid (or that a limit stops) does not stop the sweep: its row carries the message in
// `error`, stderr counts such runs, and the exit code is 0 — unless no run of a whole sweep was valid, which
// is bad input as a whole (a misspelt key, say): exit 2, with the CSV written all the same. A shard cannot
// tell (its slice may hold only the bad values of a key), so it exits 0 and `mignet merge` judges the whole.
// A run that broke inside also gets its row, and the sweep exits 1 once every run is done.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { readdirSync } from 'node:fs';
import { readScenarioDocument } from '../config/index.js';
import { OutputDirError, prepareOutputDir } from '../report/output-dir.js';
import { OutputWriteError, isOwnTemporary, removeQuietly, writeFileAtomically, writeStdout } from '../report/output-stream.js';
import { type Shard, SweepGrid } from './sweep-grid.js';
import { MANIFEST_FILE, readManifest, sameSweep, SWEEP_CSV, sweepManifest, writeManifest } from './sweep-manifest.js';
import { startProgress } from './sweep-progress.js';
import { sweepHeader, sweepRecord, type SweepRow } from './sweep-row.js';
import { SEEDS_CSV, seedAxis, seedHeader, seedRecord, seedRows } from './sweep-seeds.js';
import { STUDY_COLUMNS } from './study-metrics.js';
import { parseSeeds, parseSort, parseWhere, SEED_COLUMNS, selectRows } from './study-rows.js';
import type { SweepContext, TaskOutcome } from './sweep-task.js';
import { UsageError } from './usage-error.js';
import { parseVariation } from './vary.js';

export interface SweepOptions {
  vary: string[];
  workers?: number;
  shard?: Shard;
  out?: string;
  skipExisting?: boolean;
  seed?: number;
  /** --seeds: N, A..B or A,B,C (study-rows.ts parseSeeds) */
  seeds?: string;
  where?: string;
  sort?: string;
}

/** Where the sweep's worker threads start: the built module beside this one. */
const WORKER_FILE = new URL('./sweep-worker.js', import.meta.url).href;

/** How many runs are handed to the pool ahead of the free workers: enough to keep them busy, few enough
 * that a sweep of a million runs does not hold a million pending tasks. */
const QUEUED_PER_WORKER = 2;

function outputDirProblem(step: () => void): void {
  try {
    step();
  } catch (error) {
    throw error instanceof OutputDirError ? new UsageError(error.message) : error;
  }
}

export interface SweepOutcome {
  /** in run-id order */
  rows: SweepRow[];
  /** each distinct warning of the runs' scenarios (`path: warning: message`), with how many runs had it */
  warnings: Map<string, number>;
  /** how many were read back from DIR/runs/ (--skip-existing) rather than run */
  reused: number;
  /** the varied keys, `seed` last with --seeds */
  keys: string[];
  /** with --seeds, how many */
  seedCount?: number | undefined;
}

/** Runs the sweep. `emit` gets each CSV line (the header first) in order, as soon as it is ready. */
export async function runSweep(file: string, options: SweepOptions, emit: (line: string) => void = () => undefined): Promise<SweepOutcome> {
  const seeds = options.seeds === undefined ? undefined : parseSeeds(options.seeds);
  if (seeds !== undefined && options.seed !== undefined) throw new UsageError('--seed and --seeds: give one (--seeds runs each row once per seed)');
  const grid = new SweepGrid([...options.vary.map(parseVariation), ...(seeds === undefined ? [] : [seedAxis(seeds)])]);
  const { out, shard } = options;
  if (options.skipExisting && out === undefined) throw new UsageError('--skip-existing needs --out DIR (the folder whose runs/ it reads back)');
  const document = readScenarioDocument(file);
  if (options.seed !== undefined) document.seed = options.seed;

  if (out !== undefined) {
    outputDirProblem(() => prepareOutputDir(out));
    const manifest = sweepManifest(file, document, grid, shard);
    const existing = readManifest(out);
    if (existing !== undefined && !sameSweep(existing, manifest)) {
      throw new UsageError(`--out ${out}: the folder holds runs of another sweep (another scenario, seed or --vary; expected a new folder, or the folder of this sweep)`);
    }
    outputDirProblem(() => writeManifest(out, manifest));
  }

  const indices = grid.indices(shard);
  const workers = Math.max(1, Math.min(options.workers ?? availableParallelism(), indices.length));
  const context: SweepContext = { file, document, axes: [...grid.axes], skipExisting: options.skipExisting ?? false, ...(out === undefined ? {} : { outDir: out }) };
  // loaded here, when a pool is made: the other commands never load it
  const { Tinypool } = await import('tinypool');
  const pool = new Tinypool({ filename: WORKER_FILE, minThreads: workers, maxThreads: workers, workerData: context });
  const progress = await startProgress(indices.length);

  const lines: string[] = [sweepHeader(grid.axes.map((axis) => axis.key))];
  emit(lines[0]!);
  const rows = new Array<SweepRow | undefined>(indices.length);
  let flushed = 0;
  let reused = 0;
  const warnings = new Map<string, number>();
  const finish = (position: number, row: SweepRow): void => {
    rows[position] = row;
    progress.tick();
    // Rows leave in run-id order: a row waits until every row before it is done.
    for (let next = rows[flushed]; next !== undefined; next = rows[flushed]) {
      const line = sweepRecord(next);
      lines.push(line);
      emit(line);
      flushed++;
    }
  };

  let cursor = 0;
  /** the first output that could not be written (a run file, stdout): the sweep stops and reports it */
  let writeFailed: OutputWriteError | undefined;
  const lane = async (): Promise<void> => {
    while (cursor < indices.length && writeFailed === undefined) {
      const position = cursor++;
      const index = indices[position]!;
      let row: SweepRow;
      try {
        const outcome = (await pool.run(index)) as TaskOutcome;
        if (outcome.writeFailed !== undefined) {
          const { target, code, reason } = outcome.writeFailed;
          writeFailed ??= new OutputWriteError(target, code, reason);
          return;
        }
        if (outcome.reused) reused++;
        for (const warning of outcome.warnings) warnings.set(warning, (warnings.get(warning) ?? 0) + 1);
        row = outcome.row;
      } catch (error) {
        if (writeFailed !== undefined) return;
        // The worker itself failed (out of memory): the run's row says so.
        const reason = error instanceof Error ? error.message : String(error);
        const texts = grid.texts(index).map(({ text }) => text);
        row = { index, run: grid.runId(index), texts, status: 'internal', error: `internal error: ${reason}` };
      }
      try {
        finish(position, row);
      } catch (error) {
        if (!(error instanceof OutputWriteError)) throw error;
        writeFailed ??= error;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(indices.length, workers * QUEUED_PER_WORKER) }, lane));
  } finally {
    progress.stop();
    await pool.destroy();
    // A worker stopped mid-write leaves its temporary behind (threads share this process's id).
    if (out !== undefined) removeTemporaries(join(out, 'runs'));
  }
  if (writeFailed !== undefined) throw writeFailed;
  const done = rows.filter((row): row is SweepRow => row !== undefined);
  if (out !== undefined) writeFileAtomically(join(out, SWEEP_CSV), lines.map((line) => `${line}\n`));
  if (out !== undefined && seeds !== undefined && shard === undefined) {
    const table = [seedHeader(grid.axes.slice(0, -1).map((axis) => axis.key)), ...seedRows(done, seeds.length).map(seedRecord)];
    writeFileAtomically(join(out, SEEDS_CSV), `${table.join('\n')}\n`);
  }
  if (out !== undefined && shard === undefined) await writeSweepReport(out, file, grid, done, seeds);
  return { rows: done, reused, warnings, keys: grid.axes.map((axis) => axis.key), seedCount: seeds?.length };
}

/** DIR/report.html (src/report/sweep-report.ts): loaded only here, as Vega takes a while to load. A shard has
 * only a slice of the rows: it writes none (`merge` does not either; rerun with --skip-existing on the merged
 * folder to get it). */
async function writeSweepReport(out: string, file: string, grid: SweepGrid, rows: readonly SweepRow[], seeds: readonly number[] | undefined): Promise<void> {
  const { renderSweepReport, SWEEP_REPORT } = await import('../report/sweep-report.js');
  const axes = seeds === undefined ? grid.axes : grid.axes.slice(0, -1);
  const reportRows =
    seeds === undefined
      ? rows.map((row) => ({ texts: row.texts, ...(row.totals === undefined ? {} : { values: row.totals }) }))
      : seedRows(rows, seeds.length).map((row) => ({ texts: row.texts, ...(row.values === undefined ? {} : { values: row.values }) }));
  const html = await renderSweepReport({
    file,
    keys: axes.map((axis) => axis.key),
    values: axes.map((axis) => [...axis.texts]),
    rows: reportRows,
    ...(seeds === undefined ? {} : { seeds: seeds.map(String) }),
  });
  writeFileAtomically(join(out, SWEEP_REPORT), html);
}

/** Removes the temporaries this process left in `dir` (output-stream.ts names them after the process id). */
function removeTemporaries(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) if (isOwnTemporary(name)) removeQuietly(join(dir, name));
}

/** What stderr says about runs that did not run, and the exit code they call for. */
function verdict(rows: readonly SweepRow[], sharded: boolean): void {
  const count = (status: SweepRow['status']): SweepRow[] => rows.filter((row) => row.status === status);
  const internal = count('internal');
  const bad = [...count('invalid'), ...count('stopped')];
  const first = (list: SweepRow[]): string => `run ${list[0]!.run}: ${(list[0]!.error ?? '').split('\n')[0]}`;
  if (internal.length > 0) {
    throw new Error(`${internal.length} of ${rows.length} runs broke inside (see the error column); the first, ${first(internal)}`);
  }
  if (bad.length === 0) return;
  if (bad.length === rows.length && !sharded) {
    throw new UsageError(`no run of the sweep was valid (see the error column); the first, ${first(bad)}`);
  }
  process.stderr.write(`mignet: ${bad.length} of ${rows.length} runs invalid or stopped (see the error column); the first, ${first(bad)}\n`);
}

/** The rows to print when the sweep was asked a question (--seeds, --where, --sort): the CSV of the rows
 * kept, in the order asked, per combination over the seeds with --seeds. */
function answer(outcome: SweepOutcome, options: SweepOptions): string {
  if (outcome.seedCount !== undefined) {
    const rows = selectRows(seedRows(outcome.rows, outcome.seedCount), (row) => row.values, SEED_COLUMNS, options.where, options.sort);
    return [seedHeader(outcome.keys.slice(0, -1)), ...rows.map(seedRecord)].join('\n');
  }
  const rows = selectRows(outcome.rows, (row) => row.totals, STUDY_COLUMNS, options.where, options.sort);
  return [sweepHeader(outcome.keys), ...rows.map(sweepRecord)].join('\n');
}

export async function sweepCommand(file: string, options: SweepOptions): Promise<void> {
  const { out } = options;
  // A question is checked before anything runs: a misspelt column is a usage error, not an hour lost.
  const columns = options.seeds === undefined ? STUDY_COLUMNS : SEED_COLUMNS;
  if (options.where !== undefined) parseWhere(options.where, columns);
  if (options.sort !== undefined) parseSort(options.sort, columns);
  const asked = options.seeds !== undefined || options.where !== undefined || options.sort !== undefined;
  // Rows stream to stdout as they are ready, unless they go to DIR or a question needs them all first.
  const stream = out === undefined && !asked;
  // A reader that stops early (`| head`) ends the sweep through main.ts's one output-error handler.
  const outcome = await runSweep(file, options, stream ? (line) => writeStdout(`${line}\n`) : undefined);
  const { rows, reused, warnings } = outcome;
  if (out !== undefined) {
    const from = reused > 0 ? `, ${reused} of them read back from runs/` : '';
    const seedsFile = outcome.seedCount !== undefined && options.shard === undefined ? `, ${SEEDS_CSV}` : '';
    const report = options.shard === undefined ? ', report.html' : '';
    process.stdout.write(`wrote ${SWEEP_CSV} (${rows.length} runs${from})${seedsFile}${report}, ${MANIFEST_FILE} and runs/ to ${out}\n`);
  }
  if (asked && options.shard === undefined) process.stdout.write(`${out === undefined ? '' : '\n'}${answer(outcome, options)}\n`);
  for (const [warning, count] of warnings) process.stderr.write(`${file}: ${warning} (${count} of ${rows.length} runs)\n`);
  verdict(rows, options.shard !== undefined);
}
