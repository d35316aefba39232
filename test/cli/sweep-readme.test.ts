// The README's Slurm array script and Kubernetes Indexed Job ("Sweeps, shards and clusters"), run as far as
// this machine allows: the script under bash and the Job's command under sh, each with the variables the
// scheduler would set and `npx` stubbed to print its arguments, so that each task is seen to run its own
// shard into its own folder; and the sweep they run is checked to be a valid sweep of the scenario they name.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseScenarioDocument, readScenarioDocument } from '../../src/config/index.js';
import { parseShard, SweepGrid } from '../../src/cli/sweep-grid.js';
import { parseVariation, withValueAt } from '../../src/cli/vary.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const README = readFileSync(`${ROOT}/README.md`, 'utf8');
/** A shell function standing in for npx: one argument per line. */
const STUB_NPX = `npx() { printf '%s\\n' "$@"; }\n`;

/** The README's fenced block of `language` that contains `marker`. */
function block(language: string, marker: string): string {
  const blocks = [...README.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);
  const found = blocks.filter((text) => text.includes(marker));
  expect(found, `one ${language} block with ${marker}`).toHaveLength(1);
  return found[0]!;
}

function runShell(shell: string, script: string, env: Record<string, string>): string[] {
  // The test's own environment without any scheduler's variables, then the task's. (A bare environment of
  // PATH alone made each bash take about 3 s to start here.)
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(SLURM_|JOB_COMPLETION_INDEX$)/.test(name)));
  const result = spawnSync(shell, ['-c', STUB_NPX + script], { cwd: ROOT, env: { ...inherited, ...env }, encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout.trimEnd().split('\n');
}

/** `mignet sweep FILE --vary ... --shard I/N --out DIR ...` as argv: its options by name. */
function sweepOptions(argv: string[]): { file: string; vary: string[]; shard: string; out: string; rest: string[] } {
  expect(argv.slice(0, 2)).toEqual(['mignet', 'sweep']);
  const vary: string[] = [];
  const rest: string[] = [];
  let shard = '';
  let out = '';
  for (let i = 3; i < argv.length; i++) {
    const option = argv[i]!;
    if (option === '--vary') vary.push(argv[++i]!);
    else if (option === '--shard') shard = argv[++i]!;
    else if (option === '--out') out = argv[++i]!;
    else rest.push(option);
  }
  return { file: argv[2]!, vary, shard, out, rest };
}

/** The sweep is one mignet would run: its --vary options fit the scenario (the first run validates). */
function checkSweep(file: string, vary: string[]): void {
  const grid = new SweepGrid(vary.map(parseVariation));
  expect(grid.total).toBe(24);
  const document = grid.settings(0).reduce((doc, { path, value }) => withValueAt(doc, path, value, file), readScenarioDocument(`${ROOT}/${file}`));
  expect(() => parseScenarioDocument(document, `${ROOT}/${file}`)).not.toThrow();
}

describe('README, Sweeps, shards and clusters', () => {
  it('the Slurm array script runs shard $SLURM_ARRAY_TASK_ID of the array into shards/$SLURM_ARRAY_TASK_ID', () => {
    const script = block('bash', '#SBATCH --array=1-4');
    const tasks = [1, 2, 3, 4].map((task) =>
      sweepOptions(runShell('bash', script, { SLURM_ARRAY_TASK_ID: `${task}`, SLURM_ARRAY_TASK_COUNT: '4', SLURM_CPUS_PER_TASK: '8', SLURM_SUBMIT_DIR: ROOT })),
    );
    expect(tasks.map((t) => [t.shard, t.out])).toEqual([['1/4', 'shards/1'], ['2/4', 'shards/2'], ['3/4', 'shards/3'], ['4/4', 'shards/4']]);
    for (const task of tasks) {
      expect(parseShard(task.shard).count).toBe(4);
      expect(task.rest).toEqual(['--workers', '8', '--skip-existing']);
    }
    checkSweep(tasks[0]!.file, tasks[0]!.vary);
    // without SLURM_ARRAY_TASK_COUNT (older Slurm) N is the array's size as written
    const old = sweepOptions(runShell('bash', script, { SLURM_ARRAY_TASK_ID: '3', SLURM_CPUS_PER_TASK: '8', SLURM_SUBMIT_DIR: ROOT }));
    expect(old.shard).toBe('3/4');
  });

  it('the Indexed Job runs shard JOB_COMPLETION_INDEX + 1 of `completions` into its own folder', () => {
    const job = parse(block('yaml', 'completionMode: Indexed')) as {
      kind: string;
      spec: { completionMode: string; completions: number; parallelism: number; template: { spec: { containers: { command: string[]; args: string[] }[] } } };
    };
    expect(job.kind).toBe('Job');
    expect(job.spec.completionMode).toBe('Indexed');
    const container = job.spec.template.spec.containers[0]!;
    expect(container.command).toEqual(['sh', '-c']);
    const pods = Array.from({ length: job.spec.completions }, (_, index) => sweepOptions(runShell('sh', container.args[0]!, { JOB_COMPLETION_INDEX: `${index}` })));
    expect(pods.map((p) => [p.shard, p.out])).toEqual([
      ['1/4', '/results/shards/1'],
      ['2/4', '/results/shards/2'],
      ['3/4', '/results/shards/3'],
      ['4/4', '/results/shards/4'],
    ]);
    for (const pod of pods) expect(parseShard(pod.shard).count).toBe(job.spec.completions);
    // the same sweep as the Slurm script's (checked there)
    const slurm = sweepOptions(runShell('bash', block('bash', '#SBATCH --array=1-4'), { SLURM_ARRAY_TASK_ID: '1', SLURM_CPUS_PER_TASK: '8', SLURM_SUBMIT_DIR: ROOT }));
    expect([pods[0]!.file, pods[0]!.vary]).toEqual([slurm.file, slurm.vary]);
  });
});
