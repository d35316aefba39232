// `topology.kind: graphml` in scenario files: the file is read relative to the scenario file, and every
// problem with it is a config issue at topology.file (exit code 2), never a crash.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { loadScenarioFile, parseScenarioDocument } from '../../src/config/index.js';
import { buildTopology } from '../../src/topology/index.js';
import { issuesOf } from './helpers.js';

const TOPOLOGIES = fileURLToPath(new URL('../../topologies/', import.meta.url));
const LINK = { capacity: '10 Gbit/s', latency: '50 us' };

/** A scenario in topologies/ (so that `file` is relative to it) with one VM moving between two PoPs. */
function abileneDocument(): Record<string, any> {
  return {
    topology: { kind: 'graphml', file: 'zoo/Abilene.graphml', link: { ...LINK } },
    vms: [{ id: 'v', host: 'Seattle/h0', memory: '8 GiB' }],
    migrations: [{ vm: 'v', to: 'Washington DC/h0' }],
  };
}
const IN_TOPOLOGIES = join(TOPOLOGIES, 'scenario.yaml');

const scratch = mkdtempSync(join(tmpdir(), 'mignet-graphml-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function scratchFile(name: string, content: string | Uint8Array): string {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
}

/** The issues of a graphml scenario in the scratch directory pointing at `file`. */
function issuesWithFile(file: string, extra: Record<string, unknown> = {}) {
  return issuesOf({ topology: { kind: 'graphml', file, link: LINK, ...extra } }, join(scratch, 'scenario.yaml'));
}

describe('graphml: what comes through', () => {
  test('the file, relative to the scenario file, read into the spec; hostsPerNode defaults to 1', () => {
    const scenario = parseScenarioDocument(abileneDocument(), IN_TOPOLOGIES);
    expect(scenario.topology.kind).toBe('graphml');
    if (scenario.topology.kind !== 'graphml') return;
    expect(scenario.topology).toMatchObject({ file: 'zoo/Abilene.graphml', hostsPerNode: 1, link: { capacityBytesPerS: 1.25e9, latencyS: 5e-5 } });
    expect(scenario.topology.network.nodes).toHaveLength(11);
    expect(scenario.topology.network.edges).toHaveLength(14);
    expect(buildTopology(scenario.topology).hosts).toHaveLength(11);
  });

  test('baseDirectory says where relative paths start', () => {
    const scenario = parseScenarioDocument(abileneDocument(), '(somewhere)', { baseDirectory: TOPOLOGIES });
    expect(scenario.topology.kind).toBe('graphml');
  });

  test('the ready file topologies/abilene.yaml loads from any working directory', () => {
    const scenario = loadScenarioFile(join(TOPOLOGIES, 'abilene.yaml'));
    expect(scenario.migrations.map((m) => m.to)).toEqual(['Washington DC/h0', 'Indianapolis/h0']);
  });

  test('hosts are <PoP>/h<i>; a PoP is a switch', () => {
    const document = abileneDocument();
    document.topology.hostsPerNode = 3;
    document.vms[0].host = 'Seattle/h2';
    expect(issuesOf(document, IN_TOPOLOGIES)).toEqual([]);
    document.vms[0].host = 'Seattle';
    expect(issuesOf(document, IN_TOPOLOGIES)).toEqual([
      { path: 'vms[0].host', message: expect.stringMatching(/^"Seattle" is a switch, not a host \(expected a host id such as "New York\/h0"\)/) },
    ]);
  });

  test('a PoP no link reaches cannot be a destination', () => {
    const text = `<graphml><graph><node id="a"/><node id="b"/><node id="c"/><edge source="a" target="b"/></graph></graphml>`;
    const file = scratchFile('island.graphml', text);
    const issues = issuesOf(
      {
        topology: { kind: 'graphml', file, link: LINK },
        vms: [{ id: 'v', host: 'a/h0', memory: '1 GiB' }],
        migrations: [{ vm: 'v', to: 'c/h0' }],
      },
      join(scratch, 'x.yaml'),
    );
    expect(issues).toEqual([
      { path: 'migrations[0].to', message: '"c/h0" cannot be reached from "a/h0", where v runs (expected a host the links connect to it)' },
    ]);
  });
});

describe('graphml: bad input, each at topology.file', () => {
  test('a missing file names the path it resolved to', () => {
    const issues = issuesWithFile('zoo/Nowhere.graphml');
    expect(issues).toEqual([
      {
        path: 'topology.file',
        message: `cannot read "zoo/Nowhere.graphml" (${join(scratch, 'zoo', 'Nowhere.graphml')}): no such file (expected a GraphML file, relative to the scenario file)`,
      },
    ]);
  });

  test('a directory', () => {
    mkdirSync(join(scratch, 'folder'), { recursive: true });
    expect(issuesWithFile('folder')[0]?.message).toMatch(/: it is a directory \(expected a GraphML file/);
  });

  test('a binary file', () => {
    scratchFile('binary.graphml', Uint8Array.from([0x3c, 0x00, 0xff, 0x10]));
    expect(issuesWithFile('binary.graphml')).toEqual([
      { path: 'topology.file', message: expect.stringMatching(/: the file is binary, not text/) },
    ]);
  });

  test.each([
    ['not XML', 'nodes: [a, b]\n', /^"bad.graphml" \(.*bad.graphml\): not well-formed XML at line 1, column 1: .* \(expected a GraphML file\)$/],
    ['XML but not GraphML', '<html><body/></html>', /"bad.graphml" \(.*\): the root element is <html>, not <graphml>/],
    ['no nodes', '<graphml><graph edgedefault="undirected"/></graphml>', /"bad.graphml" \(.*\): the graph has no nodes \(expected at least one <node>\)/],
    ['an edge to an unknown node', '<graphml><graph><node id="a"/><edge source="a" target="b"/></graph></graphml>', /has target "b", which is no node/],
    ['an empty file', '', /"bad.graphml" \(.*\): not well-formed XML/],
  ])('%s', (_what, content, message) => {
    scratchFile('bad.graphml', content);
    const issues = issuesWithFile('bad.graphml');
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe('topology.file');
    expect(issues[0]?.message).toMatch(message);
  });

  test('an absolute path is taken as it is', () => {
    const file = scratchFile('ok.graphml', '<graphml><graph><node id="a"/></graph></graphml>');
    expect(issuesOf({ topology: { kind: 'graphml', file, link: LINK } }, 'elsewhere/x.yaml')).toEqual([]);
  });

  test('fields: file and link are required, hostsPerNode a whole number at least 1, unknown keys named', () => {
    const issues = issuesOf({ topology: { kind: 'graphml', hostsPerNode: 0, colour: 'red' } });
    expect(issues.map((problem) => problem.path).sort()).toEqual([
      'topology.colour',
      'topology.file',
      'topology.hostsPerNode',
      'topology.link',
    ]);
  });

  test('too many hosts', () => {
    // 11 PoPs × 10,000 hosts: refused before anything is built, at the field that makes it large.
    const document = abileneDocument();
    document.topology.hostsPerNode = 10_000;
    const issues = issuesOf(document, IN_TOPOLOGIES);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe('topology.hostsPerNode');
    expect(issues[0]?.message).toMatch(/110000 hosts/);
  });
});
