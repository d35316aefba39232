// Link utilization over time in the results (links[].utilization, summary.coreUtilization): a lone link worked
// out by hand, then conservation on a fat-tree — each series integrates to the bytes its link carried, and
// the core aggregate to summary.coreBytes — and which links get a series.
import { describe, expect, it } from 'vitest';
import { parseScenarioDocument } from '../../src/config/index.js';
import { SERIES_LINKS } from '../../src/engine/link-results.js';
import type { Results } from '../../src/engine/results.js';
import { buildTopology } from '../../src/topology/build.js';
import { meanUtilization, type UtilizationSeries } from '../../src/transport/utilization-bins.js';
import { expectClose, GBIT, graph, run } from './helpers.js';

/** ∫ utilization dt over the series (s), the last bin cut at the run's end. */
function integralS(series: UtilizationSeries, endS: number): number {
  return meanUtilization(series, endS) * endS;
}

/** test/golden/stop-and-copy-lone-link.yaml: 1 GiB moved by stop-and-copy over a — s — b, 1 Gbit/s and 10 us a link. */
function loneLink(extra: Record<string, unknown> = {}): Results {
  return run({
    topology: graph(['a', 'b'], ['s'], [['a', 's'], ['s', 'b']]),
    defaults: { migration: { strategy: 'stop-and-copy' } },
    vms: [{ id: 'vm1', host: 'a', memory: '1 GiB' }],
    migrations: [{ vm: 'vm1', to: 'b', at: '0 s' }],
    ...extra,
  });
}

describe('link utilization over time', () => {
  it('is 1 on a lone path while the stop-and-copy sends, then 0 (worked by hand)', () => {
    // The flow sends for T = 9.066522438838357 s; the run ends 2L = 40 us later, at E = 9.066562438838356 s.
    // The width is the first power of two from 2^-10 s with 128 w ≥ E: w = 2^-3 s, so ceil(E / w) = 73 bins.
    // Bins 0..71 end by 9 s < T: mean 1. Bin 72 runs from 9 s to E, busy until T: mean (T − 9)/(E − 9).
    const results = loneLink();
    const T = 9.066522438838357;
    const E = results.run.simulatedTime;
    expectClose(E, 9.066562438838356, 'run end');
    for (const id of ['a->s', 's->b']) {
      const u = results.links.find((l) => l.id === id)!.utilization!;
      expect(u.interval).toBe(2 ** -3);
      expect(u.mean).toHaveLength(73);
      expect(u.mean.slice(0, 72)).toEqual(new Array(72).fill(1));
      expectClose(u.mean[72], (T - 9) / (E - 9), `${id} last bin`, 1e-9);
      expect(u.peak).toEqual(new Array(73).fill(1));
    }
    // the reverse links carried nothing and get no series; a graph without core links has no aggregate
    expect(results.links.filter((l) => l.utilization !== undefined).map((l) => l.id).sort()).toEqual(['a->s', 's->b']);
    expect(results.summary.coreUtilization).toBeUndefined();
  });

  it('integrates to the bytes each link carried, and the core aggregate to summary.coreBytes (fat-tree, k=4)', () => {
    const document = {
      topology: { kind: 'fat-tree', k: 4, link: { capacity: '1 Gbit/s', latency: '2 us' } },
      defaults: { migration: { strategy: 'precopy' } },
      vms: [0, 1, 2, 3, 4, 5].map((i) => ({
        id: `vm${i}`,
        host: `h0-${i % 2}-${Math.floor(i / 2) % 2}`,
        memory: `${1 + (i % 3)} GiB`,
        workload: { dirtyRate: `${10 * i} MiB/s` },
      })),
      migrations: [0, 1, 2, 3, 4, 5].map((i) => ({ vm: `vm${i}`, to: `h${1 + (i % 3)}-${i % 2}-${(i + 1) % 2}`, at: `${i * 0.7} s` })),
      traffic: [{ from: 'h3-0-0', to: 'h2-1-1', rate: '300 Mbit/s', start: '1 s', duration: '5 s' }],
    };
    const results: Results = run(document);
    const { links } = buildTopology(parseScenarioDocument(document, 'test.yaml').topology);
    const endS = results.run.simulatedTime;
    const withSeries = results.links.filter((l) => l.utilization !== undefined);
    expect(withSeries.length).toBeGreaterThan(SERIES_LINKS);
    for (const link of withSeries) {
      expectClose(integralS(link.utilization!, endS) * GBIT, link.bytes, `∫ utilization × capacity of ${link.id}`, 1e-9);
      expect(Math.max(...link.utilization!.peak)).toBeLessThanOrEqual(link.peakUtilization);
    }
    const coreCapacity = links.core.reduce((sum, core) => sum + core * GBIT, 0);
    expectClose(integralS(results.summary.coreUtilization!, endS) * coreCapacity, results.summary.coreBytes, 'core aggregate', 1e-9);
    // the series go to the SERIES_LINKS busiest links and the SERIES_LINKS busiest core links
    const busiest = [...results.links].sort((a, b) => b.bytes - a.bytes || a.id.localeCompare(b.id));
    const busiestCore = busiest.filter((l) => links.core[links.id.indexOf(l.id)] === 1);
    const expected = new Set([...busiest.slice(0, SERIES_LINKS), ...busiestCore.slice(0, SERIES_LINKS)].filter((l) => l.bytes > 0).map((l) => l.id));
    expect(new Set(withSeries.map((l) => l.id))).toEqual(expected);
  });

  it('measures against the capacity a link had: a degraded link still full reads 1', () => {
    // 1 GiB over a — s — b; at 2 s the link a — s degrades to 0.5 Gbit/s. The flow fills a->s before and
    // after, so a->s reads 1 throughout the send; s->b reads 1, then 0.5 from the bin after 2 s on.
    const results = loneLink({ faults: [{ at: '2 s', kind: 'degrade', target: { from: 'a', to: 's' }, capacity: '0.5 Gbit/s' }] });
    const first = results.links.find((l) => l.id === 'a->s')!.utilization!;
    const second = results.links.find((l) => l.id === 's->b')!.utilization!;
    const lastFull = first.mean.length - 2; // the last bin holds the propagation tail
    expect(first.mean.slice(0, lastFull)).toEqual(new Array(lastFull).fill(1));
    const atDegrade = 2 / second.interval; // 2 s is a bin edge
    expect(second.mean.slice(0, atDegrade)).toEqual(new Array(atDegrade).fill(1));
    expect(second.mean.slice(atDegrade, lastFull)).toEqual(new Array(lastFull - atDegrade).fill(0.5));
  });
});
