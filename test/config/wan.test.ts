// `topology.kind: wan` in scenario files: what comes through, and one test per kind of bad input.
import { describe, expect, test } from 'vitest';
import { parseScenarioDocument } from '../../src/config/index.js';
import { expectIssue, expectOnly, issuesOf } from './helpers.js';

const FAT_TREE = { kind: 'fat-tree', k: 4, link: { capacity: '10 Gbit/s', latency: '2 us' } };

/** Two k=4 fat-trees joined by a 10 Gbit/s, 20 ms WAN link; a branch office written as a graph; one VM moving. */
function wanDocument(): Record<string, any> {
  return {
    topology: {
      kind: 'wan',
      sites: [
        { name: 'dc1', topology: structuredClone(FAT_TREE) },
        { name: 'dc2', topology: structuredClone(FAT_TREE), gatewayLink: { capacity: '40 Gbit/s', latency: '1 us' } },
        {
          name: 'branch',
          zone: 'untrusted',
          topology: {
            kind: 'graph',
            nodes: [
              { id: 'x', kind: 'host' },
              { id: 'gw', kind: 'gateway' },
            ],
            links: [{ from: 'x', to: 'gw', capacity: '1 Gbit/s', latency: '100 us' }],
          },
        },
      ],
      wanLinks: [
        { from: 'dc1', to: 'dc2', capacity: '10 Gbit/s', latency: '20 ms' },
        { from: 'branch', to: 'dc1', capacity: '1 Gbit/s', latency: '5 ms', zone: 'untrusted' },
      ],
    },
    vms: [{ id: 'vm1', host: 'dc1/h0-0-0', memory: '4 GiB' }],
    // Sites are separate subnets: a move between them needs a scheme that crosses subnets (not l2).
    migrations: [{ vm: 'vm1', to: 'dc2/h1-0-0', addressing: 'vxlan' }],
  };
}

describe('wan: what comes through', () => {
  test('sites, gateway links and WAN links in SI units', () => {
    const scenario = parseScenarioDocument(wanDocument(), 'wan.yaml');
    expect(scenario.topology).toEqual({
      kind: 'wan',
      sites: [
        { name: 'dc1', topology: { kind: 'fat-tree', k: 4, link: { capacityBytesPerS: 1.25e9, latencyS: 2e-6 }, oversubscription: 1 } },
        {
          name: 'dc2',
          topology: { kind: 'fat-tree', k: 4, link: { capacityBytesPerS: 1.25e9, latencyS: 2e-6 }, oversubscription: 1 },
          gatewayLink: { capacityBytesPerS: 5e9, latencyS: 1e-6 },
        },
        {
          name: 'branch',
          zone: 'untrusted',
          topology: {
            kind: 'graph',
            nodes: [
              { id: 'x', kind: 'host' },
              { id: 'gw', kind: 'gateway' },
            ],
            links: [{ from: 'x', to: 'gw', capacityBytesPerS: 1.25e8, latencyS: 1e-4, core: false }],
          },
        },
      ],
      wanLinks: [
        { from: 'dc1', to: 'dc2', capacityBytesPerS: 1.25e9, latencyS: 0.02 },
        { from: 'branch', to: 'dc1', capacityBytesPerS: 1.25e8, latencyS: 0.005, zone: 'untrusted' },
      ],
    });
  });

  test('hosts are named <site>/<name>; a host of the site topology alone is unknown', () => {
    const document = wanDocument();
    document.vms[0].host = 'h0-0-0';
    expectOnly(document, 'vms[0].host', /^unknown host "h0-0-0" \(expected a host id such as "dc1\/h0-0-0"\)/);
    document.vms[0].host = 'dc1/gw';
    expectOnly(document, 'vms[0].host', /^"dc1\/gw" is a gateway, not a host/);
  });

  test('a host of a site no WAN link reaches cannot be a destination', () => {
    const document = wanDocument();
    document.topology.wanLinks = [{ from: 'branch', to: 'dc1', capacity: '1 Gbit/s', latency: '5 ms' }];
    expectOnly(document, 'migrations[0].to', /^"dc2\/h1-0-0" cannot be reached from "dc1\/h0-0-0", where vm1 runs/);
  });

  test('wanLinks may be left out (one site)', () => {
    const document = wanDocument();
    document.topology.sites = [document.topology.sites[0]];
    delete document.topology.wanLinks;
    document.migrations[0].to = 'dc1/h3-1-1';
    expect(issuesOf(document)).toEqual([]);
  });
});

