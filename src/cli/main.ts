#!/usr/bin/env node
// The `mignet` command. Exit codes (CONTRACT.md): 0 ran, 2 bad input (every problem on stderr as
// `FILE: path: what is wrong (what is expected)`), 1 internal error. No stack traces unless MIGNET_DEBUG=1.
import { CommanderError } from 'commander';
import { ConfigError, formatConfigError } from '../config/load.js';
import { RunLimitError } from '../engine/run-limit-error.js';
import { buildProgram } from './program.js';
import { UsageError } from './usage-error.js';

async function main(argv: string[]): Promise<number> {
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
      process.stderr.write(`${formatConfigError(error)}\n`);
      return 2;
    }
    if (error instanceof RunLimitError) {
      // A command that runs scenarios without run-limits.ts still reports a stopped run as bad input.
      process.stderr.write(`mignet: ${error.message} (limits.${error.limit})\n`);
      return 2;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`mignet: ${error.message}\n`);
      return 2;
    }
    const detail = process.env.MIGNET_DEBUG === '1' && error instanceof Error ? error.stack : String(error);
    process.stderr.write(`mignet: internal error: ${detail}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv);
