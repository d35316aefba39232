// Renders a Vega-Lite spec to an SVG string in Node, without a browser or a canvas: Vega-Lite compiles the
// spec to Vega, and a headless Vega view (renderer 'none') serialises its scenegraph (vega.github.io/vega/
// usage/#node). Data is always inline, so nothing is loaded. Vega and Vega-Lite warnings (e.g. a channel
// dropped) do not reach the terminal: they are collected for the caller, and tests require there be none.
// Vega and Vega-Lite load on the first render (about 0.3 s of CPU): a run without plots never pays it.
import type * as Vega from 'vega';
import type { TopLevelSpec } from 'vega-lite';

/** A logger that keeps warnings and errors as text instead of printing them. */
function collectingLogger(vega: typeof Vega, messages: string[]): Vega.LoggerInterface {
  return vega.logger(vega.Warn, undefined, (method: string, _level: unknown, input: readonly unknown[]) => {
    messages.push(`${method}: ${input.map(String).join(' ')}`);
  });
}

export async function renderSvg(spec: TopLevelSpec, warnings: string[] = []): Promise<string> {
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const logger = collectingLogger(vega, warnings);
  const compiled = compile(spec, { logger });
  const view = new vega.View(vega.parse(compiled.spec), { renderer: 'none', logger });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
