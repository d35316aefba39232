// A section of the report's plots: a Vega-Lite spec to render, or a plot left out with the reason (no data
// of that kind in the results) — the report says so rather than draw an empty or made-up chart.
import type { TopLevelSpec } from 'vega-lite';

export interface Plot {
  kind: 'plot';
  /** HTML id of the section, kebab-case */
  id: string;
  title: string;
  /** what the plot shows and from which results fields, in a sentence or two */
  caption: string;
  spec: TopLevelSpec;
}

export interface OmittedPlot {
  kind: 'omitted';
  id: string;
  title: string;
  reason: string;
}

export type PlotSection = Plot | OmittedPlot;

/** Plot width in px (the page is about 900 px wide). */
export const PLOT_WIDTH = 720;
