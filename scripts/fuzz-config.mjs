#!/usr/bin/env node
// Fuzzes the config layer and the runs it leads to (issue 9): `node scripts/fuzz-config.mjs --cases 10000
// [--seed N] [--workers N] [--timeout S] [--case I]`, from the built dist/ (`npm run build` first). Each case
// is a hostile or broken scenario (test/fuzz/arbitraries.mjs) run in-process as `mignet run` would run it
// (test/fuzz/check-case.mjs); every one must run to the end, or stop at a run limit, or be refused with
// config errors. Cases run in worker threads, and a case that has not returned after --timeout seconds is a
// hang: its worker is terminated and replaced. Prints the figures and the seed; exits 1 if any case crashed
// or hung, after printing each such case's index, which `--seed N --case I` runs again alone, in full.
// Then (unless --no-resources) the resource cases of issue 17: the CLI on inputs at the limits (100,000
// migrations in an after chain and in a cycle, 200 migrations × 3,000 and 30,000 link flaps, a list of 1,000,000 VMs,
// 1,000,000 unknown keys), each in its own process with its peak RSS and wall time printed, and the CLI's
// output to a closed pipe and to a full disk (/dev/full), which must end with status 141 and 2.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import { builtInBases, fuzzCase } from '../test/fuzz/arbitraries.mjs';
import { checkCase, showCase } from '../test/fuzz/check-case.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Ready scenarios of the repository, mutated like the built-in ones (a WAN, a GraphML import). */
const FILE_BASES = ['topologies/two-dc-wan.yaml', 'topologies/abilene.yaml'];
/** What a run that validates may use: far below the defaults, so that 10,000 cases take minutes. */
const BUDGET = { maxEvents: 200_000, maxWallTimeS: 5 };

async function loadApi() {
  const dist = (path) => import(pathToFileURL(join(ROOT, 'dist', path)).href);
  const [config, engine, limits] = await Promise.all([dist('config/index.js'), dist('engine/run-scenario.js'), dist('engine/run-limit-error.js')]);
  return { ...config, runScenario: engine.runScenario, RunLimitError: limits.RunLimitError };
}

function bases(api) {
  const fromFiles = FILE_BASES.map((path) => {
    const file = join(ROOT, path);
    return { name: path, file, document: api.readScenarioDocument(file) };
  });
  return [...builtInBases(), ...fromFiles];
}

/** The seed of case `index`: each case is drawn alone, so any one can be drawn again without the others. */
function caseSeed(seed, index) {
  return (seed + Math.imul(index + 1, 0x9e3779b1)) | 0;
}

function drawCase(arbitrary, seed, index) {
  const [drawn] = fc.sample(arbitrary, { seed: caseSeed(seed, index), numRuns: 1 });
  return drawn;
}

const clock = () => performance.now() / 1000;

// ---- a worker: draws and runs the cases it is sent ----

async function workerMain() {
  const api = await loadApi();
  const arbitrary = fuzzCase(bases(api));
  const { seed, hangS } = workerData;
  parentPort.on('message', (index) => {
    const testCase = drawCase(arbitrary, seed, index);
    const result = checkCase(testCase, api, { ...BUDGET, hangS, clock });
    const shown = result.outcome === 'crash' || result.outcome === 'hang' ? showCase(testCase) : undefined;
    parentPort.postMessage({ index, ...result, shown });
  });
  parentPort.postMessage({ ready: true });
}

// ---- the main thread: hands out cases, watches for hangs, counts ----

