// The commands and their options (commander). Each action reads its input through src/config, so a bad
// file surfaces as a ConfigError, which main.ts prints and turns into exit code 2.
import { createRequire } from 'node:module';
import { Command, InvalidArgumentError, Option } from 'commander';
import { compareCommand, type CompareOptions } from './compare-command.js';
import { loadScenario } from './load-scenario.js';
import { runCommand, type RunOptions } from './run-command.js';
import { topologyCommand, TOPOLOGY_FORMATS } from './topology-command.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

function parseSeed(value: string): number {
  const seed = Number(value);
  if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1) {
    throw new InvalidArgumentError('expected an integer from 0 to 4294967295');
  }
  return seed;
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
    .option('--json', 'print only the results JSON on stdout')
    .option('--seed <n>', "override the scenario's seed", parseSeed)
    .option('--quiet', 'print nothing on success (errors still go to stderr)')
    .option('--out <dir>', 'also write results.json, migrations.csv, links.csv, hosts.csv, traffic.csv and report.html to DIR (created if missing)')
    .action((file: string | undefined, options: RunOptions) => runCommand(file, options));

  program
    .command('validate')
    .description('check a scenario file and print every problem, not only the first')
    .argument('<file>', 'scenario file, YAML or JSON')
    .action((file: string) => {
      loadScenario(file);
      process.stdout.write(`${file}: valid\n`);
    });

  program
    .command('compare')
    .description('run a scenario once per value of a key and print one row per value (total time, downtimes, bytes, core bytes)')
    .argument('<file>', 'scenario file, YAML or JSON')
    .requiredOption('--vary <KEY=V1,V2,...>', 'a dotted key of the scenario (e.g. schedule.policy) and the values to try, as YAML scalars')
    .option('--json', 'print the array of results (each with the value it ran with) instead of the table')
    .option('--seed <n>', "override the scenario's seed", parseSeed)
    .action((file: string, options: CompareOptions) => compareCommand(file, options));

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
