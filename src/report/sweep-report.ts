// DIR/report.html of `mignet sweep --out DIR`: the plots a study needs, on one self-contained page (the run
// report's style and Content-Security-Policy: no script, no network load).
// - Each headline figure (total migration time, worst downtime, p95 downtime, migrations over the limit, wire
//   bytes) against the first varied key, one line per combination of the other keys: how the answer moves
//   with the knob, and whether the other knobs change the shape.
// - The Pareto front of total time against worst downtime: the runs no other run beats on both (no run is at
//   most as long and at most as disruptive, and better on one), joined by a line, the others as dots. A plan
//   is chosen on the front; a run off it is never the answer to "fastest under a downtime target".
// With --seeds the rows are the statistics over seeds: the lines show the mean, the front uses the worst.
// Runs that did not run, or in which nothing completed (NaN times), are left out, and the page says how many.
import { escapeHtml } from './html.js';
import { CONTENT_SECURITY_POLICY, sectionHtml, STYLE, type RenderedSection } from './html-report.js';
import { PLOT_WIDTH, type PlotSection } from './plot-section.js';
import { renderSvg } from './render-svg.js';

export const SWEEP_REPORT = 'report.html';

/** A row of the sweep: the varied keys' values as written, and its figures (absent: it did not run). */
export interface SweepReportRow {
  texts: string[];
  values?: Record<string, number>;
}

export interface SweepReportInput {
  /** the scenario file */
  file: string;
  /** the varied keys, in --vary order (without `seed` when the rows are over seeds) */
  keys: string[];
  /** the values of each key, in --vary order */
  values: string[][];
  rows: SweepReportRow[];
  /** rows are statistics over these seeds */
  seeds?: string[];
}

const HEADLINES: readonly { column: string; title: string; unit: string }[] = [
  { column: 'totalMigrationTime', title: 'Total migration time', unit: 's' },
  { column: 'maxDowntime', title: 'Worst downtime', unit: 's' },
  { column: 'downtimeP95', title: 'p95 downtime', unit: 's' },
  { column: 'overLimit', title: 'Migrations over their downtime limit', unit: 'count' },
  { column: 'bytes_wire', title: 'Bytes on the wire', unit: 'B' },
];

interface Point {
  label: string;
  x: string;
  series: string;
  time: number;
  downtime: number;
}

/** The points no other point beats on both time and downtime, by increasing time. */
export function paretoFront<P extends { time: number; downtime: number }>(points: readonly P[]): P[] {
  const sorted = [...points].sort((a, b) => a.time - b.time || a.downtime - b.downtime);
  const front: P[] = [];
  for (const point of sorted) {
    const last = front[front.length - 1];
    if (last === undefined || point.downtime < last.downtime) front.push(point);
  }
  return front;
}

/** The line a row belongs to: the values of the keys after the first (the legend's title names the keys). */
function seriesName(keys: readonly string[], texts: readonly string[]): string {
  return keys.length <= 1 ? 'all runs' : texts.slice(1).join(', ');
}

function figure(values: Record<string, number>, column: string, statistic: 'mean' | 'worst' | undefined): number {
  return values[statistic === undefined ? column : `${column}_${statistic}`] ?? NaN;
}

function linePlot(input: SweepReportInput, column: string, title: string, unit: string): PlotSection {
  const key = input.keys[0] ?? 'run';
  const statistic = input.seeds === undefined ? undefined : 'mean';
  const data = input.rows.flatMap((row) => {
    const value = row.values === undefined ? NaN : figure(row.values, column, statistic);
    return Number.isFinite(value) ? [{ x: row.texts[0] ?? '', series: seriesName(input.keys, row.texts), value }] : [];
  });
  const id = `sweep-${column}`;
  if (data.length === 0) return { kind: 'omitted', id, title, reason: 'no run gave this figure' };
  const over = statistic === undefined ? '' : `, mean over seeds ${input.seeds!.join(',')}`;
  return {
    kind: 'plot',
    id,
    title: `${title} against ${key}`,
    caption: `${title} (${column}${statistic === undefined ? '' : '_mean'}, ${unit}${over}) for each value of ${key}, one line per combination of the other varied keys; the axis starts at zero.`,
    spec: {
      width: PLOT_WIDTH - 260,
      height: 240,
      data: { values: data },
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'x', type: 'ordinal', title: key, sort: input.values[0] ?? null },
        y: { field: 'value', type: 'quantitative', title: `${column} (${unit})`, scale: { zero: true } },
        color: { field: 'series', type: 'nominal', title: input.keys.length > 1 ? input.keys.slice(1).join(', ') : 'runs', legend: { labelLimit: 260 } },
      },
    },
  };
}

