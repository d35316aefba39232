// Issue 17, one test per class of input an independent attack found mishandled: valid files that crashed,
// validation whose work and output grew without bound, documents that are no mapping. Each says what used
// to happen. The run-side classes (flaps, limits, accounting) are in bounded-runs.test.ts.
import { describe, expect, test } from 'vitest';
import { ConfigError, formatConfigError, parseScenarioDocument, parseScenarioText, type ConfigIssue } from '../../src/config/index.js';
import { MAX_PRINTED_PROBLEMS } from '../../src/config/load.js';
import { fatTreeDocument } from '../config/helpers.js';

function configError(read: () => unknown): ConfigError {
  try {
    read();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError, but the input was accepted');
}

const issuesOf = (read: () => unknown): ConfigIssue[] => configError(read).issues;

/** `count` VMs on host a of a two-host graph, each migrating to b, migration i waiting for `after(i)`. */
function chainDocument(count: number, after: (i: number) => number | undefined): Record<string, unknown> {
  const vms = Array.from({ length: count }, (_, i) => ({ id: `v${i}`, host: 'a', memory: '1 MiB' }));
  const migrations = Array.from({ length: count }, (_, i) => {
    const next = after(i);
    return { vm: `v${i}`, to: 'b', ...(next === undefined ? {} : { after: [`v${next}`] }) };
  });
  return {
    topology: { kind: 'graph', nodes: [{ id: 'a', kind: 'host' }, { id: 'b', kind: 'host' }], links: [{ from: 'a', to: 'b', capacity: '10 Gbit/s', latency: '1 us' }] },
    hosts: { cores: 1_000_000, memory: '1 PiB' },
    vms,
    migrations,
  };
}

describe('after chains', () => {
  // Was: RangeError (Maximum call stack size exceeded), exit 1, from 5,000 migrations on: the cycle check recursed.
  test('a reverse after chain of 100,000 migrations (each waits for the next in file order) is valid', () => {
    const scenario = parseScenarioDocument(chainDocument(100_000, (i) => (i + 1 < 100_000 ? i + 1 : undefined)), 'chain.json');
    expect(scenario.migrations).toHaveLength(100_000);
    expect(scenario.migrations[0]!.after).toEqual(['v1']);
  });

  // Was: exit 1 instead of the cycle message at 20,000; and the message would have named every member.
  test('an after cycle of 100,000 migrations is one short issue', () => {
    const issues = issuesOf(() => parseScenarioDocument(chainDocument(100_000, (i) => (i + 1) % 100_000), 'cycle.json'));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toBe('"after" makes a cycle: v0 → v1 → v2 → v3 → v4 → … (99995 more) → v0, each waiting for the next (expected an order in which the migrations can run)');
  });
});

describe('huge lists and many problems', () => {
  // Was: 34 s, 1.6 GB and a million error lines for 1,000,000 items; 7,000,000 aborted V8 out of heap.
  test('a JSON list of 1,000,000 VMs is refused by its length before any item is read', () => {
    const text = JSON.stringify({ ...fatTreeDocument(), vms: new Array(1_000_000).fill(1) });
    const issues = issuesOf(() => parseScenarioDocument(parseScenarioText(text, 'huge.json'), 'huge.json'));
    expect(issues).toEqual([{ path: 'vms', message: '1000000 VMs are more than limits.maxVms = 100000 (expected at most 100000, or raise limits.maxVms)' }]);
  });

  test('a YAML text of more items than the parser can hold is refused before it is parsed', () => {
    const text = `topology: { kind: fat-tree, k: 4, link: { capacity: 1 Gbit/s, latency: 0 } }\nvms: [${'1,'.repeat(3_500_000)}1]\n`;
    const issues = issuesOf(() => parseScenarioText(text, 'huge.yaml'));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toMatch(/^the document has about 3500\d{3} items, more than the 3000000 a YAML file may have/);
  });

  // Was: 199 s and 2.7 GB, most of it the did-you-mean edit distance, and a line per key.
  test('1,000,000 unknown keys: 50 listed, the rest counted, in one pass', () => {
    const document: Record<string, unknown> = fatTreeDocument();
    for (let i = 0; i < 1_000_000; i++) document[`unknown${i}`] = i;
    const error = configError(() => parseScenarioDocument(document, 'keys.yaml'));
    expect(error.issues).toHaveLength(51);
    expect(error.issues.some((problem) => problem.message.startsWith('and 999950 more unknown keys'))).toBe(true);
  });

  test('more problems than are printed: the first 50, then one line counting the rest', () => {
    const document = { ...fatTreeDocument(), vms: Array.from({ length: 120 }, (_, i) => ({ id: `v${i}`, host: 'h0-0-0', memory: 'lots' })) };
    const lines = formatConfigError(configError(() => parseScenarioDocument(document, 'many.yaml'))).split('\n');
    expect(lines).toHaveLength(MAX_PRINTED_PROBLEMS + 1);
    // 120 VMs with a bad memory each, and the topology's hosts then short of room: more than 120 problems
    expect(lines[MAX_PRINTED_PROBLEMS]).toMatch(/^many\.yaml: and \d+ more problems \(fix these and validate again\)$/);
  });
});

describe('long values', () => {
  // Was: a 1 MB id gave a 2 MB error line (the id echoed twice).
  test('a 1 MB VM id makes a line of a few hundred characters', () => {
    const id = 'x'.repeat(1_000_000);
    const document = { ...fatTreeDocument(), vms: [{ id: 'vm1', host: 'h0-0-0', memory: '1 GiB' }], migrations: [{ vm: id, to: 'h1-0-0' }] };
    const text = formatConfigError(configError(() => parseScenarioDocument(document, 'long.yaml')));
    expect(text.length).toBeLessThan(1_000);
    expect(text).toMatch(/^long\.yaml: migrations\[0\]\.vm: unknown VM "x+… \(\d+ characters left out\) …x+" \(expected a VM id such as "vm1"\)$/);
  });

  test('a long wrong string value is quoted up to 60 characters', () => {
    const document = { ...fatTreeDocument(), schedule: { policy: 'p'.repeat(10_000) } };
    const [problem] = issuesOf(() => parseScenarioDocument(document, 'long.yaml'));
    expect(problem!.message).toMatch(/^unknown schedule policy "p{60}…" \(expected one of: as-written,/);
  });
});

describe('documents that are no mapping', () => {
  // Was: 101 lines naming Buffer methods (readBigUInt64LE: unknown key, ...).
  test('a document that is only !!binary is one line', () => {
    expect(issuesOf(() => parseScenarioText('!!binary aGVsbG8=\n', 'bin.yaml'))).toEqual([
      { path: '(document)', message: 'the document is binary data (!!binary), not a mapping (expected a mapping with at least a topology)' },
    ]);
  });

  test('!!set and !!omap documents are one line each', () => {
    expect(issuesOf(() => parseScenarioText('!!set { a, b }\n', 's.yaml'))[0]!.message).toMatch(/^the document is a set \(!!set\), not a mapping/);
    expect(issuesOf(() => parseScenarioText('!!omap [ a: 1 ]\n', 'o.yaml'))[0]!.message).toMatch(/^the document is an ordered mapping/);
  });

  test('a JSON object read by the fast path still refuses keys written twice', () => {
    expect(issuesOf(() => parseScenarioText('{"seed": 1,\n "seed": 2}', 'dup.json'))[0]!.message).toBe(
      'YAML syntax error at line 2, column 2: Map keys must be unique (expected valid YAML or JSON)',
    );
    // and reads escaped and nested keys as JSON does
    expect(parseScenarioText('{"a\\"b": {"a": 1}, "c": [{"a": 1}, {"a": 2}]}', 'ok.json')).toEqual({ 'a"b': { a: 1 }, c: [{ a: 1 }, { a: 2 }] });
  });
});
