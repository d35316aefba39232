// Every file of `--out DIR`, written by writeOutputs and read back: results.json is the `--json` text, each
// CSV parses (csv-parse) to one row per migration / link / host / flow with the documented headers and the
// exact numbers, and report.html holds one <svg> per plot, no network load, and every name escaped.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/config/scenario.js';
import type { Results } from '../../src/engine/results.js';
import { runScenario } from '../../src/engine/run-scenario.js';
import { coreLinkIds } from '../../src/report/core-links.js';
import { renderHtmlReport } from '../../src/report/html-report.js';
import { reportPlots } from '../../src/report/plots.js';
import { formatResultsJson } from '../../src/report/results-json.js';
import { OUTPUT_FILES, OutputDirError, prepareOutputDir } from '../../src/report/output-dir.js';
import { writeOutputs } from '../../src/report/write-outputs.js';
import { defaultScenario, networkLoads, ODD_HOST, ODD_NAME, ODD_VM, oddScenario } from './helpers.js';

/** The headers as src/report/csv-tables.ts documents them (and the README lists them). */
const HEADERS = {
  'migrations.csv':
    'vm,from,to,strategy,status,reason,start,end,totalTime,downtime,rounds,bytes_memory,bytes_storage,bytes_wire,degradedTime,energy,' +
    'coreBytes,sharedPages_referenced,sharedPages_saved,sharedPages_fetched,faults,faultWait,precopyStop,' +
    'exposure_bytes,exposure_linkBytes,energyEstimates_liu,energyEstimates_strunk',
  'links.csv': 'id,from,to,bytes,peakUtilization',
  'hosts.csv': 'id,energy,migrationEnergy',
  'traffic.csv': 'from,to,start,end,bytes_payload,bytes_wire,stalledTime',
  'link-utilization.csv': 'series,start,end,mean,peak',
  'switches.csv': 'id,ports,forwarded,energy',
} as const;

type CsvFile = keyof typeof HEADERS;

let root = '';
const runs: { name: string; scenario: Scenario; results: Results; dir: string }[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'mignet-report-'));
  for (const [name, scenario] of [
    ['default', defaultScenario()],
    ['odd', oddScenario()],
  ] as const) {
    const results = runScenario(scenario);
    // a folder that does not exist yet, two levels down
    const dir = join(root, name, 'out');
    await writeOutputs(dir, scenario, results);
    runs.push({ name, scenario, results, dir });
  }
}, 120_000);

afterAll(() => {
  if (root !== '') rmSync(root, { recursive: true, force: true });
});

function readCsv(dir: string, file: CsvFile): { header: string; rows: Record<string, string>[] } {
  const text = readFileSync(join(dir, file), 'utf8');
  const rows = parse(text, { columns: true }) as Record<string, string>[];
  return { header: text.slice(0, text.indexOf('\n')), rows };
}

