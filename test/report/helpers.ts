// Shared by the report tests: a small scenario whose names need escaping in HTML and quoting in CSV (commas,
// quotes, angle brackets, ampersands), with a precopy, a postcopy and a stop-and-copy migration, a
// core link, an idle link and an application flow; and the default scenario. Both are validated the way
// `mignet run` does.
import { parseScenarioDocument, readDefaultScenarioDocument } from '../../src/config/index.js';
import type { Scenario } from '../../src/config/scenario.js';

/** Ids written to be awkward: a comma, a double quote, markup, an ampersand. */
export const ODD_HOST = 'h,"1"';
export const ODD_VM = 'vm,"<i>x</i>" & y';
export const ODD_NAME = '<script>alert("report")</script> & co';

/**
 *   h,"1" — s — t — <b>
 *                \ — c
 * s–t is a core link (both directions); 1 Gbit/s, 10 us everywhere.
 */
export const ODD_DOCUMENT = {
  name: ODD_NAME,
  seed: 7,
  topology: {
    kind: 'graph',
    nodes: [
      { id: ODD_HOST, kind: 'host' },
      { id: 's', kind: 'switch' },
      { id: 't', kind: 'switch' },
      { id: '<b>', kind: 'host' },
      { id: 'c', kind: 'host' },
    ],
    links: [
      { from: ODD_HOST, to: 's', capacity: '1 Gbit/s', latency: '10 us' },
      { from: 's', to: 't', capacity: '1 Gbit/s', latency: '10 us', core: true },
      { from: 't', to: '<b>', capacity: '1 Gbit/s', latency: '10 us' },
      { from: 't', to: 'c', capacity: '1 Gbit/s', latency: '10 us' },
    ],
  },
  vms: [
    { id: ODD_VM, host: ODD_HOST, memory: '256 MiB', workload: { dirtyRate: '40 MiB/s', hotSet: '32 MiB', hotFraction: 0.9 } },
    { id: 'v2', host: ODD_HOST, memory: '128 MiB', workload: { dirtyRate: '20 MiB/s', hotSet: '16 MiB', hotFraction: 0.8 } },
    { id: 'v3', host: 'c', memory: '64 MiB' },
  ],
  migrations: [
    { vm: ODD_VM, to: '<b>', strategy: 'precopy' },
    { vm: 'v2', to: 'c', strategy: 'postcopy', at: '0.5 s' },
    { vm: 'v3', to: '<b>', strategy: 'stop-and-copy' },
  ],
  // an application flow over the core link, from a VM that moves
  traffic: [{ from: 'v3', to: ODD_HOST, rate: '100 Mbit/s', duration: '2 s' }],
  schedule: { policy: 'as-written' },
  switches: { power: { chassis: '60 W', port: '1.5 W', perByte: '5 nJ/bit' } },
};

export function oddScenario(): Scenario {
  return parseScenarioDocument(structuredClone(ODD_DOCUMENT), 'odd.yaml');
}

export function defaultScenario(): Scenario {
  return parseScenarioDocument(readDefaultScenarioDocument(), 'default');
}

/** `src`, `href` and `xlink:href` attribute values (and CSS url()) that load from a network address. */
export function networkLoads(html: string): string[] {
  const attributes = [...html.matchAll(/\b(?:src|href|xlink:href|srcset|action|data)\s*=\s*(["']?)([^"'\s>]*)\1/gi)].map((m) => m[2]!);
  const cssUrls = [...html.matchAll(/url\(\s*["']?([^"')]*)/gi)].map((m) => m[1]!);
  const imports = [...html.matchAll(/@import\s+["']?([^"';\s]*)/gi)].map((m) => m[1]!);
  return [...attributes, ...cssUrls, ...imports].filter((url) => /^(?:[a-z][a-z0-9+.-]*:)?\/\//i.test(url.trim()));
}
