#!/usr/bin/env node
// The `mignet` command. Exit codes (CONTRACT.md): 0 ran, 2 bad input (every problem on stderr as
// `FILE: path: what is wrong (what is expected)`), 1 internal error. No stack traces unless MIGNET_DEBUG=1.
// Output that cannot be written has one handler (outputFailed): a reader that closed the pipe (`| head`,
// EPIPE) ends the command quietly with status 141, what a shell reports for a process SIGPIPE ended (128 + 13),
// as `yes | head` does; any other write error (a full disk, ENOSPC) is one line naming the file, exit 2.
// output-stream.ts needs only node:fs: loaded at once, unlike the commands.
import { OutputWriteError, writeReason } from '../report/output-stream.js';
import { VERSION } from './version.js';

/** Exit status after the reader of stdout went away: 128 + SIGPIPE (13), as for a process the signal ended. */
const CLOSED_PIPE_STATUS = 141;

/** The one answer to output that could not be written; returns the exit status. */
function outputFailed(error: OutputWriteError): number {
  if (error.code === 'EPIPE') return CLOSED_PIPE_STATUS;
  writeError(`mignet: ${error.message}\n`);
  return 2;
}

/** stderr itself may be closed or full: then there is no one to tell. */
function writeError(text: string): void {
  try {
    process.stderr.write(text);
  } catch {
    // nowhere left to report to
  }
}

/** Writes that do not go through output-stream.ts (commander's help, a command's one-line notes, a progress
 * bar) fail later, as 'error' events of the stream: the same answer, then the process ends at once. */
function onStreamError(target: 'stdout' | 'stderr'): (error: NodeJS.ErrnoException) => void {
  return (error) => {
    const status = target === 'stderr' ? 2 : outputFailed(new OutputWriteError(target, error.code, writeReason(error)));
    process.exit(status);
  };
}

async function main(argv: string[]): Promise<number> {
  process.stdout.on('error', onStreamError('stdout'));
  process.stderr.on('error', onStreamError('stderr'));
  // `mignet --version` answers before the commands load (zod, yaml, graphology and ours: ~0.15 s of CPU).
  if (argv.length === 3 && (argv[2] === '--version' || argv[2] === '-V')) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const [{ CommanderError }, { ConfigError, formatConfigError }, { RunLimitError }, { buildProgram }, { UsageError }] = await Promise.all([
    import('commander'),
    import('../config/load.js'),
    import('../engine/run-limit-error.js'),
    import('./program.js'),
    import('./usage-error.js'),
  ]);
  try {
    // parseAsync: actions may be async (run --out renders its plots asynchronously); errors still land here.
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and version end here too, with exit code 0
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof ConfigError) {
      writeError(`${formatConfigError(error)}\n`);
      return 2;
    }
    if (error instanceof RunLimitError) {
      // A command that runs scenarios without run-limits.ts still reports a stopped run as bad input.
      writeError(`mignet: ${error.message} (limits.${error.limit})\n`);
      return 2;
    }
    if (error instanceof OutputWriteError) return outputFailed(error);
    if (error instanceof UsageError) {
      writeError(`mignet: ${error.message}\n`);
      return 2;
    }
    const detail = process.env.MIGNET_DEBUG === '1' && error instanceof Error ? error.stack : String(error);
    writeError(`mignet: internal error: ${detail}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv);
