// The report's plots, in page order, from the results and the set of core link ids; and what the results
// cannot plot yet. Link utilization over time needs a time series the engine does not record (it keeps
// per-link totals and peaks): that section says so instead of inventing data.
import type { Results } from '../engine/results.js';
import { downtimePlot, hostEnergyPlot } from './plot-distributions.js';
import { inFlightPlot } from './plot-in-flight.js';
import { hostPowerPlot } from './plot-power.js';
import { busiestLinksPlot, coreLinksPlot } from './plot-links.js';
import { roundsPlot } from './plot-rounds.js';
import type { PlotSection } from './plot-section.js';
import { timelinePlot } from './plot-timeline.js';

export function reportPlots(results: Results, coreLinks: ReadonlySet<string>): PlotSection[] {
  return [
    timelinePlot(results),
    inFlightPlot(results),
    roundsPlot(results),
    busiestLinksPlot(results.links, coreLinks),
    coreLinksPlot(results.links, coreLinks),
    downtimePlot(results),
    hostEnergyPlot(results),
    hostPowerPlot(results),
    {
      kind: 'omitted',
      id: 'link-utilization-over-time',
      title: 'Link utilization over time',
      reason: 'the results hold each link’s total bytes and peak utilization (plotted above), not a time series',
    },
  ];
}