describe.each(['default', 'odd'])('--out files of the %s scenario', (name) => {
  const run = (): (typeof runs)[number] => runs.find((r) => r.name === name)!;

  it('writes every file, and results.json is the --json text byte for byte', () => {
    const { dir, results } = run();
    for (const file of OUTPUT_FILES) expect(existsSync(join(dir, file)), file).toBe(true);
    const text = readFileSync(join(dir, 'results.json'), 'utf8');
    expect(text).toBe(formatResultsJson(results));
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(results)));
  });

  it('migrations.csv: one row per migration, every scalar field exact', () => {
    const { dir, results } = run();
    const { header, rows } = readCsv(dir, 'migrations.csv');
    expect(header).toBe(HEADERS['migrations.csv']);
    expect(rows).toHaveLength(results.migrations.length);
    results.migrations.forEach((m, i) => {
      const row = rows[i]!;
      expect([row.vm, row.from, row.to, row.strategy, row.status]).toEqual([m.vm, m.from, m.to, m.strategy, m.status]);
      expect(row.reason).toBe(m.reason ?? '');
      expect(row.precopyStop).toBe(m.precopyStop ?? '');
      const b = m.bytes;
      const numbers = [m.start, m.end, m.totalTime, m.downtime, m.rounds, b.memory, b.storage, b.wire, m.degradedTime, m.energy];
      const read = ['start', 'end', 'totalTime', 'downtime', 'rounds', 'bytes_memory', 'bytes_storage', 'bytes_wire', 'degradedTime', 'energy'];
      numbers.push(m.coreBytes, m.sharedPages.referenced, m.sharedPages.saved, m.sharedPages.fetched, m.faults, m.faultWait);
      read.push('coreBytes', 'sharedPages_referenced', 'sharedPages_saved', 'sharedPages_fetched', 'faults', 'faultWait');
      numbers.push(m.exposure.bytes, m.exposure.linkBytes);
      read.push('exposure_bytes', 'exposure_linkBytes');
      expect([row.energyEstimates_liu, row.energyEstimates_strunk]).toEqual(['', '']);
      expect(read.map((key) => Number(row[key]))).toEqual(numbers);
    });
  });

  it('links.csv, switches.csv, hosts.csv, traffic.csv: one row per link, switch, host and flow', () => {
    const { dir, results } = run();
    const links = readCsv(dir, 'links.csv');
    expect(links.header).toBe(HEADERS['links.csv']);
    expect(links.rows.map((r) => ({ id: r.id, from: r.from, to: r.to, bytes: Number(r.bytes), peakUtilization: Number(r.peakUtilization) }))).toEqual(
      results.links.map(({ id, from, to, bytes, peakUtilization }) => ({ id, from, to, bytes, peakUtilization })),
    );
    const switches = readCsv(dir, 'switches.csv');
    expect(switches.header).toBe(HEADERS['switches.csv']);
    expect(switches.rows.map((r) => ({ id: r.id, ports: Number(r.ports), forwarded: Number(r.forwarded), energy: Number(r.energy) }))).toEqual(
      results.switches ?? [],
    );
    // the odd scenario gives switch power (its two switches s and t), the default does not
    expect(switches.rows.map((r) => r.id)).toEqual(name === 'odd' ? ['s', 't'] : []);
    const hosts = readCsv(dir, 'hosts.csv');
    expect(hosts.header).toBe(HEADERS['hosts.csv']);
    expect(hosts.rows.map((r) => ({ id: r.id, energy: Number(r.energy), migrationEnergy: Number(r.migrationEnergy) }))).toEqual(
      results.hosts.map(({ id, energy, migrationEnergy }) => ({ id, energy, migrationEnergy })),
    );
    const traffic = readCsv(dir, 'traffic.csv');
    expect(traffic.header).toBe(HEADERS['traffic.csv']);
    expect(traffic.rows).toHaveLength(results.traffic.length);
    expect(
      traffic.rows.map((r) => ({
        from: r.from,
        to: r.to,
        start: Number(r.start),
        end: Number(r.end),
        bytes: { payload: Number(r.bytes_payload), wire: Number(r.bytes_wire) },
        stalledTime: Number(r.stalledTime),
      })),
    ).toEqual(results.traffic);
  });

  it('link-utilization.csv: one row per bin of every series, in the results’ order, the core aggregate last', () => {
    const { dir, results } = run();
    const { header, rows } = readCsv(dir, 'link-utilization.csv');
    expect(header).toBe(HEADERS['link-utilization.csv']);
    const series = [
      ...results.links.filter((l) => l.utilization !== undefined).map((l) => [l.id, l.utilization!] as const),
      ...(results.summary.coreUtilization === undefined ? [] : [['core', results.summary.coreUtilization] as const]),
    ];
    expect(series.length).toBeGreaterThan(1);
    const expected = series.flatMap(([name, u]) =>
      u.mean.map((mean, bin) => ({
        series: name,
        start: bin * u.interval,
        end: Math.min(results.run.simulatedTime, (bin + 1) * u.interval),
        mean,
        peak: u.peak[bin],
      })),
    );
    expect(rows.map((r) => ({ series: r.series, start: Number(r.start), end: Number(r.end), mean: Number(r.mean), peak: Number(r.peak) }))).toEqual(expected);
    expect(rows[rows.length - 1]!.end).toBe(String(results.run.simulatedTime));
  });

  it('report.html: one <svg> per plot, each in its own section, and no network load', () => {
    const { dir, results, scenario } = run();
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    const plots = reportPlots(results, coreLinkIds(scenario)).filter((p) => p.kind === 'plot');
    expect(plots.length).toBeGreaterThanOrEqual(4);
    expect(html.match(/<svg\b/g)).toHaveLength(plots.length);
    for (const plot of plots) {
      const section = html.slice(html.indexOf(`<section id="${plot.id}"`), html.indexOf('</section>', html.indexOf(`<section id="${plot.id}"`)));
      expect(section.match(/<svg\b/g), plot.id).toHaveLength(1);
    }
    expect(networkLoads(html)).toEqual([]);
    expect(html).not.toMatch(/<script\b/i);
    expect(html).not.toMatch(/<link\b(?![^>]*href="data:)/i);
  });
});

