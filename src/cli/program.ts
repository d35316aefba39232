// The commands and their options (commander). Each action reads its input through src/config, so a bad
// file surfaces as a ConfigError, which main.ts prints and turns into exit code 2.
import { Command, InvalidArgumentError, Option } from 'commander';
import { compareCommand, type CompareOptions } from './compare-command.js';
import { loadScenarioWithWarnings } from './load-scenario.js';
import { mergeCommand, type MergeOptions } from './merge-command.js';
import { modelsCommand } from './models-command.js';
import { parseBudget, parseSeedCount, planCommand, type PlanOptions } from './plan-command.js';
import { runCommand, type RunOptions } from './run-command.js';
import { sweepCommand, type SweepOptions } from './sweep-command.js';
import { parseShard } from './sweep-grid.js';
import { topologyCommand, TOPOLOGY_FORMATS } from './topology-command.js';
import { VERSION as version } from './version.js';


/** A seed as decimal digits only: Number() would read "" and " " as 0 and "0x10", "1e3", "0b11" as numbers. */
function parseSeed(value: string): number {
  const seed = /^[0-9]{1,10}$/.test(value) ? Number(value) : Number.NaN;
  if (!(seed <= 2 ** 32 - 1)) throw new InvalidArgumentError('expected a decimal integer from 0 to 4294967295');
  return seed;
}

function parseWorkers(value: string): number {
  const workers = Number(value);
  if (!Number.isInteger(workers) || workers < 1 || workers > 1024) throw new InvalidArgumentError('expected an integer from 1 to 1024');
  return workers;
}

