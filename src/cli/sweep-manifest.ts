// DIR/sweep.json, written by `mignet sweep --out DIR` before its first run and by `mignet merge`: which sweep
// the folder holds — the scenario file, a SHA-256 of its document as read (after --seed), each --vary key with
// its values as written, the number of runs of the whole cross product, and the shard (null for a whole
// sweep). Two folders hold runs of the same sweep when the document, the --vary options and the run count
// agree; the file's path may differ (each node of a cluster may mount it elsewhere).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatShard, SweepGrid, type Shard } from './sweep-grid.js';
import { UsageError } from './usage-error.js';
import { parseVariation } from './vary.js';

export const MANIFEST_FILE = 'sweep.json';
export const SWEEP_CSV = 'sweep.csv';
const FORMAT = 'mignet-sweep/1';

export interface SweepManifest {
  format: typeof FORMAT;
  file: string;
  document: string;
  vary: { key: string; values: string[] }[];
  runs: number;
  shard: string | null;
}

export function sweepManifest(file: string, document: unknown, grid: SweepGrid, shard: Shard | undefined): SweepManifest {
  return {
    format: FORMAT,
    file,
    document: createHash('sha256').update(JSON.stringify(document)).digest('hex'),
    vary: grid.axes.map((axis) => ({ key: axis.key, values: [...axis.texts] })),
    runs: grid.total,
    shard: shard === undefined ? null : formatShard(shard),
  };
}

export function formatManifest(manifest: SweepManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

export function writeManifest(dir: string, manifest: SweepManifest): void {
  writeFileSync(join(dir, MANIFEST_FILE), formatManifest(manifest));
}

/** DIR's manifest; undefined when DIR has none; a usage error when it is not one mignet wrote. */
export function readManifest(dir: string): SweepManifest | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, MANIFEST_FILE), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const manifest = JSON.parse(text) as SweepManifest;
    if (manifest.format === FORMAT && Array.isArray(manifest.vary) && typeof manifest.runs === 'number') return manifest;
  } catch {
    // reported below
  }
  throw new UsageError(`${join(dir, MANIFEST_FILE)}: not a sweep manifest (expected the sweep.json that mignet sweep writes)`);
}

export function sameSweep(a: SweepManifest, b: SweepManifest): boolean {
  return a.document === b.document && a.runs === b.runs && JSON.stringify(a.vary) === JSON.stringify(b.vary);
}

/** The grid a manifest describes: enough to name its runs (run ids need only the keys and values as written). */
export function manifestGrid(manifest: SweepManifest): SweepGrid {
  return new SweepGrid(manifest.vary.map(({ key, values }) => parseVariation(`${key}=${values.join(',')}`)));
}