function parseOptions() {
  const { values } = parseArgs({
    options: {
      cases: { type: 'string', default: '10000' },
      seed: { type: 'string' },
      workers: { type: 'string', default: String(Math.max(1, availableParallelism())) },
      timeout: { type: 'string', default: '30' },
      case: { type: 'string' },
      'no-resources': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write('usage: node scripts/fuzz-config.mjs [--cases N] [--seed N] [--workers N] [--timeout S] [--case I] [--no-resources]\n');
    process.exit(0);
  }
  const number = (name, text) => {
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value < 0) {
      process.stderr.write(`fuzz-config: --${name} ${text} is not a whole number\n`);
      process.exit(2);
    }
    return value;
  };
  return {
    cases: number('cases', values.cases),
    // A script, not src/: drawing the seed from the clock is fine here, and the seed is printed.
    seed: values.seed === undefined ? Date.now() % 2 ** 31 : number('seed', values.seed),
    workers: Math.max(1, number('workers', values.workers)),
    hangS: number('timeout', values.timeout),
    single: values.case === undefined ? undefined : number('case', values.case),
    resources: !values['no-resources'],
  };
}

/** `--case I`: one case again, in this thread, with its whole document and outcome. */
async function runSingle(options) {
  const api = await loadApi();
  const testCase = drawCase(fuzzCase(bases(api)), options.seed, options.single);
  process.stdout.write(`${showCase(testCase, 1_000_000)}\n`);
  const result = checkCase(testCase, api, { ...BUDGET, hangS: options.hangS, clock });
  process.stdout.write(`${result.outcome} after ${result.seconds.toFixed(2)} s${result.detail === '' ? '' : `: ${result.detail}`}\n`);
}

function runAll(options) {
  const counts = { ran: 0, limit: 0, 'config-error': 0, crash: 0, hang: 0 };
  const failures = [];
  const started = clock();
  let next = 0;
  let done = 0;
  return new Promise((resolve) => {
    const record = (message) => {
      counts[message.outcome] += 1;
      done += 1;
      if (message.outcome === 'crash' || message.outcome === 'hang') failures.push(message);
      if (process.stderr.isTTY && done % 100 === 0) process.stderr.write(`\r${done}/${options.cases}`);
    };
    const start = () => {
      const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { seed: options.seed, hangS: options.hangS } });
      let current;
      let timer;
      const give = () => {
        clearTimeout(timer);
        if (next >= options.cases) {
          void worker.terminate();
          if (done === options.cases) resolve({ counts, failures, seconds: clock() - started });
          return;
        }
        current = next++;
        worker.postMessage(current);
        // The case never returned: a hang. Its worker is stopped mid-case and a new one takes over.
        timer = setTimeout(() => {
          record({ index: current, outcome: 'hang', detail: `no answer after ${options.hangS} s`, seconds: options.hangS });
          worker.removeAllListeners();
          void worker.terminate();
          start();
        }, (options.hangS + 30) * 1000);
      };
      worker.on('message', (message) => {
        if (message.ready !== true) record(message);
        give();
      });
      worker.on('error', (error) => {
        clearTimeout(timer);
        record({ index: current ?? -1, outcome: 'crash', detail: `the worker died: ${error instanceof Error ? error.stack : String(error)}`, seconds: 0 });
        start();
      });
    };
    for (let i = 0; i < Math.min(options.workers, options.cases); i++) start();
    if (options.cases === 0) resolve({ counts, failures, seconds: 0 });
  });
}

// ---- resource cases: the CLI at the limits, in processes of their own ----

const CLI = join(ROOT, 'dist/cli/main.js');
const TWO_HOSTS = {
  kind: 'graph',
  nodes: [{ id: 'a', kind: 'host' }, { id: 'b', kind: 'host' }],
  links: [{ from: 'a', to: 'b', capacity: '10 Gbit/s', latency: '1 us' }],
};

function chain(count, cycle) {
  const vms = Array.from({ length: count }, (_, i) => ({ id: `v${i}`, host: 'a', memory: '1 MiB' }));
  const migrations = vms.map((vm, i) => {
    const next = cycle ? (i + 1) % count : i + 1;
    return { vm: vm.id, to: 'b', ...(next < count ? { after: [`v${next}`] } : {}) };
  });
  return { topology: TWO_HOSTS, hosts: { cores: 1_000_000, memory: '1 PiB' }, vms, migrations };
}

function flaps(migrations, count) {
  const vms = Array.from({ length: migrations }, (_, i) => ({ id: `v${i}`, host: 'a', memory: '256 MiB', workload: { dirtyRate: '10 MiB/s' } }));
  const faults = [];
  for (let i = 0; i < count; i++) {
    faults.push({ at: `${0.01 * (2 * i + 1)} s`, kind: 'link-down', target: { from: 'a', to: 'b' } });
    faults.push({ at: `${0.01 * (2 * i + 2)} s`, kind: 'link-up', target: { from: 'a', to: 'b' } });
  }
  return { topology: TWO_HOSTS, hosts: { cores: 1_000, memory: '1 PiB' }, defaults: { migration: { strategy: 'precopy' } }, vms, migrations: vms.map((vm) => ({ vm: vm.id, to: 'b' })), faults };
}

function unknownKeys(count) {
  const document = { topology: TWO_HOSTS };
  for (let i = 0; i < count; i++) document[`unknown${i}`] = i;
  return document;
}

const RESOURCE_CASES = [
  { name: '100,000 migrations, reverse after chain', args: ['validate', 'FILE'], expect: [0], document: () => chain(100_000, false) },
  // The scheduler looks at every waiting migration at each end (src/migration/schedule.ts): a run of a
  // chain grows with its square, so the run is measured at 10,000 (see the README's figures).
  { name: '10,000 migrations, reverse after chain, run', args: ['run', 'FILE', '--json'], expect: [0], document: () => chain(10_000, false) },
  { name: '100,000-long after cycle', args: ['validate', 'FILE'], expect: [2], document: () => chain(100_000, true) },
  { name: '200 precopy migrations × 3,000 flaps', args: ['run', 'FILE', '--json'], expect: [0], document: () => flaps(200, 3_000) },
  { name: '200 precopy migrations × 30,000 flaps', args: ['run', 'FILE', '--json'], expect: [0], document: () => flaps(200, 30_000) },
  { name: 'a list of 1,000,000 VMs', args: ['validate', 'FILE'], expect: [2], document: () => ({ topology: TWO_HOSTS, vms: new Array(1_000_000).fill(1) }) },
  { name: '1,000,000 unknown keys', args: ['validate', 'FILE'], expect: [2], document: () => unknownKeys(1_000_000) },
];