function parseShardOption(value: string): SweepOptions['shard'] {
  try {
    return parseShard(value);
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
}

/** A repeatable option: every occurrence, in order. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function buildProgram(): Command {
  const program = new Command('mignet')
    .description('Flow-level emulator of live VM migration over data-center and wide-area networks')
    .version(version)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');

  program
    .command('run')
    .description('run a scenario (the embedded default scenario when FILE is absent) and print a summary')
    .argument('[file]', 'scenario file, YAML or JSON')
    .option('--json', 'print only the results JSON on stdout (compact, one line)')
    .option('--pretty', 'indent the results JSON (--json and results.json) for reading')
    .option('--seed <n>', "override the scenario's seed", parseSeed)
    .option('--seeds <N|A..B|A,B,C>', 'run once per seed (N: seeds 1..N) and print the mean, p95 and worst of each figure')
    .option('--quiet', 'print nothing on success (errors still go to stderr)')
    .option('--out <dir>', 'also write results.json, migrations.csv, links.csv, hosts.csv, traffic.csv and report.html to DIR (created if missing)')
    .action((file: string | undefined, options: RunOptions) => runCommand(file, options));

  program
    .command('validate')
    .description('check a scenario file and print every problem, not only the first')
    .argument('<file>', 'scenario file, YAML or JSON')
    .action((file: string) => {
      const { warnings } = loadScenarioWithWarnings(file);
      const note = warnings === 0 ? '' : ` (with ${warnings} warning${warnings === 1 ? '' : 's'} on stderr)`;
      process.stdout.write(`${file}: valid${note}\n`);
    });

  program
    .command('compare')
    .description('run a scenario once per value of a key (per combination with several --vary) and print one row per run (time, downtimes, bytes, core bytes, energy)')
    .argument('<file>', 'scenario file, YAML or JSON')
    .requiredOption('--vary <KEY=V1,V2,...>', 'a dotted key of the scenario (e.g. schedule.policy) and the values to try, as YAML scalars; repeat for more keys (their cross product, the first varying slowest)', collect)
    .option('--json', 'print the array of results (each with the value it ran with) instead of the table')
    .option('--seed <n>', "override the scenario's seed", parseSeed)
    .option('--seeds <N|A..B|A,B,C>', 'run each row once per seed (N: seeds 1..N) and show M_mean, M_p95 and M_worst of each figure M')
    .option('--where <EXPR>', 'keep the rows whose figures satisfy EXPR, e.g. maxDowntime<0.3,overLimit=0 (SI units; comma: and)')
    .option('--sort <KEY>', 'order the rows by a figure, ascending (-KEY: descending)')
    .action((file: string, options: CompareOptions) => compareCommand(file, options));

  program
    .command('sweep')
    .description('run the cross product of the --vary options on worker threads and print one CSV row per run (in run-id order)')
    .argument('<file>', 'scenario file, YAML or JSON')
    .requiredOption('--vary <KEY=V1,V2,...>', 'a dotted key and its values as YAML scalars; repeat for more keys (the first varies slowest)', collect)
    .option('--workers <n>', 'worker threads (default: the number of CPUs this process may use)', parseWorkers)
    .option('--shard <I/N>', 'run only the I-th of N slices: the runs whose index is I-1 modulo N (Slurm arrays, Kubernetes Indexed Jobs)', parseShardOption)
    .option('--out <dir>', 'write DIR/sweep.csv, DIR/sweep.json and one results JSON per run in DIR/runs/<id>.json instead of the CSV on stdout')
    .option('--skip-existing', 'with --out: read back the runs whose DIR/runs/<id>.json exists instead of running them again')
    .option('--seed <n>', "override the scenario's seed (before the --vary values are set)", parseSeed)
    .option('--seeds <N|A..B|A,B,C>', 'run each combination once per seed (a last axis, key seed) and print per combination M_mean, M_p95 and M_worst of each figure M (with --out: DIR/seeds.csv)')
    .option('--where <EXPR>', 'print only the rows whose figures satisfy EXPR, e.g. maxDowntime<0.3,overLimit=0 (SI units; comma: and)')
    .option('--sort <KEY>', 'print the rows ordered by a figure, ascending (-KEY: descending)')
    .action((file: string, options: SweepOptions) => sweepCommand(file, options));

  program
    .command('merge')
    .description('join the --out folders of the shards of one sweep into one folder, rows in run-id order')
    .argument('<dirs...>', 'the --out folders of the shards')
    .requiredOption('--out <dir>', 'the folder to write sweep.csv, sweep.json and runs/ to (created if missing)')
    .option('--allow-missing', 'write the merge even if some runs are in no folder (they are listed on stderr)')
    .action((dirs: string[], options: MergeOptions) => mergeCommand(dirs, options));

  program
    .command('plan')
    .description("find the schedule of the scenario's `plan:` goal by search over simulations; write DIR/plan.yaml (runnable), plan.json and report.html")
    .argument('<file>', 'scenario file with a plan: section, YAML or JSON')
    .requiredOption('--out <dir>', 'the folder to write plan.yaml, plan.json and report.html to (created if missing)')
    .option('--seeds <n>', 'run every candidate on seeds 1..N (default: plan.seeds, else 3)', parseSeedCount)
    .option('--budget <runs|time>', 'simulator runs the search may spend after the baselines (default 300; the same plan every time), or a time such as "2 min" (the plan then depends on the machine)', parseBudget)
    .option('--workers <n>', 'worker threads (default: the number of CPUs this process may use); the plan is the same with any number', parseWorkers)
    .action((file: string, options: PlanOptions) => planCommand(file, options));

  program
    .command('models')
    .description('list the strategies, addressing schemes, storage modes, ciphers and host power presets, each with its description and source')
    .option('--json', 'print the list as JSON')
    .action((options: { json?: boolean }) => modelsCommand(options));

  program
    .command('topology')
    .description('print the topology of a scenario: counts, or the whole graph')
    .argument('<file>', 'scenario file, YAML or JSON')
    .addOption(new Option('--format <format>', 'output format').choices(TOPOLOGY_FORMATS).default('summary'))
    .action((file: string, options: { format: (typeof TOPOLOGY_FORMATS)[number] }) =>
      topologyCommand(file, options.format),
    );

  program.commands.forEach((command) => command.exitOverride());
  return program;
}
