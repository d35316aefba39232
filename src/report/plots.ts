// The report's plots, in page order, from the results and the set of core link ids.
import type { Results } from '../engine/results.js';
import { downtimePlot, hostEnergyPlot } from './plot-distributions.js';
import { inFlightPlot } from './plot-in-flight.js';
import { hostPowerPlot } from './plot-power.js';
import { busiestLinksPlot, coreLinksPlot } from './plot-links.js';
import { busiestLinksOverTimePlot, coreLinksOverTimePlot } from './plot-utilization.js';
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
    busiestLinksOverTimePlot(results),
    coreLinksOverTimePlot(results, coreLinks),
    downtimePlot(results),
    hostEnergyPlot(results),
    hostPowerPlot(results),
  ];
}