describe('wan: bad input', () => {
  test('duplicate site names', () => {
    const document = wanDocument();
    document.topology.sites[1].name = 'dc1';
    document.migrations[0].to = 'dc1/h1-0-0';
    expectIssue(document, 'topology.sites[1].name', /^duplicate site name "dc1" \(first at topology.sites\[0\]; expected unique names\)/);
  });

  test('a site name with "/"', () => {
    const document = wanDocument();
    document.topology.sites[2].name = 'branch/1';
    document.topology.wanLinks[1].from = 'branch/1';
    expectOnly(document, 'topology.sites[2].name', /^"branch\/1" contains "\/" \(expected a name without "\/"/);
  });

  test('an empty list of sites', () => {
    expectOnly({ topology: { kind: 'wan', sites: [] } }, 'topology.sites', /^the list is empty \(expected at least one site\)/);
  });

  test('a WAN link naming an unknown site', () => {
    const document = wanDocument();
    document.topology.wanLinks[0].to = 'dc3';
    const issues = issuesOf(document);
    expect(issues[0]).toEqual({ path: 'topology.wanLinks[0].to', message: 'unknown site "dc3" (expected a site name such as "dc1")' });
  });

  test('a WAN link from a site to itself, and a second one between the same sites', () => {
    const document = wanDocument();
    document.topology.wanLinks.push({ from: 'dc2', to: 'dc2', capacity: '1 Gbit/s', latency: '1 ms' });
    document.topology.wanLinks.push({ from: 'dc2', to: 'dc1', capacity: '1 Gbit/s', latency: '1 ms' });
    const issues = issuesOf(document);
    expect(issues).toContainEqual({
      path: 'topology.wanLinks[2].to',
      message: 'the WAN link joins site "dc2" to itself (expected two different sites)',
    });
    expect(issues).toContainEqual({
      path: 'topology.wanLinks[3]',
      message: 'a second WAN link between "dc2" and "dc1" (first at topology.wanLinks[0]; expected one full-duplex link per pair of sites)',
    });
  });

  test('a graph site without its gateway gw', () => {
    const document = wanDocument();
    const branch = document.topology.sites[2].topology;
    branch.nodes[1].id = 'router';
    branch.links[0].to = 'router';
    expectOnly(document, 'topology.sites[2].topology.nodes', /^site "branch" has no node "gw" \(expected its gateway, \{ id: gw, kind: gateway \}/);
  });

  test('a graph site whose gw is not a gateway', () => {
    const document = wanDocument();
    document.topology.sites[2].topology.nodes[1].kind = 'switch';
    expectOnly(document, 'topology.sites[2].topology.nodes[1].kind', /^the site's gateway "gw" is a switch \(expected kind gateway/);
  });

  test('a gatewayLink on a graph site', () => {
    const document = wanDocument();
    document.topology.sites[2].gatewayLink = { capacity: '1 Gbit/s', latency: '1 ms' };
    expectOnly(document, 'topology.sites[2].gatewayLink', /^a graph site links its own "gw" \(leave gatewayLink out/);
  });

  test('a node of a graph site claiming another site', () => {
    const document = wanDocument();
    document.topology.sites[2].topology.nodes[0].site = 'dc1';
    expectOnly(document, 'topology.sites[2].topology.nodes[0].site', /^"dc1" differs from the site "branch" the node is in/);
  });

  test('the checks of a graph topology, inside a graph site', () => {
    const document = wanDocument();
    document.topology.sites[2].topology.links.push({ from: 'x', to: 'nowhere', capacity: '1 Gbit/s', latency: '1 ms' });
    expectOnly(document, 'topology.sites[2].topology.links[1].to', /^unknown node "nowhere" \(expected a node id such as "x"\)/);
  });

  test('a site of kind wan or graphml, and an unknown kind', () => {
    const document = wanDocument();
    document.topology.sites[0].topology = { kind: 'wan', sites: [] };
    document.topology.sites[1].topology = { kind: 'torus' };
    const issues = issuesOf(document);
    expect(issues).toContainEqual({
      path: 'topology.sites[0].topology.kind',
      message: 'a site cannot be of kind "wan" (expected one of: graph, fat-tree, leaf-spine)',
    });
    expect(issues).toContainEqual({
      path: 'topology.sites[1].topology.kind',
      message: 'unknown topology kind "torus" (expected one of: graph, fat-tree, leaf-spine)',
    });
  });

  test('wrong fields: an unknown key, a wrong unit, a bad zone, a missing site topology', () => {
    const document = wanDocument();
    document.topology.sites[0].colour = 'red';
    document.topology.wanLinks[0].latency = '20 GiB';
    document.topology.wanLinks[1].zone = 'public';
    delete document.topology.sites[1].topology;
    const issues = issuesOf(document).map((problem) => problem.path);
    expect(issues).toEqual(
      expect.arrayContaining([
        'topology.sites[0].colour',
        'topology.wanLinks[0].latency',
        'topology.wanLinks[1].zone',
        'topology.sites[1].topology',
      ]),
    );
  });
});
