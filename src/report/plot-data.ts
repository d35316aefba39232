// What the report's plots share: a readable byte unit for an axis, a label per migration, and a binned series
// (src/transport/utilization-bins.ts) as the points of a step line.
import type { UtilizationSeries } from '../transport/utilization-bins.js';

/** Binary units, as the terminal summary prints them (summary-table.ts). */
const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

export interface ByteUnit {
  name: (typeof BYTE_UNITS)[number];
  /** bytes per unit */
  bytes: number;
}

/** The largest binary unit in which `maxBytes` is at least 1, so axis numbers stay short. */
export function byteUnit(maxBytes: number): ByteUnit {
  let index = 0;
  while (index < BYTE_UNITS.length - 1 && maxBytes >= 1024 ** (index + 1)) index++;
  return { name: BYTE_UNITS[index]!, bytes: 1024 ** index };
}

interface LabelledMigration {
  vm: string;
  status: string;
}

/** One label per migration, in order: the VM id, numbered when a VM moves more than once, and the status
 * when the migration did not complete. */
export function migrationLabels(migrations: readonly LabelledMigration[]): string[] {
  const moves = new Map<string, number>();
  for (const m of migrations) moves.set(m.vm, (moves.get(m.vm) ?? 0) + 1);
  const seen = new Map<string, number>();
  return migrations.map((m) => {
    const n = (seen.get(m.vm) ?? 0) + 1;
    seen.set(m.vm, n);
    const name = (moves.get(m.vm) ?? 0) > 1 ? `${m.vm} #${n}` : m.vm;
    return m.status === 'completed' ? name : `${name} (${m.status})`;
  });
}

/** A binned series' `measure` (mean or peak) as step points: one at each bin start, one closing the last bin
 * at `endS`; drawn with interpolate 'step-after'. */
export function seriesSteps(series: UtilizationSeries, measure: 'mean' | 'peak', endS: number): { time: number; value: number }[] {
  const values = series[measure];
  const points = values.map((value, bin) => ({ time: bin * series.interval, value }));
  points.push({ time: endS, value: values[values.length - 1] ?? 0 });
  return points;
}
