// `mignet merge DIR... --out DIR [--allow-missing]`: joins the --out folders of the shards of one sweep (the
// array tasks of a Slurm job, the pods of a Kubernetes Indexed Job) into the folder the whole sweep would have
// written: sweep.csv with every row in run-id order, sweep.json without a shard, and runs/<id>.json copied
// from the shard that ran each run. The folders must hold runs of the same sweep (sweep-manifest.ts). A run
// in two folders with the same row is taken once; with different rows the merge refuses (exit 2) and names
// them. Runs of the sweep that no folder holds are listed on stderr, and the merge refuses unless
// --allow-missing is given (then it writes what there is). As for a whole sweep, a merge none of whose runs
// was valid (every row has an error) is written, then exits 2.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { OutputDirError, prepareOutputDir } from '../report/output-dir.js';
import { MANIFEST_FILE, manifestGrid, readManifest, sameSweep, SWEEP_CSV, writeManifest, type SweepManifest } from './sweep-manifest.js';
import { runFilePath } from './sweep-task.js';
import { UsageError } from './usage-error.js';

export interface MergeOptions {
  out: string;
  allowMissing?: boolean;
}

/** The records of a CSV text as written (RFC 4180: a quoted field may hold newlines), without line ends. */
export function csvRecords(text: string): string[] {
  const records: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') quoted = !quoted;
    else if (char === '\n' && !quoted) {
      records.push(text.slice(start, i).replace(/\r$/, ''));
      start = i + 1;
    }
  }
  if (start < text.length) records.push(text.slice(start).replace(/\r$/, ''));
  return records;
}

/** Names a list, the first few of it. */
function some(items: readonly string[], max = 10): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

interface Shard {
  dir: string;
  manifest: SweepManifest;
  header: string;
  records: string[];
}

function readShard(dir: string): Shard {
  const manifest = readManifest(dir);
  if (manifest === undefined) throw new UsageError(`${dir}: no ${MANIFEST_FILE} (expected the --out folder of a mignet sweep)`);
  let text: string;
  try {
    text = readFileSync(join(dir, SWEEP_CSV), 'utf8');
  } catch {
    throw new UsageError(`${join(dir, SWEEP_CSV)}: cannot read it (expected the sweep.csv of a finished sweep; rerun its sweep with --skip-existing to finish it)`);
  }
  const [header = '', ...records] = csvRecords(text);
  return { dir, manifest, header, records };
}

export function mergeSweeps(dirs: readonly string[], options: MergeOptions): { runs: number; valid: number; missing: string[] } {
  if (dirs.length === 0) throw new UsageError('merge: no folder to merge (expected the --out folders of the shards)');
  const shards = dirs.map(readShard);
  const first = shards[0]!;
  for (const shard of shards.slice(1)) {
    if (!sameSweep(first.manifest, shard.manifest) || shard.header !== first.header) {
      throw new UsageError(`${shard.dir}: holds runs of another sweep than ${first.dir} (another scenario, seed or --vary)`);
    }
  }
  const grid = manifestGrid(first.manifest);
  const positions = new Map(grid.indices().map((index) => [grid.runId(index), index]));

  // Every run's record, and the folder it came from.
  const found = new Map<string, { record: string; dir: string }>();
  const conflicts: string[] = [];
  for (const shard of shards) {
    for (const record of shard.records) {
      const run = record.slice(0, record.indexOf(','));
      if (!positions.has(run)) throw new UsageError(`${join(shard.dir, SWEEP_CSV)}: run ${JSON.stringify(run)} is not a run of this sweep`);
      const seen = found.get(run);
      if (seen === undefined) found.set(run, { record, dir: shard.dir });
      else if (seen.record !== record) conflicts.push(`${run} (${seen.dir} and ${shard.dir})`);
    }
  }
  if (conflicts.length > 0) {
    throw new UsageError(`merge: ${conflicts.length} run${conflicts.length === 1 ? ' has' : 's have'} different rows in two folders: ${some(conflicts)} (expected shards of one sweep, run with the same scenario and mignet)`);
  }
  const missing = [...positions.keys()].filter((run) => !found.has(run));
  if (missing.length > 0 && !options.allowMissing) {
    throw new UsageError(`merge: ${missing.length} of ${grid.total} runs are in no folder: ${some(missing)} (expected every shard's folder; rerun a shard with --skip-existing to finish it, or merge with --allow-missing)`);
  }

  const { out } = options;
  try {
    prepareOutputDir(out);
    const ordered = [...found].sort(([a], [b]) => positions.get(a)! - positions.get(b)!);
    writeFileSync(join(out, SWEEP_CSV), `${[first.header, ...ordered.map(([, { record }]) => record)].join('\n')}\n`);
    writeManifest(out, { ...first.manifest, shard: null });
    for (const [run, { dir }] of ordered) {
      const from = runFilePath(dir, run);
      const to = runFilePath(out, run);
      if (!existsSync(from) || resolve(from) === resolve(to)) continue;
      mkdirSync(join(out, 'runs'), { recursive: true });
      copyFileSync(from, to);
    }
  } catch (error) {
    if (error instanceof OutputDirError) throw new UsageError(error.message);
    if ((error as NodeJS.ErrnoException).code !== undefined) throw new UsageError(`--out ${out}: cannot write there (${(error as Error).message})`);
    throw error;
  }
  // A run that ran has an empty error, the last field (sweep-row.ts).
  const valid = [...found.values()].filter(({ record }) => record.endsWith(',')).length;
  return { runs: found.size, valid, missing };
}

export function mergeCommand(dirs: string[], options: MergeOptions): void {
  const { runs, valid, missing } = mergeSweeps(dirs, options);
  if (missing.length > 0) process.stderr.write(`mignet: merge: ${missing.length} runs are in no folder: ${some(missing)}\n`);
  process.stdout.write(`merged ${runs} runs from ${dirs.length} folder${dirs.length === 1 ? '' : 's'} into ${options.out}\n`);
  if (runs > 0 && valid === 0) throw new UsageError(`merge: no run of the sweep was valid (see the error column of ${join(options.out, SWEEP_CSV)})`);
}
