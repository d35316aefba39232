// The progress bar of `mignet sweep` (cli-progress), on stderr and only when stderr is a terminal: a sweep
// piped to a file or run by a batch scheduler writes no control characters into its logs.
export interface Progress {
  tick(runs?: number): void;
  stop(): void;
}

const SILENT: Progress = { tick: () => undefined, stop: () => undefined };

export async function startProgress(total: number, stream: NodeJS.WriteStream = process.stderr, label = 'sweep'): Promise<Progress> {
  if (!stream.isTTY || total === 0) return SILENT;
  // Loaded only here: a sweep without a terminal never needs it.
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${label} |{bar}| {value}/{total} runs | {duration_formatted} | eta {eta_formatted}`,
      hideCursor: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    tick: (runs = 1) => bar.increment(runs),
    stop: () => bar.stop(),
  };
}
