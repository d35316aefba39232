// The silent traps a capacity planner met (issue "a planner's workflow that can be trusted"), each as the user
// met it: the scenario, the command, and what they must now see. The built CLI runs in a child process.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, shown } from '../support/cli.js';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mignet-traps-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function scenario(name: string, text: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
}

// Two 1 GiB guests leave a for b over a — s — b, 1 Gbit/s, no latency, stop-and-copy.
const TWO = (extra: string): string => `topology:
  kind: graph
  nodes: [{ id: a, kind: host }, { id: s, kind: switch }, { id: b, kind: host }]
  links:
    - { from: a, to: s, capacity: 1 Gbit/s, latency: 0 }
    - { from: s, to: b, capacity: 1 Gbit/s, latency: 0, core: true }
defaults: { migration: { strategy: stop-and-copy } }
vms: [{ id: v1, host: a, memory: 1 GiB }, { id: v2, host: a, memory: 1 GiB }]
migrations: [{ vm: v1, to: b }, { vm: v2, to: b }]
${extra}
`;

describe('1. schedule.maxConcurrent left over with a policy it contradicts', () => {
  it('parallel with maxConcurrent: validate and run warn, and the summary says the bound that held', async () => {
    const file = scenario('leftover', TWO('schedule: { policy: parallel, maxConcurrent: 1 }'));
    const validate = await cli(['validate', file]);
    expect(validate.status, shown(validate)).toBe(0);
    expect(validate.stdout).toBe(`${file}: valid (with 1 warning on stderr)\n`);
    expect(validate.stderr).toMatch(/: schedule\.maxConcurrent: warning: 1 holds the parallel policy, which otherwise starts every migration at once, to 1 migration in flight/);
    const run = await cli(['run', file]);
    expect(run.status, shown(run)).toBe(0);
    expect(run.stderr).toMatch(/schedule\.maxConcurrent: warning:/);
    // Held to one at a time, the two guests ran one after the other.
    expect(run.stdout).toMatch(/^concurrency {8}1 at most in flight; bound 1 \(parallel with schedule\.maxConcurrent\)$/m);
  });

  it('parallel without it: no warning, no bound', async () => {
    const run = await cli(['run', scenario('free', TWO('schedule: { policy: parallel }'))]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^concurrency {8}2 at most in flight; no bound \(parallel\)$/m);
  });

  it('sequential ignores maxConcurrent: it says so', async () => {
    const run = await cli(['validate', scenario('sequential', TWO('schedule: { policy: sequential, maxConcurrent: 4 }'))]);
    expect(run.stderr).toMatch(/schedule\.maxConcurrent: warning: 4 is ignored: the sequential policy runs one migration at a time/);
  });
});

describe('2. compare with several --vary, and with an invalid value', () => {
  it('two --vary options give their cross product, the first varying slowest', async () => {
    const file = scenario('cross', TWO('schedule: { policy: parallel }'));
    const run = await cli(['compare', file, '--vary', 'schedule.policy=parallel,sequential', '--vary', 'defaults.migration.strategy=stop-and-copy,precopy', '--json']);
    expect(run.status, shown(run)).toBe(0);
    const rows = JSON.parse(run.stdout) as { vary: { key: string; value: string }[] }[];
    expect(rows.map((row) => row.vary.map((v) => v.value).join('/'))).toEqual([
      'parallel/stop-and-copy',
      'parallel/precopy',
      'sequential/stop-and-copy',
      'sequential/precopy',
    ]);
  });

  it('an invalid value gets its row and the others run, as in sweep; all invalid is exit 2', async () => {
    const file = scenario('carry-on', TWO('schedule: { policy: parallel }'));
    const run = await cli(['compare', file, '--vary', 'schedule.policy=parallel,fastest,sequential']);
    expect(run.status, shown(run)).toBe(0);
    expect(run.stdout).toMatch(/^parallel +2 /m);
    expect(run.stdout).toMatch(/^fastest +invalid: .*schedule\.policy: unknown schedule policy "fastest"/m);
    expect(run.stdout).toMatch(/^sequential +2 /m);
    expect(run.stderr).toMatch(/^mignet: 1 of 3 runs invalid/m);
    const none = await cli(['compare', file, '--vary', 'schedule.policy=fastest,slowest']);
    expect(none.status, shown(none)).toBe(2);
    expect(none.stderr).toMatch(/no value of the comparison was valid/);
  });
});

describe('3. a local disk with storage: shared', () => {
  const withDisk = (storage: string): string =>
    TWO('schedule: { policy: parallel }')
      .replace('{ id: v1, host: a, memory: 1 GiB }', '{ id: v1, host: a, memory: 1 GiB, disk: { size: 20 GiB } }')
      .replace('{ vm: v1, to: b }', `{ vm: v1, to: b, storage: ${storage} }`);

  it('warns that the disk stays behind; a storage mode that moves it says nothing', async () => {
    const run = await cli(['validate', scenario('disk', withDisk('shared'))]);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/: migrations\[0\]\.storage: warning: v1 has a local disk of 20 GiB \(vms\[0\]\.disk\) that stays on its source with storage: shared/);
    expect((await cli(['validate', scenario('disk-moved', withDisk('mirror'))])).stderr).toBe('');
  });
});

