// The `mignet` command as users and outside checks run it (../shared/CONTRACT.md, Commands): the built CLI
// (dist/cli/main.js) in a child process, its exit code, stdout and stderr. dist/ is built once for every test
// file, by test/global-setup.ts; the spawns (about 0.6 s each) run a few at a time (describe.concurrent).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { loadScenarioFile } from '../../src/config/index.js';
import { runScenario } from '../../src/engine/run-scenario.js';
import { ROOT, cli, STACK_FRAME, shown } from '../support/cli.js';

const GOLDEN_LONE_LINK = join(ROOT, 'test/golden/stop-and-copy-lone-link.yaml');
const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };




let dir = '';
/** Writes a scenario file under the test's temp folder and returns its path. */
function scenarioFile(name: string, content: string | Uint8Array): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

/** a — s — b: a graph topology of two hosts and a switch (1 Gbit/s, 10 us). */
const LONE_PATH = `topology:
  kind: graph
  nodes: [{ id: a, kind: host }, { id: s, kind: switch }, { id: b, kind: host }]
  links:
    - { from: a, to: s, capacity: 1 Gbit/s, latency: 10 us }
    - { from: s, to: b, capacity: 1 Gbit/s, latency: 10 us }
`;
const GOOD = `${LONE_PATH}defaults: { migration: { strategy: stop-and-copy } }
vms: [{ id: v1, host: a, memory: 1 GiB }]
migrations: [{ vm: v1, to: b }]
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mignet-cli-'));
});

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe.concurrent('mignet run', () => {
  it('with no file runs the embedded default scenario and prints a summary', async ({ expect }) => {
    const result = await cli(['run']);
    expect(result.status, shown(result)).toBe(0);
    expect(result.stdout).toMatch(/^scenario default \(seed 1\)/);
    expect(result.stdout).toMatch(/^vm\s+route\s+strategy/m);
    expect(result.stdout).toMatch(/^migrations\s+\d+ completed, \d+ refused, \d+ failed$/m);
    expect(result.stderr).toBe('');
  });

  it('--json prints only the results JSON, with the CONTRACT.md fields, the same on every run', async ({ expect }) => {
    const [first, second] = await Promise.all([cli(['run', '--json']), cli(['run', '--json'])]);
    expect(first.status, shown(first)).toBe(0);
    expect(first.stderr).toBe('');
    expect(second.stdout).toBe(first.stdout);
    const results = JSON.parse(first.stdout) as Record<string, any>;
    expect(results).toMatchObject({ scenario: 'default', seed: 1 });
    expect(Object.keys(results)).toEqual(expect.arrayContaining(['scenario', 'seed', 'migrations', 'summary', 'traffic', 'links', 'hosts']));
    expect(results.migrations.length).toBeGreaterThan(0);
    for (const m of results.migrations) {
      expect(m).toEqual(
        expect.objectContaining({
          vm: expect.any(String), from: expect.any(String), to: expect.any(String), strategy: expect.any(String),
          status: expect.stringMatching(/^(completed|refused|failed)$/), start: expect.any(Number), end: expect.any(Number), totalTime: expect.any(Number),
          downtime: expect.any(Number), rounds: expect.any(Number),
          bytes: { memory: expect.any(Number), storage: expect.any(Number), wire: expect.any(Number) },
          degradedTime: expect.any(Number), energy: expect.any(Number),
        }),
      );
    }
    expect(results.summary).toEqual(
      expect.objectContaining({
        completed: expect.any(Number), refused: expect.any(Number), failed: expect.any(Number), totalMigrationTime: expect.any(Number), totalDowntime: expect.any(Number),
        maxDowntime: expect.any(Number), bytes: { memory: expect.any(Number), storage: expect.any(Number), wire: expect.any(Number) },
        coreBytes: expect.any(Number), energy: expect.objectContaining({ total: expect.any(Number), migration: expect.any(Number) }),
      }),
    );
    expect(results.summary.completed + results.summary.refused).toBeLessThanOrEqual(results.migrations.length);
    expect(Array.isArray(results.traffic)).toBe(true);
    expect(results.links.length).toBeGreaterThan(0);
    for (const link of results.links) {
      // utilization over time is an addition, given to the busiest and the busiest core links only
      const keys = Object.keys(link).filter((key) => key !== 'utilization');
      expect(keys.sort()).toEqual(['bytes', 'from', 'id', 'peakUtilization', 'to']);
      expect(link.id).toBe(`${link.from}->${link.to}`);
    }
    expect(results.hosts.length).toBeGreaterThan(0);
    for (const host of results.hosts) expect(host).toEqual(expect.objectContaining({ id: expect.any(String), energy: expect.any(Number) }));
  });

  it('--seed N replaces the scenario seed', async ({ expect }) => {
    const result = await cli(['run', '--json', '--seed', '7']);
    expect(result.status, shown(result)).toBe(0);
    expect(JSON.parse(result.stdout).seed).toBe(7);
  });

  it('--quiet prints nothing', async ({ expect }) => {
    const result = await cli(['run', '--quiet']);
    expect(result).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  it('prints for a file exactly the results runScenario gives in-process', async ({ expect }) => {
    // compact by default, indented with --pretty: JSON.stringify's text either way, byte for byte
    const [compact, pretty] = await Promise.all([cli(['run', GOLDEN_LONE_LINK, '--json']), cli(['run', GOLDEN_LONE_LINK, '--json', '--pretty'])]);
    expect(compact.status, shown(compact)).toBe(0);
    const results = runScenario(loadScenarioFile(GOLDEN_LONE_LINK));
    expect(compact.stdout).toBe(`${JSON.stringify(results)}\n`);
    expect(pretty.stdout).toBe(`${JSON.stringify(results, null, 2)}\n`);
  });
});

describe.concurrent('mignet validate and topology', () => {
  it('validate: a good file exits 0', async ({ expect }) => {
    const file = scenarioFile('valid.yaml', GOOD);
    const result = await cli(['validate', file]);
    expect(result.status, shown(result)).toBe(0);
    expect(result.stdout).toBe(`${file}: valid\n`);
    expect(result.stderr).toBe('');
  });

  it('validate: prints every problem, not only the first', async ({ expect }) => {
    const file = scenarioFile('three-problems.yaml', `${LONE_PATH}vms:
  - { id: v1, host: a, memory: 1 Gbit/s }
  - { id: v2, host: nowhere, memory: 1 GiB }
