// Link utilization over time (links[].utilization and summary.coreUtilization: time-averaged utilization in
// equal bins, src/transport/utilization-bins.ts): a heatmap of the busiest links, one row per link and one
// cell per run of equal bins, and for the core the aggregate (summed load over summed capacity) as lines of
// its mean and peak per bin above a heatmap of the busiest core links. A heatmap keeps fifteen links legible
// where fifteen overlapping lines would not be; idle bins are left blank.
import type { LinkResult, Results } from '../engine/results.js';
import type { Field } from 'vega-lite/types_unstable/channeldef.js';
import type { FacetedUnitSpec } from 'vega-lite/types_unstable/spec/index.js';
import { SERIES_LINKS } from '../engine/link-results.js';
import type { UtilizationSeries } from '../transport/utilization-bins.js';
import { seriesSteps } from './plot-data.js';
import { PLOT_WIDTH, type PlotSection } from './plot-section.js';

interface Cell {
  link: string;
  rank: number;
  start: number;
  end: number;
  utilization: number;
}

/** One cell per run of consecutive bins with the same mean, idle runs left out; the last bin ends at `endS`. */
function cells(link: string, rank: number, series: UtilizationSeries, endS: number): Cell[] {
  const { interval, mean } = series;
  const out: Cell[] = [];
  let first = 0;
  for (let bin = 1; bin <= mean.length; bin++) {
    if (bin < mean.length && mean[bin] === mean[first]) continue;
    if (mean[first]! > 0) out.push({ link, rank, start: first * interval, end: Math.min(endS, bin * interval), utilization: mean[first]! });
    first = bin;
  }
  return out;
}

/** The heatmap's layout; the caller adds its cells as data (the spec types want data set where the spec is built). */
function heatmap(linkCount: number, endS: number): FacetedUnitSpec<Field> {
  return {
    width: PLOT_WIDTH - 200,
    height: { step: linkCount > 20 ? 10 : 16 },
    mark: 'rect',
    encoding: {
      x: { field: 'start', type: 'quantitative', title: 'time (s)', scale: { domain: [0, endS], nice: false } },
      x2: { field: 'end' },
      y: { field: 'link', type: 'nominal', sort: { field: 'rank', op: 'min' }, title: null, axis: { labelLimit: 200 } },
      color: {
        field: 'utilization',
        type: 'quantitative',
        title: 'mean utilization',
        scale: { domain: [0, 1], scheme: 'blues' },
        legend: { format: '%', values: [0, 0.25, 0.5, 0.75, 1], orient: 'bottom', direction: 'horizontal', gradientLength: 200 },
      },
    },
  };
}

/** The links with a series that pass `keep`, busiest first, at most SERIES_LINKS. */
function busiestWithSeries(links: readonly LinkResult[], keep: (link: LinkResult) => boolean): LinkResult[] {
  return links
    .filter((l) => l.utilization !== undefined && keep(l))
    .sort((a, b) => b.bytes - a.bytes || a.id.localeCompare(b.id))
    .slice(0, SERIES_LINKS);
}

function heatmapRows(links: readonly LinkResult[], endS: number): Cell[] {
  return links.flatMap((l, rank) => cells(l.id, rank, l.utilization!, endS));
}

/** A bin width for a caption: ms below a second. */
function formatSeconds(seconds: number): string {
  return seconds < 1 ? `${(seconds * 1000).toPrecision(3)} ms` : `${seconds.toPrecision(3)} s`;
}

export function busiestLinksOverTimePlot(results: Results): PlotSection {
  const id = 'busiest-links-over-time';
  const title = `Busiest links over time (top ${SERIES_LINKS} by bytes)`;
  const shown = busiestWithSeries(results.links, () => true);
  if (shown.length === 0) return { kind: 'omitted', id, title, reason: 'no link carried any bytes' };
  const endS = results.run.simulatedTime;
  return {
    kind: 'plot',
    id,
    title,
    caption:
      `Mean utilization of the ${shown.length} directed links that carried the most wire bytes, in bins of ` +
      `${formatSeconds(shown[0]!.utilization!.interval)} (links[].utilization; blank where idle). The same links, ` +
      'and the busiest core links, have their series in results.json and link-utilization.csv.',
    spec: { ...heatmap(shown.length, endS), data: { values: heatmapRows(shown, endS) } },
  };
}

export function coreLinksOverTimePlot(results: Results, coreLinks: ReadonlySet<string>): PlotSection {
  const id = 'core-links-over-time';
  const title = 'Core links over time';
  const aggregate = results.summary.coreUtilization;
  if (aggregate === undefined || coreLinks.size === 0) return { kind: 'omitted', id, title, reason: 'the topology has no core links' };
  const shown = busiestWithSeries(results.links, (l) => coreLinks.has(l.id));
  if (shown.length === 0) return { kind: 'omitted', id, title, reason: 'no core link carried any bytes' };
  const endS = results.run.simulatedTime;
  // The aggregate as steps: one point per bin start, and one closing the last bin at the run's end.
  const lines = (['peak', 'mean'] as const).flatMap((measure) => seriesSteps(aggregate, measure, endS).map((point) => ({ measure, ...point })));
  return {
    kind: 'plot',
    id,
    title,
    caption:
      `Above, all ${coreLinks.size} directed core links together (summary.coreUtilization: their summed load over their ` +
      `summed capacity), mean and peak per bin of ${formatSeconds(aggregate.interval)}; below, the mean utilization ` +
      `of the ${shown.length} core links that carried the most bytes (links[].utilization).`,
    spec: {
      vconcat: [
        {
          width: PLOT_WIDTH - 200,
          height: 140,
          data: { values: lines },
          mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.5 },
          encoding: {
            x: { field: 'time', type: 'quantitative', title: null, scale: { domain: [0, endS], nice: false } },
            y: { field: 'value', type: 'quantitative', title: 'all core links', scale: { domain: [0, 1] }, axis: { format: '%' } },
            // the mean drawn last, over the peak it often equals
            color: { field: 'measure', type: 'nominal', title: 'per bin', scale: { domain: ['peak', 'mean'], range: ['#9d9d9d', '#f58518'] } },
            strokeDash: { field: 'measure', type: 'nominal', legend: null, scale: { domain: ['peak', 'mean'], range: [[4, 3], [1, 0]] } },
          },
        },
        { ...heatmap(shown.length, endS), data: { values: heatmapRows(shown, endS) } },
      ],
      resolve: { scale: { color: 'independent' } },
    },
  };
}