describe('4. initial placement over host capacity', () => {
  it('384 GiB placed on a 64 GiB host is a warning naming the host and its VMs', async () => {
    const file = scenario('full', TWO('hosts: { memory: 64 GiB }').replace(/memory: 1 GiB/g, 'memory: 192 GiB'));
    const run = await cli(['run', file]);
    expect(run.status, shown(run)).toBe(0);
    expect(run.stderr).toMatch(/: vms\[0\]\.host: warning: a holds more than it has: 192 GiB of VM memory on 64 GiB \(v1\)/);
    // The destination is as small: both migrations are refused, and the reason is below the table.
    expect(run.stdout).toMatch(/^why\n {2}v1 refused: destination b is full: memory 192 GiB needed, 64 GiB of 64 GiB free$/m);
  });
});

describe('5. runs where every migration was refused never look best', () => {
  // b has room for one guest at 1 GiB, for none at 512 MiB.
  const file = (): string => scenario('refused', TWO('schedule: { policy: sequential }\nhosts: { overrides: { b: { memory: 1 GiB } } }'));

  it('compare: time and downtime are "-" and --where drops the row', async () => {
    const run = await cli(['compare', file(), '--vary', 'hosts.overrides.b.memory=512 MiB,4 GiB']);
    expect(run.status, shown(run)).toBe(0);
    expect(run.stdout).toMatch(/^512 MiB +0 \(2 refused, 0 failed\) none completed +- +- +- +- /m);
    const best = await cli(['compare', file(), '--vary', 'hosts.overrides.b.memory=512 MiB,4 GiB', '--where', 'maxDowntime<100', '--json']);
    const rows = JSON.parse(best.stdout) as { vary: { value: string } }[];
    expect(rows.map((row) => row.vary.value)).toEqual(['4 GiB']);
  });

  it('sweep: NaN in the time columns, so awk and pandas filters skip the row', async () => {
    const run = await cli(['sweep', file(), '--vary', 'hosts.overrides.b.memory=512 MiB,4 GiB', '--workers', '1']);
    expect(run.status, shown(run)).toBe(0);
    const [header, refused, fine] = run.stdout.trim().split('\n').map((line) => line.split(','));
    const at = (row: string[] | undefined, column: string): string => row?.[header!.indexOf(column)] ?? '?';
    expect(['completed', 'totalMigrationTime', 'totalDowntime', 'maxDowntime', 'downtimeP95'].map((c) => at(refused, c))).toEqual(['0', 'NaN', 'NaN', 'NaN', 'NaN']);
    expect(Number(at(fine, 'maxDowntime'))).toBeGreaterThan(0);
  });
});

describe('6. implausible plain numbers', () => {
  it('memory: 16 is 16 bytes and latency: 2 is 2 s a hop: both warned, with the unit suggested', async () => {
    const file = scenario('units', TWO('schedule: { policy: parallel }').replace('capacity: 1 Gbit/s, latency: 0 }', 'capacity: 1 Gbit/s, latency: 2 }').replace('{ id: v2, host: a, memory: 1 GiB }', '{ id: v2, host: a, memory: 16 }'));
    const run = await cli(['validate', file]);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/: topology\.links\[0\]\.latency: warning: 2 is a plain number, so 2 seconds: did you mean "2 ms"\?/);
    expect(run.stderr).toMatch(/: vms\[1\]\.memory: warning: 16 is a plain number, so 16 bytes: did you mean "16 GiB"\?/);
  });

  it('plausible plain numbers (bytes, bytes per second) and units say nothing', async () => {
    const file = scenario('plain', TWO('schedule: { policy: parallel }').replace(/memory: 1 GiB/g, 'memory: 1073741824').replace(/capacity: 1 Gbit\/s/g, 'capacity: 125000000'));
    expect((await cli(['validate', file])).stderr).toBe('');
  });
});

describe('7. migration energy with its basis beside it', () => {
  it('the summary gives J per GiB on the wire and says it is the CPU work of copying only', async () => {
    // Independent derivation: the stream is the 2 GiB of memory with an 8-byte header per 4 KiB page; each
    // byte costs 1/3.006e9 core-s to send and 1/1.591e9 to receive (QEMU's multifd measurement, 1.3527e9 B/s
    // at 45 % and 85 % of a core); a core of the default host adds (135 − 93.7) / 32 W. The wire adds
    // Ethernet/IP/TCP: (1460 + 78) / 1460.
    const stream = 2 * 2 ** 30 * (4096 + 8) / 4096;
    const perByte = 1 / ((330240 * 4096) / 0.45) + 1 / ((330240 * 4096) / 0.85);
    const joules = stream * perByte * ((135 - 93.7) / 32);
    const perGib = (joules / (stream * (1460 + 78) / 1460)) * 2 ** 30;
    const run = await cli(['run', scenario('energy', TWO('schedule: { policy: parallel }')), '--json']);
    const results = JSON.parse(run.stdout) as { summary: { energy: { migration: number } } };
    expect(results.summary.energy.migration).toBeCloseTo(joules, 6);
    const table = await cli(['run', scenario('energy', TWO('schedule: { policy: parallel }'))]);
    expect(table.stdout).toContain(`of it by migrations (${perGib.toPrecision(3)} J per GiB on the wire: the CPU work of copying only)`);
  });
});
