// Reading scenario files: YAML and JSON through one parser, and every way a file can be unusable (missing,
// a directory, binary, not UTF-8, empty, bad syntax, not a mapping, an alias bomb), each a ConfigError.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ConfigError, formatConfigError, loadScenarioFile, readScenarioDocument, parseScenarioDocument } from '../../src/config/index.js';

const dir = mkdtempSync(join(tmpdir(), 'mignet-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string | Uint8Array): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

function errorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const YAML = `# a comment
name: two-pods
topology: { kind: fat-tree, k: 4, link: { capacity: 10 Gbit/s, latency: 2 us } }
vms:
  - { id: vm1, host: h0-0-0, memory: 4 GiB, workload: { dirtyRate: 100 MiB/s, hotSet: 256 MiB, hotFraction: 0.9 } }
migrations:
  - { vm: vm1, to: h1-0-0, at: 0 s }
`;

describe('loadScenarioFile', () => {
  test('reads YAML', () => {
    const scenario = loadScenarioFile(write('ok.yaml', YAML));
    expect(scenario.name).toBe('two-pods');
    expect(scenario.vms[0]?.workload.dirtyRateBytesPerS).toBe(100 * 2 ** 20);
  });

  test('reads JSON, and names the scenario after the file', () => {
    const document = {
      topology: { kind: 'fat-tree', k: 2, link: { capacity: '1 Gbps', latency: 1e-6 } },
      vms: [{ id: 'a', host: 'h0-0-0', memory: 1073741824 }],
      migrations: [{ vm: 'a', to: 'h1-0-0' }],
    };
    const scenario = loadScenarioFile(write('from-json.json', JSON.stringify(document, null, 2)));
    expect(scenario.name).toBe('from-json');
    expect(scenario.topology).toMatchObject({ kind: 'fat-tree', k: 2, link: { capacityBytesPerS: 1.25e8, latencyS: 1e-6 } });
  });

  test('YAML merge keys share settings between VMs', () => {
    const file = write(
      'merge.yaml',
      `topology: { kind: fat-tree, k: 4, link: { capacity: 10 Gbit/s, latency: 2 us } }
vms:
  - &small { id: vm1, host: h0-0-0, memory: 2 GiB, vcpus: 2 }
  - { <<: *small, id: vm2, host: h0-0-1 }
`,
    );
    const vms = loadScenarioFile(file).vms;
    expect(vms.map((vm) => [vm.id, vm.host, vm.memoryBytes, vm.vcpus])).toEqual([
      ['vm1', 'h0-0-0', 2 * 2 ** 30, 2],
      ['vm2', 'h0-0-1', 2 * 2 ** 30, 2],
    ]);
  });

  test('a file with problems reports them with the file name', () => {
    const file = write('bad.yaml', YAML.replace('memory: 4 GiB', 'memory: 4 GiB/s').replace('to: h1-0-0', 'to: nowhere'));
    const lines = formatConfigError(errorOf(() => loadScenarioFile(file))).split('\n');
    expect(lines).toEqual([
      `${file}: vms[0].memory: "4 GiB/s" is a rate (expected a size such as "4 GiB")`,
      `${file}: migrations[0].to: unknown host "nowhere" (expected a host id such as "h0-0-0")`,
    ]);
  });
});

describe('unusable files', () => {
  test('a missing file', () => {
    const file = join(dir, 'does-not-exist.yaml');
    const error = errorOf(() => loadScenarioFile(file));
    expect(error.file).toBe(file);
    expect(error.issues).toEqual([
      { path: '(document)', message: 'cannot read the file: no such file (expected a readable YAML or JSON file)' },
    ]);
    expect(formatConfigError(error)).toBe(`${file}: (document): cannot read the file: no such file (expected a readable YAML or JSON file)`);
  });

  test('a directory', () => {
    const sub = join(dir, 'a-directory.yaml');
    mkdirSync(sub);
    expect(errorOf(() => loadScenarioFile(sub)).issues[0]?.message).toMatch(/cannot read the file: it is a directory/);
  });

  test('a binary file', () => {
    const file = write('image.yaml', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]));
    expect(errorOf(() => loadScenarioFile(file)).issues).toEqual([
      { path: '(document)', message: 'the file is binary, not text (expected a YAML or JSON text file in UTF-8)' },
    ]);
  });

  test('text that is not UTF-8', () => {
    const file = write('latin1.yaml', Uint8Array.from([...Buffer.from('name: caf'), 0xe9, 0x0a]));
    expect(errorOf(() => loadScenarioFile(file)).issues[0]?.message).toMatch(/not valid UTF-8/);
  });

  test.each([
    ['empty.yaml', ''],
    ['blank.yaml', '\n\n   \n'],
    ['comments.yaml', '# nothing here\n'],
  ])('an empty file: %s', (name, text) => {
    expect(errorOf(() => loadScenarioFile(write(name, text))).issues).toEqual([
      { path: '(document)', message: 'the file is empty (expected a mapping with at least a topology)' },
    ]);
  });

  test('a YAML syntax error names its line', () => {
    const error = errorOf(() => loadScenarioFile(write('broken.yaml', 'name: x\nvms:\n  - a\n b: 1\n')));
    expect(error.issues).toEqual([
      {
        path: '(document)',
        message: 'YAML syntax error at line 4, column 1: All mapping items must start at the same column (expected valid YAML or JSON)',
      },
    ]);
    const unclosed = errorOf(() => loadScenarioFile(write('unclosed.yaml', 'topology: [unclosed')));
    expect(unclosed.issues[0]?.message).toMatch(/^YAML syntax error at line 1, column \d+: Flow sequence/);
  });

  test('every syntax error, not only the first', () => {
    const error = errorOf(() => loadScenarioFile(write('dup.yaml', 'name: a\nname: b\nseed: 1\nseed: 2\n')));
    expect(error.issues.map((problem) => problem.message)).toEqual([
      expect.stringMatching(/^YAML syntax error at line 2, column 1: Map keys must be unique/),
      expect.stringMatching(/^YAML syntax error at line 4, column 1: Map keys must be unique/),
    ]);
  });

  test('a JSON syntax error', () => {
    const error = errorOf(() => loadScenarioFile(write('broken.json', '{"topology": {"kind": "graph",\n "nodes": [}\n')));
    expect(error.issues[0]?.message).toMatch(/^YAML syntax error at line 2/);
  });

  test('several documents in one file', () => {
    expect(errorOf(() => loadScenarioFile(write('two.yaml', 'name: a\n---\nname: b\n'))).issues[0]?.message).toMatch(/multiple documents/);
  });

  test.each([
    ['list.yaml', '- a\n- b\n', /the document is a list \(expected a mapping/],
    ['scalar.yaml', 'just some words\n', /the document is a single string \(expected a mapping/],
    ['number.json', '42', /the document is a single number/],
  ])('a document that is not a mapping: %s', (name, text, pattern) => {
    const error = errorOf(() => loadScenarioFile(write(name, text)));
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.path).toBe('(document)');
    expect(error.issues[0]?.message).toMatch(pattern);
  });

  test('a YAML alias bomb is refused, quickly', () => {
    // "Billion laughs": each level holds 9 aliases of the one before, 9^9 strings if expanded.
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const name = String.fromCharCode(97 + i);
      const previous = String.fromCharCode(96 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`);
    }
    const file = write('bomb.yaml', `${levels.join('\n')}\n`);
    const started = performance.now();
    const error = errorOf(() => loadScenarioFile(file));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.message).toMatch(/alias/i);
  });

  test('an alias to an anchor that does not exist', () => {
    expect(errorOf(() => loadScenarioFile(write('alias.yaml', 'a: *nothing\n'))).issues[0]?.path).toBe('(document)');
  });
});

test('a key named __proto__ is reported, not dropped', () => {
  const file = write('proto.yaml', `${YAML}__proto__: { polluted: true }\nhosts: { overrides: { __proto__: { cores: 1 } } }\n`);
  const issues = errorOf(() => loadScenarioFile(file)).issues;
  expect(issues).toContainEqual({ path: '__proto__', message: 'unknown key (no key may be named __proto__)' });
  expect(issues).toContainEqual({ path: 'hosts.overrides.__proto__', message: 'unknown key (no key may be named __proto__)' });
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

describe('readScenarioDocument', () => {
  test('returns the raw document, to change before validating', () => {
    const file = write('raw.yaml', YAML);
    const document = readScenarioDocument(file);
    expect(document.name).toBe('two-pods');
    expect((document.vms as { memory: string }[])[0]?.memory).toBe('4 GiB');
    (document as { seed: number }).seed = 7;
    expect(parseScenarioDocument(document, file).seed).toBe(7);
  });
});
