// Host power over time (hosts[].power: the watts from each time on, one point per change, the last at the
// end of accounting): how migrations load their source and destination (copy, cipher and optimization work
// on top of the guests' load), and, with hosts.switchOff, hosts dropping to 0 W once emptied. Only hosts
// whose power changed are drawn, those that migrations drew the most on first; a host at constant power would
// be a flat line.
import type { HostResult, Results } from '../engine/results.js';
import { PLOT_WIDTH, type PlotSection } from './plot-section.js';

/** Hosts drawn in the power plot: the rest are in results.json. */
export const TOP_POWER_HOSTS = 12;

function varies(host: HostResult): boolean {
  return host.power.some((point) => point.watts !== host.power[0]?.watts);
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
  const rows = shown.flatMap((host, rank) => host.power.map((point) => ({ host: host.id, rank, time: point.time, watts: point.watts })));
  const left = changing.length - shown.length;
  const more = left > 0 ? ` ${left} more hosts whose power changed, and every host's series, are in results.json.` : '';
  const constant = results.hosts.length - changing.length;
  const flat = constant > 0 ? ` ${constant} hosts drew a constant power and are not drawn.` : '';
  return {
    kind: 'plot',
    id,
    title,
    caption:
      `Power of the ${shown.length} hosts that migrations drew the most on (hosts[].power, W, held until the next change), ` +
      `up to ${results.summary.energy.horizon} s.${more}${flat}`,
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