migrations: [{ vm: v9, to: b }]
`);
    const result = await cli(['validate', file]);
    expect(result.status, shown(result)).toBe(2);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines.map((line) => line.split(': ').slice(0, 2).join(': '))).toEqual([
      `${file}: vms[0].memory`,
      `${file}: vms[1].host`,
      `${file}: migrations[0].vm`,
    ]);
  });

  it('topology --format summary|json|dot|graphml', async ({ expect }) => {
    const file = scenarioFile('topology.yaml', GOOD);
    const [summary, json, dot, graphml, byDefault] = await Promise.all([
      cli(['topology', file, '--format', 'summary']),
      cli(['topology', file, '--format', 'json']),
      cli(['topology', file, '--format', 'dot']),
      cli(['topology', file, '--format', 'graphml']),
      cli(['topology', file]),
    ]);
    for (const result of [summary, json, dot, graphml, byDefault]) {
      expect(result.status, shown(result)).toBe(0);
      expect(result.stderr).toBe('');
    }
    expect(summary.stdout).toMatch(/^kind:\s+graph$/m);
    expect(summary.stdout).toMatch(/^hosts:\s+2$/m);
    expect(summary.stdout).toMatch(/^switches:\s+1$/m);
    expect(summary.stdout).toMatch(/^links:\s+4 directed \(2 cables\)$/m);
    expect(byDefault.stdout).toBe(summary.stdout);
    const graph = JSON.parse(json.stdout) as { kind: string; nodes: { id: string }[] };
    expect(graph.kind).toBe('graph');
    expect(graph.nodes.map((node) => node.id).sort()).toEqual(['a', 'b', 's']);
    expect(dot.stdout).toMatch(/^digraph /);
    expect(dot.stdout).toContain('"a" -> "s"');
    expect(dot.stdout.trimEnd()).toMatch(/}$/);
    expect(graphml.stdout).toMatch(/^<\?xml /);
    expect(graphml.stdout).toContain('<graphml');
    expect(graphml.stdout.trimEnd()).toMatch(/<\/graphml>$/);
  });
});

describe.concurrent('help, version and usage errors', () => {
  it('--help, run --help and --version exit 0', async ({ expect }) => {
    const [help, runHelp, versionOut] = await Promise.all([cli(['--help']), cli(['run', '--help']), cli(['--version'])]);
    expect(help.status, shown(help)).toBe(0);
    expect(help.stdout).toMatch(/^Usage: mignet/);
    for (const command of ['run', 'validate', 'topology']) expect(help.stdout).toContain(command);
    expect(runHelp.status, shown(runHelp)).toBe(0);
    expect(runHelp.stdout).toMatch(/^Usage: mignet run/);
    for (const option of ['--json', '--seed', '--quiet']) expect(runHelp.stdout).toContain(option);
    expect(versionOut).toEqual({ status: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('an unknown command, an unknown option or a bad option value exits 2', async ({ expect }) => {
    const [command, option, seed] = await Promise.all([cli(['frobnicate']), cli(['run', '--frobnicate']), cli(['run', '--seed', 'abc'])]);
    expect(command.status, shown(command)).toBe(2);
    expect(command.stderr).toContain("unknown command 'frobnicate'");
    expect(option.status, shown(option)).toBe(2);
    expect(option.stderr).toContain("unknown option '--frobnicate'");
    expect(seed.status, shown(seed)).toBe(2);
    expect(seed.stderr).toContain('--seed');
    for (const result of [command, option, seed]) {
      expect(result.stdout).toBe('');
      expect(result.stderr).not.toMatch(STACK_FRAME);
    }
  });
});

/** Each error class of CONTRACT.md ("Bad input"): a file, the path in the document its first problem is
 * reported at, and a pattern of what the message says. */
const BAD_INPUTS: { what: string; name: string; content?: string | Uint8Array; path: string; message: RegExp }[] = [
  { what: 'an unreadable file (missing)', name: 'missing.yaml', path: '(document)', message: /cannot read the file: no such file/ },
  { what: 'an unreadable file (a directory)', name: 'folder.yaml', path: '(document)', message: /cannot read the file: it is a directory/ },
  { what: 'bad YAML', name: 'bad-yaml.yaml', content: 'topology: { kind: graph\nvms: [\n', path: '(document)', message: /YAML syntax error at line \d+, column \d+/ },
  {
    what: 'an unknown key',
    name: 'unknown-key.yaml',
    content: `${LONE_PATH}vms: [{ id: v1, host: a, memory: 1 GiB, colour: red }]\n`,
    path: 'vms[0].colour',
    message: /unknown key/,
  },
  {
    what: 'a wrong unit (a size where a rate is expected)',
    name: 'wrong-unit.yaml',
    content: LONE_PATH.replace('{ from: a, to: s, capacity: 1 Gbit/s', '{ from: a, to: s, capacity: 1 GiB'),
    path: 'topology.links[0].capacity',
    message: /"1 GiB" is a size \(expected a rate/,
  },
  {
    what: 'an unknown host',
    name: 'unknown-host.yaml',
    content: `${LONE_PATH}vms: [{ id: v1, host: h9, memory: 1 GiB }]\n`,
    path: 'vms[0].host',
    message: /unknown host "h9"/,
  },
  {
    what: 'an unknown VM',
    name: 'unknown-vm.yaml',
    content: `${LONE_PATH}vms: [{ id: v1, host: a, memory: 1 GiB }]\nmigrations: [{ vm: v9, to: b }]\n`,
    path: 'migrations[0].vm',
    message: /unknown VM "v9"/,
  },
  {
    what: 'a negative size',
    name: 'negative.yaml',
    content: `${LONE_PATH}vms: [{ id: v1, host: a, memory: -1 GiB }]\n`,
    path: 'vms[0].memory',
    message: /negative/,
  },
  {
    what: 'a non-finite size',
    name: 'non-finite.yaml',
    content: `${LONE_PATH}vms: [{ id: v1, host: a, memory: 1e400 GiB }]\n`,
    path: 'vms[0].memory',
    message: /finite/,
  },
  {
    what: 'a duplicate VM id',
    name: 'duplicate-vm.yaml',
    content: `${LONE_PATH}vms: [{ id: v1, host: a, memory: 1 GiB }, { id: v1, host: b, memory: 1 GiB }]\n`,
    path: 'vms[1].id',
    message: /duplicate VM id "v1"/,
  },
  {
    what: 'a migration to the host the VM is on',
    name: 'same-host.yaml',
    content: `${LONE_PATH}vms: [{ id: v1, host: a, memory: 1 GiB }]\nmigrations: [{ vm: v1, to: a }]\n`,
    path: 'migrations[0].to',
    message: /"a" is where v1 already runs/,
  },
  {
    what: 'an unreachable destination (two disconnected parts)',
    name: 'unreachable.yaml',
    content: `topology:
  kind: graph
  nodes: [{ id: a, kind: host }, { id: s, kind: switch }, { id: b, kind: host },
          { id: c, kind: host }, { id: t, kind: switch }, { id: d, kind: host }]
  links:
    - { from: a, to: s, capacity: 1 Gbit/s, latency: 10 us }
    - { from: s, to: b, capacity: 1 Gbit/s, latency: 10 us }
    - { from: c, to: t, capacity: 1 Gbit/s, latency: 10 us }
    - { from: t, to: d, capacity: 1 Gbit/s, latency: 10 us }
