// Bytes per step: for each migration, the wire bytes of each step of its phase trace in order (precopy
// rounds, then the stop-and-copy, then the postcopy push). A converging precopy shows the geometric decay
// of Clark et al. (NSDI 2005, §3); a workload that dirties faster than the link shows a flat line.
import type { Results } from '../engine/results.js';
import { byteUnit, migrationLabels } from './plot-data.js';
import { PLOT_WIDTH, type PlotSection } from './plot-section.js';
import { PHASE_CATEGORIES, phaseCategory } from './plot-timeline.js';

/** Above this many migrations the lines share one colour and the legend is left out. */
const MAX_COLOURED_MIGRATIONS = 10;

export function roundsPlot(results: Results): PlotSection {
  const labels = migrationLabels(results.migrations);
  const steps = results.migrations.flatMap((m, order) =>
    m.phases.map((phase, index) => ({ migration: labels[order]!, step: index + 1, category: phaseCategory(phase), wire: phase.bytes.wire })),
  );
  const title = 'Bytes per step';
  if (steps.length === 0) {
    return { kind: 'omitted', id: 'rounds', title, reason: 'no migration ran, so there are no steps' };
  }
  const unit = byteUnit(steps.reduce((most, s) => Math.max(most, s.wire), -Infinity));
  const rows = steps.map((s) => ({ ...s, value: s.wire / unit.bytes }));
  const migrations = new Set(rows.map((r) => r.migration)).size;
  const colour =
    migrations <= MAX_COLOURED_MIGRATIONS
      ? ({ field: 'migration', type: 'nominal', title: 'migration', sort: null, legend: { labelLimit: 0 } } as const)
      : ({ value: '#4c78a8' } as const);
  const x = { field: 'step', type: 'quantitative', title: 'step', axis: { tickMinStep: 1, format: 'd' } } as const;
  const y = { field: 'value', type: 'quantitative', title: `wire bytes (${unit.name})` } as const;
  return {
    kind: 'plot',
    id: 'rounds',
    title,
    caption:
      `Wire bytes of each step (migrations[].phases[].bytes.wire, in ${unit.name}), step 1 being the first precopy ` +
      'round or the stop-and-copy; the marker shape tells the kind of step.',
    spec: {
      width: PLOT_WIDTH,
      height: 260,
      data: { values: rows },
      layer: [
        { mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x, y, detail: { field: 'migration' }, color: colour } },
        {
          mark: { type: 'point', filled: true, size: 50 },
          encoding: {
            x,
            y,
            color: colour,
            shape: { field: 'category', type: 'nominal', title: 'step', scale: { domain: [...PHASE_CATEGORIES] }, legend: { labelLimit: 0 } },
          },
        },
      ],
    },
  };
}
