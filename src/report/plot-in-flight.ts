// Migrations in flight over time (summary.inFlight: the count from each time on, one point per change): how
// a schedule's concurrency plays out — a bounded policy holds a plateau at its limit, host capacity or
// dependencies carve steps into it.
import type { Results } from '../engine/results.js';
import { PLOT_WIDTH, type PlotSection } from './plot-section.js';

export function inFlightPlot(results: Results): PlotSection {
  const points = results.summary.inFlight;
  const title = 'Migrations in flight';
  if (results.summary.maxInFlight === 0) return { kind: 'omitted', id: 'in-flight', title, reason: 'no migration ran' };
  return {
    kind: 'plot',
    id: 'in-flight',
    title,
    caption: `Migrations running at each time (summary.inFlight), at most ${results.summary.maxInFlight} at once.`,
    spec: {
      width: PLOT_WIDTH,
      height: 160,
      data: { values: points },
      mark: { type: 'line', interpolate: 'step-after', color: '#4c78a8', strokeWidth: 1.5 },
      encoding: {
        x: { field: 'time', type: 'quantitative', title: 'time (s)' },
        y: { field: 'count', type: 'quantitative', title: 'in flight', axis: { tickMinStep: 1, format: 'd' } },
      },
    },
  };
}
