// Link load: for the busiest directed links, and separately for the core links (fat-tree aggregation–core,
// leaf–spine, links marked core, WAN links: CONTRACT.md's coreBytes), the bytes each carried and its peak
// utilization (results.links); plot-utilization.ts draws the same links over time.
import { SERIES_LINKS } from '../engine/link-results.js';
import type { LinkResult } from '../engine/results.js';
import { byteUnit } from './plot-data.js';
import type { PlotSection } from './plot-section.js';


function topByBytes(links: readonly LinkResult[]): LinkResult[] {
  return links
    .filter((l) => l.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes || a.id.localeCompare(b.id))
    .slice(0, SERIES_LINKS);
}

function linkBars(id: string, title: string, caption: string, links: LinkResult[], coreLinks: ReadonlySet<string>): PlotSection {
  const unit = byteUnit(links.reduce((most, l) => Math.max(most, l.bytes), -Infinity));
  const rows = links.map((l, rank) => ({
    link: l.id,
    rank,
    kind: coreLinks.has(l.id) ? 'core' : 'other',
    value: l.bytes / unit.bytes,
    peakUtilization: l.peakUtilization,
  }));
  const y = { field: 'link', type: 'nominal', sort: { field: 'rank', op: 'min' }, title: null, axis: { labelLimit: 260 } } as const;
  // One colour per kind of link; no legend when every link shown is of one kind.
  const mixed = new Set(rows.map((r) => r.kind)).size > 1;
  const colour = {
    field: 'kind',
    type: 'nominal',
    title: 'link',
    scale: { domain: ['core', 'other'], range: ['#f58518', '#4c78a8'] },
    legend: mixed ? { orient: 'bottom' } : null,
  } as const;
  return {
    kind: 'plot',
    id,
    title,
    caption,
    spec: {
      data: { values: rows },
      hconcat: [
        {
          width: 330,
          height: { step: 16 },
          mark: 'bar',
          encoding: { y, x: { field: 'value', type: 'quantitative', title: `bytes carried (${unit.name})` }, color: colour },
        },
        {
          width: 200,
          height: { step: 16 },
          mark: 'bar',
          encoding: {
            y: { ...y, axis: { labels: false, ticks: false, labelLimit: 0 } },
            x: {
              field: 'peakUtilization',
              type: 'quantitative',
              title: 'peak utilization',
              scale: { domain: [0, 1] },
              axis: { format: '%', values: [0, 0.25, 0.5, 0.75, 1] },
            },
            color: colour,
          },
        },
      ],
    },
  };
}

export function busiestLinksPlot(links: readonly LinkResult[], coreLinks: ReadonlySet<string>): PlotSection {
  const title = `Busiest links (top ${SERIES_LINKS} by bytes)`;
  const top = topByBytes(links);
  if (top.length === 0) return { kind: 'omitted', id: 'busiest-links', title, reason: 'no link carried any bytes' };
  const caption =
    `The ${top.length} directed links that carried the most wire bytes (results.links[].bytes), with the peak ` +
    'fraction of capacity in use at any time (peakUtilization). Core links in orange; every link is in links.csv.';
  return linkBars('busiest-links', title, caption, top, coreLinks);
}

export function coreLinksPlot(links: readonly LinkResult[], coreLinks: ReadonlySet<string>): PlotSection {
  const title = `Core links (top ${SERIES_LINKS} by bytes)`;
  if (coreLinks.size === 0) {
    return { kind: 'omitted', id: 'core-links', title, reason: 'the topology has no core links' };
  }
  const top = topByBytes(links.filter((l) => coreLinks.has(l.id)));
  if (top.length === 0) return { kind: 'omitted', id: 'core-links', title, reason: 'no core link carried any bytes' };
  const caption =
    `The ${top.length} busiest of the ${coreLinks.size} directed core links (aggregation–core, leaf–spine, marked ` +
    'core, WAN): wire bytes and peak utilization. Their sum is summary.coreBytes.';
  return linkBars('core-links', title, caption, top, coreLinks);
}
