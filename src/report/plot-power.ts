// Host power over time (hosts[].power: mean and peak watts in equal bins up to the end of accounting; the
// mean is drawn): how migrations load their source and destination (copy, cipher and optimization work
// on top of the guests' load), and, with hosts.switchOff, hosts dropping to 0 W once emptied. Only hosts
// whose power changed are drawn, those that migrations drew the most on first; a host at constant power would
// be a flat line. When the horizon lies far beyond the last change (a consolidation study's hour after a
// minute of migrations), the plot stops a little after that change, and the caption says every host keeps
// its last power to the horizon.
import type { HostResult, Results } from '../engine/results.js';
import { seriesSteps } from './plot-data.js';
import { PLOT_WIDTH, type PlotSection } from './plot-section.js';
import { formatDuration } from './summary-table.js';

/** Hosts drawn in the power plot: the rest are in results.json. */
export const TOP_POWER_HOSTS = 12;

function varies(host: HostResult): boolean {
  const { mean, peak } = host.power;
  return mean.some((watts, bin) => watts !== mean[0] || peak[bin] !== mean[0]);
}

export function hostPowerPlot(results: Results): PlotSection {
  const id = 'host-power-over-time';
  const title = 'Host power over time';
  const changing = results.hosts.filter(varies);
  if (changing.length === 0) {
    const reason = results.hosts.length === 0 ? 'the topology has no hosts' : 'every host drew a constant power over the run (hosts[].power)';
    return { kind: 'omitted', id, title, reason };
  }
  const shown = [...changing]
    .sort((a, b) => b.migrationEnergy - a.migrationEnergy || b.energy - a.energy || a.id.localeCompare(b.id))
    .slice(0, TOP_POWER_HOSTS);
  const horizon = results.summary.energy.horizon;
  // The last bin whose power differs from the one after it: past it, every host shown holds its power.
  const lastChange = shown.reduce((latest, host) => {
    const { mean, interval } = host.power;
    let bin = mean.length - 1;
    while (bin > 0 && mean[bin - 1] === mean[bin]) bin--;
    return Math.max(latest, bin * interval);
  }, 0);
  const end = lastChange > 0 && lastChange < horizon / 2 ? lastChange * 1.2 : horizon;
  const rows = shown.flatMap((host, rank) => {
    const points = seriesSteps(host.power, 'mean', horizon).filter((point) => point.time < end);
    const last = points[points.length - 1];
    if (last !== undefined) points.push({ time: end, value: last.value });
    return points.map((point) => ({ host: host.id, rank, time: point.time, watts: point.value }));
  });
  const clipped = end < horizon ? ` Drawn to ${formatDuration(end)}: from the last change on, every host keeps its power to the horizon at ${formatDuration(horizon)}.` : '';
  const left = changing.length - shown.length;
  const more = left > 0 ? ` ${left} more hosts whose power changed, and every host's series, are in results.json.` : '';
  const constant = results.hosts.length - changing.length;
  const flat = constant > 0 ? ` ${constant} hosts drew a constant power and are not drawn.` : '';
  return {
    kind: 'plot',
    id,
    title,
    caption:
      `Power of the ${shown.length} hosts that migrations drew the most on (hosts[].power, mean W per bin of ${formatDuration(shown[0]!.power.interval)}), ` +
      `up to ${formatDuration(horizon)}.${clipped}${more}${flat}`,
    spec: {
      width: PLOT_WIDTH - 160,
      height: 220,
      data: { values: rows },
      mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.5 },
      encoding: {
        x: { field: 'time', type: 'quantitative', title: 'time (s)' },
        y: { field: 'watts', type: 'quantitative', title: 'power (W)', scale: { zero: false } },
        color: { field: 'host', type: 'nominal', sort: { field: 'rank', op: 'min' }, title: 'host', legend: { orient: 'right', labelLimit: 160 } },
      },
    },
  };
}
