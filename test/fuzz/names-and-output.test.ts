// Issue 17: names and what is printed of them, one test per class of input. Node names that are Object
// members or hold `->`, ids with control characters, cells a spreadsheet would run, seeds that are not
// decimal integers.
import { describe, expect, it } from 'vitest';
import { ConfigError, parseScenarioDocument } from '../../src/config/index.js';
import type { Results } from '../../src/engine/results.js';
import { runScenario } from '../../src/engine/run-scenario.js';
import { csvField } from '../../src/report/csv.js';
import { formatSummary } from '../../src/report/summary-table.js';
import { cli, shown } from '../support/cli.js';

const RESERVED = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__', 'a->b', 'b', 'a', 'isPrototypeOf'];

/** A star of the reserved names around switch `->`: every name a host, one VM per host moving to the next. */
function reservedNamesDocument(): Record<string, unknown> {
  const link = { capacity: '1 Gbit/s', latency: '1 us' };
  return {
    topology: {
      kind: 'graph',
      nodes: [...RESERVED.map((id) => ({ id, kind: 'host' })), { id: '->', kind: 'switch' }],
      links: RESERVED.map((id) => ({ from: id, to: '->', ...link })),
    },
    hosts: { overrides: { constructor: { cores: 64 } } },
    vms: RESERVED.map((host, i) => ({ id: `vm-${host}`, host, memory: '64 MiB' })),
    migrations: RESERVED.map((host, i) => ({ vm: `vm-${host}`, to: RESERVED[(i + 1) % RESERVED.length] })),
    faults: [{ at: '1 ms', kind: 'degrade', target: { from: 'constructor', to: '->' }, capacity: '500 Mbit/s' }],
  };
}

describe('reserved names', () => {
  // Was: exit 2 with graphology's "an edge linking ... already exists ... multi option" for constructor,
  // toString, valueOf, hasOwnProperty, and for ids holding -> (two link keys collided).
  it('graph nodes named constructor, toString, valueOf, hasOwnProperty, __proto__ or holding -> all work', () => {
    const results: Results = runScenario(parseScenarioDocument(reservedNamesDocument(), 'reserved.yaml'));
    expect(results.migrations.map((m) => m.status)).toEqual(RESERVED.map(() => 'completed'));
    // every directed link is its own: 2 per cable, with distinct ids where the names allow it
    expect(results.links).toHaveLength(2 * RESERVED.length);
    expect(results.links.find((l) => l.from === 'constructor')!.bytes).toBeGreaterThan(0);
  });

  it('a host override for a host named constructor is that host\'s, and other hosts keep the defaults', () => {
    const scenario = parseScenarioDocument(reservedNamesDocument(), 'reserved.yaml');
    expect(scenario.hosts.overrides['constructor' as string]!.cores).toBe(64);
    expect(scenario.hosts.overrides['toString' as string]).toBeUndefined();
  });
});

describe('ids with control characters', () => {
  // Was: accepted; ESC, CR and LF reached the terminal raw, NUL went into every output.
  for (const [label, char] of [['NUL', '\u0000'], ['ESC', '\u001b'], ['CR', '\r'], ['LF', '\n'], ['a bidirectional override', '\u202e']] as const) {
    it(`a VM id holding ${label} is refused with its position`, () => {
      const document = reservedNamesDocument();
      (document.vms as { id: string }[])[0]!.id = `vm${char}x`;
      let problems = '';
      try {
        parseScenarioDocument(document, 'ctl.yaml');
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        problems = error.message;
      }
      expect(problems).toContain(`ctl.yaml: vms[0].id: holds the control character U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} at position 3 (expected a VM id without control characters`);
      expect(problems).not.toMatch(/[\u0000\u001b\r\u202e]/);
    });
  }

  it('the summary escapes control characters that reach it all the same (a scenario named after its file)', () => {
    const results = runScenario(parseScenarioDocument(reservedNamesDocument(), 'reserved.yaml'));
    const text = formatSummary({ ...results, scenario: 'evil\u001b[31m\rname' });
    expect(text).toContain('scenario evil\\u001b[31m\\rname (seed');
    expect(text).not.toMatch(/[\u001b\r]/);
  });
});

describe('CSV cells a spreadsheet would run', () => {
  // Was: an id starting with = landed in migrations.csv as a formula.
  it('text starting with = + - @ tab or CR gets a leading apostrophe (OWASP); numbers are left alone', () => {
    expect(['=1+1', '+1', '-cmd', '@SUM(A1)', '\tx', '\rx'].map(csvField)).toEqual(["'=1+1", "'+1", "'-cmd", "'@SUM(A1)", "'\tx", '"\'\rx"']);
    expect([-1, 'a=b', 'vm1'].map(csvField)).toEqual(['-1', 'a=b', 'vm1']);
  });
});

describe.concurrent('seeds on the command line', () => {
  // Was: "" and " " silently meant 0; 0x10, 1e3 and 0b11 were read as numbers.
  for (const seed of ['', ' ', '0x10', '1e3', '0b11', '-1', '1.5', '4294967296', '12345678901']) {
    it(`--seed ${JSON.stringify(seed)} is refused`, async ({ expect }) => {
      const result = await cli(['run', '--seed', seed, '--quiet']);
      expect(result.status, shown(result)).toBe(2);
      expect(result.stderr).toMatch(/expected a decimal integer from 0 to 4294967295/);
    });
  }
  it('--seed 4294967295 is accepted', async ({ expect }) => {
    const result = await cli(['run', '--seed', '4294967295', '--quiet']);
    expect(result.status, shown(result)).toBe(0);
  });
});