/** Runs the CLI with `args` in a process of its own, stdout to `stdout` ('ignore', a path, or 'closed');
 * resolves { status, stderr, seconds, rssMB } (peak resident set of the child, from its own resourceUsage). */
function measuredCli(args, stdout) {
  return new Promise((resolve, reject) => {
    const script = `process.on('exit', () => process.stderr.write('\\nMAXRSS ' + process.resourceUsage().maxRSS + '\\n')); await import(${JSON.stringify(pathToFileURL(CLI).href)});`;
    const out = stdout === 'ignore' || stdout === 'closed' ? (stdout === 'closed' ? 'pipe' : 'ignore') : openSync(stdout, 'w');
    const started = clock();
    // With -e, process.argv[1] is the first argument after --: the CLI's path goes there, as `node main.js` has it.
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, '--', CLI, ...args], { stdio: ['ignore', out, 'pipe'] });
    if (typeof out === 'number') closeSync(out);
    if (stdout === 'closed') child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => {
      const rss = /\nMAXRSS (\d+)\n/.exec(stderr);
      resolve({ status, stderr: stderr.replace(/\nMAXRSS \d+\n/, ''), seconds: clock() - started, rssMB: rss === null ? Number.NaN : Number(rss[1]) / 1024 });
    });
  });
}

async function runResources() {
  const dir = mkdtempSync(join(tmpdir(), 'mignet-resources-'));
  let failed = 0;
  let peakMB = 0;
  const report = (name, result, ok) => {
    peakMB = Math.max(peakMB, result.rssMB);
    const first = result.stderr.trim().split('\n')[0] ?? '';
    process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${name.padEnd(44)} exit ${String(result.status).padEnd(4)} ${result.seconds.toFixed(1).padStart(6)} s ${result.rssMB.toFixed(0).padStart(6)} MB${ok ? '' : `  ${first.slice(0, 200)}`}\n`);
    if (!ok) failed++;
  };
  try {
    process.stdout.write('resource cases (each in its own process; peak RSS and wall time):\n');
    for (const c of RESOURCE_CASES) {
      const file = join(dir, 'case.json');
      writeFileSync(file, JSON.stringify(c.document()));
      const result = await measuredCli(c.args.map((a) => (a === 'FILE' ? file : a)), 'ignore');
      report(c.name, result, c.expect.includes(result.status) && !/internal error|\n\s+at /.test(result.stderr));
    }
    const big = join(dir, 'big.json');
    writeFileSync(big, JSON.stringify(flaps(20, 300)));
    const closed = await measuredCli(['run', big, '--json'], 'closed');
    report('run --json to a closed pipe', closed, closed.status === 141 && closed.stderr.trim() === '');
    if (existsSync('/dev/full')) {
      const full = await measuredCli(['run', big, '--json'], '/dev/full');
      report('run --json to a full disk (/dev/full)', full, full.status === 2 && full.stderr.trim() === 'mignet: cannot write stdout (no space left on device)');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`resource cases: ${failed} failed, peak RSS ${peakMB.toFixed(0)} MB\n`);
  return failed;
}

async function main() {
  const options = parseOptions();
  if (options.single !== undefined) return runSingle(options);
  const { counts, failures, seconds } = await runAll(options);
  if (process.stderr.isTTY) process.stderr.write('\r');
  failures.sort((a, b) => a.index - b.index);
  for (const failure of failures.slice(0, 20)) {
    process.stdout.write(`case ${failure.index}: ${failure.outcome}: ${failure.detail}\n${failure.shown === undefined ? '' : `  ${failure.shown}\n`}`);
  }
  const lines = [
    ['cases', options.cases],
    ['valid runs', counts.ran],
    ['runs stopped by a limit', counts.limit],
    ['config errors', counts['config-error']],
    ['crashes', counts.crash],
    ['hangs', counts.hang],
    ['seed', options.seed],
    // worker threads share the process: its peak resident set covers every case
    ['peak RSS (MB)', (process.resourceUsage().maxRSS / 1024).toFixed(0)],
  ];
  for (const [label, value] of lines) process.stdout.write(`${`${label}:`.padEnd(26)}${value}\n`);
  process.stdout.write(`(${seconds.toFixed(0)} s, ${options.workers} workers; a case again: node scripts/fuzz-config.mjs --seed ${options.seed} --case I)\n`);
  const resourceFailures = options.resources ? await runResources() : 0;
  process.exitCode = counts.crash + counts.hang + resourceFailures > 0 ? 1 : 0;
}

if (isMainThread) await main();
else await workerMain();
