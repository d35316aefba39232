// Migrations in flight over time (summary.inFlight: the mean and peak count in equal bins): how a schedule's
// concurrency plays out — a bounded policy holds a plateau at its limit, host capacity or dependencies carve
// steps into it. The peak line shows the most at once in each bin, the mean how long they lasted.
import type { Results } from '../engine/results.js';
import { seriesSteps } from './plot-data.js';
import { PLOT_WIDTH, type PlotSection } from './plot-section.js';

export function inFlightPlot(results: Results): PlotSection {
  const series = results.summary.inFlight;
  const title = 'Migrations in flight';
  if (results.summary.maxInFlight === 0) return { kind: 'omitted', id: 'in-flight', title, reason: 'no migration ran' };
  const endS = results.run.simulatedTime;
  const points = (['peak', 'mean'] as const).flatMap((measure) => seriesSteps(series, measure, endS).map((point) => ({ measure, ...point })));
  return {
    kind: 'plot',
    id: 'in-flight',
    title,
    caption: `Migrations running over time (summary.inFlight), peak and mean per bin, at most ${results.summary.maxInFlight} at once.`,
    spec: {
      width: PLOT_WIDTH - 120,
      height: 160,
      data: { values: points },
      mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.5 },
      encoding: {
        x: { field: 'time', type: 'quantitative', title: 'time (s)' },
        y: { field: 'value', type: 'quantitative', title: 'in flight' },
        color: { field: 'measure', type: 'nominal', title: 'per bin', scale: { domain: ['peak', 'mean'], range: ['#9d9d9d', '#4c78a8'] } },
      },
    },
  };
}
