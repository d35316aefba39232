// The progress bar of `mignet sweep` (cli-progress), on stderr and only when stderr is a terminal: a sweep
// piped to a file or run by a batch scheduler writes no control characters into its logs. The estimate is
// shown only once a run has ended: before that there is nothing to estimate from (cli-progress would print
// "eta 0s").
import { performance } from 'node:perf_hooks';
import { formatDuration } from '../report/summary-table.js';

export interface Progress {
  tick(runs?: number): void;
  stop(): void;
}

const SILENT: Progress = { tick: () => undefined, stop: () => undefined };

/** What the bar says of the time left after `done` of `total` runs in `elapsedS` seconds. */
export function etaText(done: number, total: number, elapsedS: number): string {
  if (done === 0) return 'eta after the first run';
  return `eta ${formatDuration((elapsedS / done) * (total - done))}`;
}

export async function startProgress(total: number, stream: NodeJS.WriteStream = process.stderr, label = 'sweep'): Promise<Progress> {
  if (!stream.isTTY || total === 0) return SILENT;
  // Loaded only here: a sweep without a terminal never needs it.
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${label} |{bar}| {value}/{total} runs | {duration_formatted} | {etaText}`,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const startS = performance.now() / 1000;
  let done = 0;
  bar.start(total, 0, { etaText: etaText(0, total, 0) });
  return {
    tick: (runs = 1) => {
      done += runs;
      bar.increment(runs, { etaText: etaText(done, total, performance.now() / 1000 - startS) });
    },
    stop: () => bar.stop(),
  };
}