function paretoPlot(input: SweepReportInput): { section: PlotSection; front: Point[] } {
  const time = (values: Record<string, number>): number => figure(values, 'totalMigrationTime', input.seeds === undefined ? undefined : 'worst');
  const downtime = (values: Record<string, number>): number => figure(values, 'maxDowntime', input.seeds === undefined ? undefined : 'worst');
  const points: Point[] = input.rows.flatMap((row) => {
    if (row.values === undefined) return [];
    const point = { label: input.keys.map((key, i) => `${key}=${row.texts[i]}`).join(', '), x: row.texts[0] ?? '', series: seriesName(input.keys, row.texts), time: time(row.values), downtime: downtime(row.values) };
    return Number.isFinite(point.time) && Number.isFinite(point.downtime) ? [point] : [];
  });
  const front = paretoFront(points);
  const id = 'sweep-pareto';
  const title = 'Pareto front: total time against worst downtime';
  if (points.length === 0) return { section: { kind: 'omitted', id, title, reason: 'no run completed a migration' }, front };
  const onFront = new Set(front);
  const data = points.map((point) => ({ ...point, front: onFront.has(point) ? 'on the front' : 'dominated' }));
  const worst = input.seeds === undefined ? '' : ` (the worst over seeds ${input.seeds.join(',')})`;
  return {
    front,
    section: {
      kind: 'plot',
      id,
      title,
      caption:
        `Every run's total migration time against its worst downtime${worst}, both in s; the runs no other run beats on both are ` +
        `joined (${front.length} of ${points.length}), and listed below. Axes start at zero.`,
      spec: {
        width: PLOT_WIDTH - 260,
        height: 300,
        data: { values: data },
        layer: [
          {
            transform: [{ filter: "datum.front === 'on the front'" }],
            mark: { type: 'line', interpolate: 'step-after', color: '#888' },
            encoding: { x: { field: 'time', type: 'quantitative' }, y: { field: 'downtime', type: 'quantitative' }, order: { field: 'time', type: 'quantitative' } },
          },
          {
            mark: { type: 'point', filled: true, size: 60 },
            encoding: {
              x: { field: 'time', type: 'quantitative', title: 'total migration time (s)', scale: { zero: true } },
              y: { field: 'downtime', type: 'quantitative', title: 'worst downtime (s)', scale: { zero: true } },
              color: { field: 'front', type: 'nominal', title: null, scale: { domain: ['on the front', 'dominated'], range: ['#d62728', '#9ecae1'] } },
              tooltip: [{ field: 'label' }],
            },
          },
        ],
      },
    },
  };
}

function frontTable(input: SweepReportInput, front: readonly Point[]): string {
  const rows = front.map((point) => `<tr><td>${escapeHtml(point.label)}</td><td class="num">${point.time.toPrecision(4)}</td><td class="num">${point.downtime.toPrecision(4)}</td></tr>`);
  return `<table><tr><th>run (${escapeHtml(input.keys.join(', '))})</th><th class="num">total time (s)</th><th class="num">worst downtime (s)</th></tr>\n${rows.join('\n')}\n</table>`;
}

export async function renderSweepReport(input: SweepReportInput, warnings: string[] = []): Promise<string> {
  const { section: pareto, front } = paretoPlot(input);
  const sections = [...HEADLINES.map(({ column, title, unit }) => linePlot(input, column, title, unit)), pareto];
  const plots = await Promise.all(sections.map(async (section): Promise<RenderedSection> => (section.kind === 'plot' ? { section, svg: await renderSvg(section.spec, warnings) } : { section })));
  const missing = input.rows.filter((row) => row.values === undefined).length;
  const nothing = input.rows.filter((row) => row.values !== undefined && !Number.isFinite(figure(row.values, 'totalMigrationTime', input.seeds === undefined ? undefined : 'mean'))).length;
  const title = `mignet sweep report: ${input.file}`;
  const seeds = input.seeds === undefined ? '' : ` Each row is ${input.seeds.length} runs, seeds ${escapeHtml(input.seeds.join(','))}.`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>${input.rows.length} rows varying ${escapeHtml(input.keys.join(', '))}.${seeds} ${missing} did not run (their error is in sweep.csv), ${nothing} completed no migration; neither is plotted. Times in s, bytes in B; the exact numbers are in sweep.csv${input.seeds === undefined ? '' : ' and seeds.csv'}.</p>
<h2>Plots</h2>
${plots.map(sectionHtml).join('\n')}
<h2>The Pareto front</h2>
${frontTable(input, front)}
</body>
</html>
`;
}