describe('report.html content', () => {
  it('escapes every name from the scenario and the results', () => {
    const { dir } = runs.find((r) => r.name === 'odd')!;
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    // the scenario name would open a script element, the VM id an <i>: neither appears raw
    expect(html).not.toContain(ODD_NAME);
    expect(html).toContain('&lt;script&gt;alert(&quot;report&quot;)&lt;/script&gt; &amp; co');
    expect(html).not.toContain('<i>x</i>');
    expect(html).not.toContain('<b>');
    expect(html).toContain('vm,&quot;&lt;i&gt;x&lt;/i&gt;&quot; &amp; y');
    expect(html).toContain('h,&quot;1&quot;');
    expect(ODD_VM).toContain('<i>');
    expect(ODD_HOST).toContain('"');
  });

  it('has a plot of each kind for a run with precopy, postcopy and core links', () => {
    const { results, scenario } = runs.find((r) => r.name === 'odd')!;
    const sections = reportPlots(results, coreLinkIds(scenario));
    const kinds = Object.fromEntries(sections.map((s) => [s.id, s.kind]));
    expect(kinds).toMatchObject({
      timeline: 'plot',
      'in-flight': 'plot',
      rounds: 'plot',
      'busiest-links': 'plot',
      'core-links': 'plot',
      downtime: 'plot',
      'host-energy': 'plot',
      'host-power-over-time': 'plot',
      'busiest-links-over-time': 'plot',
      'core-links-over-time': 'plot',
    });
    expect(sections.filter((s) => s.kind === 'omitted')).toEqual([]);
    expect(results.traffic).toHaveLength(1);
    const phases = new Set(results.migrations.flatMap((m) => m.phases.map((p) => p.phase)));
    expect(phases).toEqual(new Set(['precopy', 'stop-and-copy', 'postcopy']));
  });

  it('renders without a Vega or Vega-Lite warning', async () => {
    for (const { scenario, results } of runs) {
      const warnings: string[] = [];
      await renderHtmlReport(scenario, results, warnings);
      expect(warnings, scenario.name).toEqual([]);
    }
  });

  it('echoes the validated scenario in SI units, keys naming the unit', () => {
    const { dir } = runs.find((r) => r.name === 'default')!;
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    // vm4: memory: 8 GiB in the file → memoryBytes: 8589934592; 10 Gbit/s → capacityBytesPerS: 1250000000
    expect(html).toContain('memoryBytes: 8589934592');
    expect(html).toContain('capacityBytesPerS: 1250000000');
    expect(html).toContain('downtimeLimitS: 0.3');
  });
});

describe('--out DIR that cannot be written', () => {
  it('is an OutputDirError naming DIR and the reason, before anything is written', () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'not a folder');
    expect(() => prepareOutputDir(file)).toThrow(OutputDirError);
    expect(() => prepareOutputDir(file)).toThrow(`--out ${file}: cannot write there`);
    expect(() => prepareOutputDir(join(file, 'below'))).toThrow(/a part of the path is a file, not a folder/);
  });
});