vms: [{ id: v1, host: a, memory: 1 GiB }]
migrations: [{ vm: v1, to: d }]
`,
    path: 'migrations[0].to',
    message: /"d" cannot be reached from "a"/,
  },
  { what: 'an empty file', name: 'empty.yaml', content: '', path: '(document)', message: /the file is empty/ },
  {
    what: 'a binary file',
    name: 'binary.yaml',
    content: Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0xff, 0xfe]),
    path: '(document)',
    message: /binary/,
  },
];

describe.concurrent('bad input exits 2 with FILE: path: message and no stack trace', () => {
  for (const bad of BAD_INPUTS) {
    it(bad.what, async ({ expect }) => {
      const file = join(dir, bad.name);
      if (bad.content !== undefined) writeFileSync(file, bad.content);
      else if (bad.name === 'folder.yaml') mkdirSync(file, { recursive: true });
      const result = await cli(['run', file]);
      expect(result.status, shown(result)).toBe(2);
      expect(result.stdout).toBe('');
      const [first] = result.stderr.split('\n');
      expect(first?.startsWith(`${file}: ${bad.path}: `), shown(result)).toBe(true);
      expect(first).toMatch(bad.message);
      // Every line is a `FILE: path: message` line; none is a stack frame.
      for (const line of result.stderr.trimEnd().split('\n')) expect(line.startsWith(`${file}: `), line).toBe(true);
      expect(result.stderr).not.toMatch(STACK_FRAME);
    });
  }
});
