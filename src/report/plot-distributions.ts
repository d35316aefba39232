// Distributions over migrations and hosts: the downtime histogram (every migration that ran: completed or
// failed, as summary.totalDowntime counts them) and the energy of the hosts that used the most.
import type { Results } from '../engine/results.js';
import { PLOT_WIDTH, type PlotSection } from './plot-section.js';

/** Hosts shown in the energy plot: the rest are in hosts.csv. */
export const TOP_HOSTS = 20;

export function downtimePlot(results: Results): PlotSection {
  const rows = results.migrations.filter((m) => m.status !== 'refused').map((m) => ({ downtimeMs: m.downtime * 1e3 }));
  const title = 'Downtime distribution';
  if (rows.length === 0) return { kind: 'omitted', id: 'downtime', title, reason: 'no migration ran' };
  return {
    kind: 'plot',
    id: 'downtime',
    title,
    caption: `Histogram of the downtime of the ${rows.length} migrations that ran (migrations[].downtime, in ms).`,
    spec: {
      width: PLOT_WIDTH,
      height: 200,
      data: { values: rows },
      mark: { type: 'bar', color: '#e45756' },
      encoding: {
        x: { field: 'downtimeMs', type: 'quantitative', bin: { maxbins: 20 }, title: 'downtime (ms)' },
        y: { aggregate: 'count', type: 'quantitative', title: 'migrations', axis: { tickMinStep: 1, format: 'd' } },
      },
    },
  };
}

/** J, kJ or MJ: the largest for which `maxJoules` is at least 1. */
function energyUnit(maxJoules: number): { name: string; joules: number } {
  if (maxJoules >= 1e6) return { name: 'MJ', joules: 1e6 };
  if (maxJoules >= 1e3) return { name: 'kJ', joules: 1e3 };
  return { name: 'J', joules: 1 };
}

export function hostEnergyPlot(results: Results): PlotSection {
  const title = `Host energy (top ${TOP_HOSTS})`;
  const top = results.hosts
    .filter((h) => h.energy > 0)
    .sort((a, b) => b.energy - a.energy || a.id.localeCompare(b.id))
    .slice(0, TOP_HOSTS);
  if (top.length === 0) {
    return { kind: 'omitted', id: 'host-energy', title, reason: 'every host has zero energy in these results' };
  }
  const unit = energyUnit(top[0]!.energy);
  return {
    kind: 'plot',
    id: 'host-energy',
    title,
    caption: `Energy of the ${top.length} hosts that used the most over the run (hosts[].energy, in ${unit.name}); every host is in hosts.csv.`,
    spec: {
      width: PLOT_WIDTH - 200,
      height: { step: 16 },
      data: { values: top.map((h, rank) => ({ host: h.id, rank, value: h.energy / unit.joules })) },
      mark: { type: 'bar', color: '#72b7b2' },
      encoding: {
        y: { field: 'host', type: 'nominal', sort: { field: 'rank', op: 'min' }, title: null },
        x: { field: 'value', type: 'quantitative', title: `energy (${unit.name})` },
      },
    },
  };
}
