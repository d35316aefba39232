// The Gantt timeline: one row per migration, one bar per step of its phase trace (migrations[].phases):
// precopy rounds while the guest runs on the source, the stop-and-copy while it is paused (the downtime),
// postcopy while it runs on the destination with pages still remote, and the copy of a local disk (its bulk
// pass, iterations and mirroring: src/migration/storage-process.ts), drawn beneath the memory's steps, which it
// overlaps. A downtime is often microseconds in a migration of seconds, too thin to see as a bar, so a tick
// marks the start of every paused step.
import type { Results } from '../engine/results.js';
import { migrationLabels } from './plot-data.js';
import { PLOT_WIDTH, type PlotSection } from './plot-section.js';

export const PHASE_CATEGORIES = ['precopy round', 'stop-and-copy (downtime)', 'postcopy', 'disk copy'] as const;
export const PHASE_COLORS = ['#4c78a8', '#e45756', '#54a24b', '#b279a2'] as const;

type Phase = Results['migrations'][number]['phases'][number];

function isDiskStep(phase: Phase): boolean {
  return phase.phase.startsWith('storage-') || phase.phase === 'mirror';
}

export function phaseCategory(phase: Phase): (typeof PHASE_CATEGORIES)[number] {
  if (phase.guest === 'paused') return 'stop-and-copy (downtime)';
  if (isDiskStep(phase)) return 'disk copy';
  return phase.phase === 'postcopy' ? 'postcopy' : 'precopy round';
}

/** Row height in px: readable labels for a few dozen migrations, then thinner rows without labels. */
function rowStep(rows: number): number {
  return rows <= 40 ? 18 : Math.max(2, Math.floor(720 / rows));
}

export function timelinePlot(results: Results): PlotSection {
  const labels = migrationLabels(results.migrations);
  const rows = results.migrations.flatMap((m, order) =>
    [...m.phases.filter(isDiskStep), ...m.phases.filter((phase) => !isDiskStep(phase))].map((phase, step) => ({
      migration: labels[order]!,
      order,
      step: step + 1,
      category: phaseCategory(phase),
      paused: phase.guest === 'paused',
      start: phase.start,
      end: phase.end,
    })),
  );
  const title = 'Migration timeline';
  if (rows.length === 0) {
    return { kind: 'omitted', id: 'timeline', title, reason: 'no migration ran (every one was refused or none was planned)' };
  }
  const migrationsShown = new Set(rows.map((r) => r.order)).size;
  const step = rowStep(migrationsShown);
  const y = {
    field: 'migration',
    type: 'nominal',
    sort: { field: 'order', op: 'min' },
    title: null,
    axis: step >= 10 ? { labelLimit: 260 } : { labels: false, ticks: false },
  } as const;
  return {
    kind: 'plot',
    id: 'timeline',
    title,
    caption:
      'Each bar is one step of a migration (migrations[].phases): a precopy round, the stop-and-copy ' +
      '(the guest paused: downtime, also marked by a red tick), the postcopy push, or a step of the disk\'s copy ' +
      '(beneath the memory\'s). Refused migrations have no steps.',
    spec: {
      width: PLOT_WIDTH,
      height: { step },
      data: { values: rows },
      layer: [
        {
          mark: { type: 'bar', stroke: 'white', strokeWidth: 0.5 },
          encoding: {
            y,
            x: { field: 'start', type: 'quantitative', title: 'time (s)' },
            x2: { field: 'end' },
            color: {
              field: 'category',
              type: 'nominal',
              scale: { domain: [...PHASE_CATEGORIES], range: [...PHASE_COLORS] },
              legend: { title: 'step', orient: 'bottom', labelLimit: 0 },
            },
          },
        },
        {
          transform: [{ filter: 'datum.paused' }],
          mark: { type: 'tick', color: '#b3261e', thickness: 2 },
          encoding: { y, x: { field: 'start', type: 'quantitative' } },
        },
      ],
    },
  };
}
