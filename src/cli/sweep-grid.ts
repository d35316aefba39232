// The runs of `mignet sweep`: the cross product of its `--vary` options (vary.ts), in a fixed order — the
// first `--vary` varies slowest, the last fastest, as nested loops written in that order would — and the
// slices `--shard I/N` takes of it. A run is known by its index in the whole cross product and by an id,
// `<index>-<hash>`: the index zero-padded to at least four digits (so ids sort as numbers do), and the first
// eight hex digits of the SHA-256 of its `key=value` pairs as written, so that a run file of one grid is
// never mistaken for a run of a grid whose values moved. Shard I of N takes the runs whose index ≡ I − 1
// (mod N): every shard gets every value of the fastest key, so a slow value does not land in one shard.
import { createHash } from 'node:crypto';
import type { PathSegment } from '../config/issues.js';
import { UsageError } from './usage-error.js';
import type { Variation } from './vary.js';

/** Past this a sweep is a typo rather than a study (a million runs of a 10 ms scenario are three hours). */
export const MAX_SWEEP_RUNS = 1_000_000;

/** What a run needs of a variation: where it sets a value, and the values as written and as YAML read them. */
export interface GridAxis {
  key: string;
  path: PathSegment[];
  texts: string[];
  values: unknown[];
}

export interface Shard {
  /** 1-based, as Slurm's array task ids and `JOB_COMPLETION_INDEX + 1` are */
  index: number;
  count: number;
}

export class SweepGrid {
  readonly axes: readonly GridAxis[];
  readonly total: number;
  private readonly idWidth: number;

  constructor(variations: readonly (GridAxis | Variation)[]) {
    const seen = new Set<string>();
    for (const variation of variations) {
      if (seen.has(variation.key)) throw new UsageError(`--vary ${variation.key}: the key is varied twice (expected each key in one --vary, with all its values)`);
      seen.add(variation.key);
    }
    this.axes = variations.map(({ key, path, texts, values }) => ({ key, path, texts, values }));
    this.total = this.axes.reduce((product, axis) => product * axis.texts.length, 1);
    if (this.total > MAX_SWEEP_RUNS) {
      throw new UsageError(`the --vary options make ${this.total} runs (expected at most ${MAX_SWEEP_RUNS}; split the study into several sweeps)`);
    }
    this.idWidth = Math.max(4, String(this.total - 1).length);
  }

  /** Which value of each axis run `index` takes: mixed-radix digits, the last axis the fastest. */
  choices(index: number): number[] {
    const digits = new Array<number>(this.axes.length).fill(0);
    let rest = index;
    for (let a = this.axes.length - 1; a >= 0; a--) {
      const size = this.axes[a]!.texts.length;
      digits[a] = rest % size;
      rest = Math.floor(rest / size);
    }
    return digits;
  }

  /** The values of run `index` as written, by key, in --vary order. */
  texts(index: number): { key: string; text: string }[] {
    const choices = this.choices(index);
    return this.axes.map((axis, a) => ({ key: axis.key, text: axis.texts[choices[a]!]! }));
  }

  /** The values of run `index` as YAML read them, with where each goes. */
  settings(index: number): { path: PathSegment[]; value: unknown }[] {
    const choices = this.choices(index);
    return this.axes.map((axis, a) => ({ path: axis.path, value: axis.values[choices[a]!] }));
  }

  runId(index: number): string {
    const pairs = this.texts(index).map(({ key, text }) => `${key}=${text}`).join('\n');
    const hash = createHash('sha256').update(pairs).digest('hex').slice(0, 8);
    return `${String(index).padStart(this.idWidth, '0')}-${hash}`;
  }

  /** The indices a shard runs, in order; the whole grid without one. */
  indices(shard?: Shard): number[] {
    const all = Array.from({ length: this.total }, (_, i) => i);
    return shard === undefined ? all : all.filter((i) => i % shard.count === shard.index - 1);
  }
}

/** `--shard I/N`: 1 ≤ I ≤ N; anything else is a usage error (exit 2). */
export function parseShard(option: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(option);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || !Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard ${JSON.stringify(option)}: expected I/N with 1 ≤ I ≤ N, such as 1/4 (Slurm: $SLURM_ARRAY_TASK_ID/N with --array=1-N)`);
  }
  return { index, count };
}

export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}
