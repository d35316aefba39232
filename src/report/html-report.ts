// report.html: one self-contained page — inline CSS and inline SVG plots, no script, no font, no image, no
// network load (a Content-Security-Policy forbids any) — with the run's totals, its migrations, the plots
// (plots.ts) and the scenario as the run saw it. Every text from the scenario or results is escaped.
import type { Scenario } from '../config/scenario.js';
import type { Results } from '../engine/results.js';
import { coreLinkIds } from './core-links.js';
import { escapeHtml } from './html.js';
import type { OmittedPlot, Plot } from './plot-section.js';
import { reportPlots } from './plots.js';
import { renderSvg } from './render-svg.js';
import { migrationsTable, totalsTable, trafficTable } from './report-tables.js';
import { scenarioYaml } from './scenario-echo.js';

export const STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto; max-width: 1040px;
  padding: 0 1rem; color: #1b1b1b; line-height: 1.4; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 0.5rem 0; }
th, td { padding: 0.2rem 0.6rem; border-bottom: 1px solid #eee; text-align: left; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.scroll { overflow-x: auto; }
figure { margin: 1rem 0 2rem; } figcaption { font-size: 0.85rem; color: #555; margin-top: 0.3rem; }
figure svg { max-width: 100%; height: auto; }
p.omitted { color: #555; font-style: italic; }
pre { background: #f6f6f6; padding: 0.8rem; overflow-x: auto; font-size: 0.8rem; }
`;

/** No script, no remote anything: inline styles, inline SVG and data: URLs only. */
export const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/** Tables longer than this start folded, so the plots stay near the top of the page. */
const OPEN_TABLE_ROWS = 40;

/** `1 flow`, `3 flows` */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** A <details> block: `summary` is plain text, `content` HTML. */
function collapsible(summary: string, content: string, open: boolean): string {
  return `<details${open ? ' open' : ''}>\n<summary>${escapeHtml(summary)}</summary>\n<div class="scroll">\n${content}\n</div>\n</details>`;
}

/** A plot section with its rendered SVG, or a section left out. */
export type RenderedSection = { section: Plot; svg: string } | { section: OmittedPlot };

function sectionHtml(rendered: RenderedSection): string {
  const { section } = rendered;
  const open = `<section id="${escapeHtml(section.id)}" class="${section.kind}">\n<h3>${escapeHtml(section.title)}</h3>\n`;
  if (!('svg' in rendered)) {
    return `${open}<p class="omitted">Not plotted: ${escapeHtml(rendered.section.reason)}.</p>\n</section>`;
  }
  return `${open}<figure>\n${rendered.svg}\n<figcaption>${escapeHtml(rendered.section.caption)}</figcaption>\n</figure>\n</section>`;
}

export interface ReportPage {
  scenario: Scenario;
  results: Results;
  plots: RenderedSection[];
}

export function formatHtmlReport(page: ReportPage): string {
  const { scenario, results } = page;
  const traffic = trafficTable(results);
  const title = `mignet report: ${results.scenario}`;
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
<p>Seed ${results.seed}. Times in s, bytes in B (binary prefixes in the tables), energy in J; the exact numbers are in
results.json and the CSV files next to this page.</p>
<h2>Summary</h2>
${totalsTable(results)}
<h2>Plots</h2>
${page.plots.map(sectionHtml).join('\n')}
<h2>Migrations</h2>
${collapsible(count(results.migrations.length, 'migration'), migrationsTable(results), results.migrations.length <= OPEN_TABLE_ROWS)}
${traffic === undefined ? '' : `<h2>Application traffic</h2>\n${collapsible(count(results.traffic.length, 'flow'), traffic, results.traffic.length <= OPEN_TABLE_ROWS)}\n`}<h2>Scenario</h2>
<p>As the run saw it: every default applied, every quantity in SI base units (the unit is in each key’s name).</p>
${collapsible('scenario (YAML)', `<pre>${escapeHtml(scenarioYaml(scenario))}</pre>`, false)}
</body>
</html>
`;
}

/** Renders every plot, then the page. `warnings` collects Vega and Vega-Lite messages, if any. */
export async function renderHtmlReport(scenario: Scenario, results: Results, warnings: string[] = []): Promise<string> {
  const sections = reportPlots(results, coreLinkIds(scenario));
  const plots = await Promise.all(
    sections.map(async (section): Promise<RenderedSection> =>
      section.kind === 'plot' ? { section, svg: await renderSvg(section.spec, warnings) } : { section },
    ),
  );
  return formatHtmlReport({ scenario, results, plots });
}
