// report.html of `mignet plan`: one self-contained page in the style of a run's report (src/report: the same
// stylesheet and Content-Security-Policy, tables through htmlTable, the plot rendered to inline SVG by Vega-
// Lite): the verdict, the plan's figures on each seed, the baselines against it, the Pareto front of worst
// makespan against worst downtime over every plan evaluated, and the search's steps.
import type { TopLevelSpec } from 'vega-lite';
import { CONTENT_SECURITY_POLICY, STYLE } from '../report/html-report.js';
import { escapeHtml, htmlTable } from '../report/html.js';
import { PLOT_WIDTH } from '../report/plot-section.js';
import { renderSvg } from '../report/render-svg.js';
import { formatBytes, formatDuration, formatEnergy } from '../report/summary-table.js';
import type { Evaluation } from './evaluator.js';
import type { WorstFigures } from './figures.js';
import type { PlanOutcome } from './planner.js';

const FIGURE_HEADER = ['makespan', 'worst downtime', 'p95 downtime', 'over limit', 'not completed', 'core bytes', 'peak core use', 'energy'];

function figureCells(f: Omit<WorstFigures, 'downtimeExcess' | 'totalDowntime'>): string[] {
  if (!Number.isFinite(f.makespan)) return FIGURE_HEADER.map(() => '—');
  return [formatDuration(f.makespan), formatDuration(f.maxDowntime), formatDuration(f.p95Downtime), `${f.overLimit}`, `${f.notCompleted}`, formatBytes(f.coreBytes), `${(f.peakCoreUtilization * 100).toFixed(0)} %`, formatEnergy(f.energy)];
}

const NUMERIC = new Set([1, 2, 3, 4, 5, 6, 7, 8]);

function baselinesTable(outcome: PlanOutcome): string {
  const rows = [outcome.best, ...outcome.baselines].map((e, i) => [
    i === 0 ? `plan: ${e.candidate.label}` : e.candidate.label,
    ...figureCells(e.worst),
    e.violated.length === 0 ? 'yes' : `no: ${e.violated.join(', ')}`,
  ]);
  return htmlTable(['plan', ...FIGURE_HEADER, 'meets the goal'], rows, NUMERIC);
}

function seedsTable(best: Evaluation): string {
  return htmlTable(['seed', ...FIGURE_HEADER], best.perSeed.map((f) => [`${f.seed}`, ...figureCells(f)]), NUMERIC);
}

function paretoSpec(outcome: PlanOutcome): TopLevelSpec {
  const front = new Set(outcome.pareto.map((e) => e.index));
  const points = [...outcome.baselines, ...outcome.pareto, outcome.best]
    .filter((e, i, all) => e.error === undefined && e.worst.notCompleted === 0 && all.findIndex((o) => o.index === e.index) === i)
    .map((e) => ({
      name: e.candidate.label,
      makespanS: e.worst.makespan,
      downtimeMs: e.worst.maxDowntime * 1e3,
      kind: e.index === outcome.best.index ? 'the plan' : front.has(e.index) ? 'Pareto front' : 'baseline',
    }));
  return {
    width: PLOT_WIDTH,
    height: 320,
    data: { values: points },
    mark: { type: 'point', filled: true, size: 60 },
    encoding: {
      x: { field: 'makespanS', type: 'quantitative', title: 'worst makespan (s)', scale: { zero: false } },
      y: { field: 'downtimeMs', type: 'quantitative', title: 'worst downtime (ms)', scale: { type: 'symlog' } },
      color: { field: 'kind', type: 'nominal', title: null, scale: { domain: ['the plan', 'Pareto front', 'baseline'], range: ['#e45756', '#4c78a8', '#bab0ac'] } },
      tooltip: [{ field: 'name', type: 'nominal' }],
    },
  };
}

export async function planReport(outcome: PlanOutcome, file: string, warnings: string[] = []): Promise<string> {
  const { best, goal } = outcome;
  const title = `mignet plan: ${file}`;
  const verdict =
    best.violated.length === 0
      ? `The plan meets the goal on every seed (${goal.seeds.join(', ')}).`
      : `No plan found meets the goal: the best found breaks ${best.violated.join(', ')} (worst over seeds ${goal.seeds.join(', ')}).`;
  const constraints = [
    goal.deadlineS === undefined ? 'no deadline' : `deadline ${formatDuration(goal.deadlineS)}`,
    goal.downtimeLimitS === undefined ? 'each migration’s own downtime limit' : `downtime limit ${formatDuration(goal.downtimeLimitS)}`,
    ...(goal.maxCoreUtilization === undefined ? [] : [`core links at most ${(goal.maxCoreUtilization * 100).toFixed(0)} % used`]),
  ];
  const pareto = await renderSvg(paretoSpec(outcome), warnings);
  const steps = outcome.steps.length === 0 ? '<p>The search found nothing better than its start.</p>' : `<ol>\n${outcome.steps.map((s) => `<li>${escapeHtml(s)}</li>`).join('\n')}\n</ol>`;
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
<p>${escapeHtml(`${goal.moves.length} migrations; objective: ${goal.objective}; ${constraints.join(', ')}. Every figure is the worst over the seeds.`)}</p>
<p><strong>${escapeHtml(verdict)}</strong> ${escapeHtml(`The plan is ${best.candidate.label}; plan.yaml beside this page runs it (mignet run plan.yaml --seed S gives seed S's figures).`)}</p>
<h2>Against the baselines</h2>
<p>Every built-in schedule policy at every concurrency level, techniques as the scenario writes them.</p>
<div class="scroll">
${baselinesTable(outcome)}
</div>
<h2>The plan on each seed</h2>
${seedsTable(best)}
<h2>Makespan against worst downtime</h2>
<figure>
${pareto}
<figcaption>${escapeHtml(`Each point a plan that completed every migration (worst over the seeds); blue: the Pareto front over the ${outcome.runs.baselines + outcome.runs.search} runs, where no plan evaluated is both faster and with less downtime.`)}</figcaption>
</figure>
<h2>Search</h2>
<p>${escapeHtml(`Best baseline: ${outcome.start.candidate.label}. The search started from ${outcome.from.candidate.label} and spent ${outcome.runs.search} runs, ${outcome.converged ? 'ending at a plan no neighbour improves' : 'stopped by the budget'}. Improvements accepted:`)}</p>
${steps}
</body>
</html>
`;
}
