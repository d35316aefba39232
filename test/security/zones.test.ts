import { describe, expect, it } from 'vitest';
import { buildTopology, type GraphSpec, type Topology, type Zone } from '../../src/topology/index.js';
import { effectiveLinkZones, exposure, nodeZone, pathCrossesUntrusted } from '../../src/security/zones.js';
import { cable } from '../topology/helpers.js';

//   h1 ── s1 ══ s2 ── h2        ══ the s1–s2 cable is untrusted
//                │
//                h3             h3 sits in an untrusted zone
const SPEC: GraphSpec = {
  kind: 'graph',
  nodes: [
    { id: 'h1', kind: 'host' },
    { id: 'h2', kind: 'host' },
    { id: 'h3', kind: 'host', zone: 'untrusted' },
    { id: 's1', kind: 'switch' },
    { id: 's2', kind: 'switch' },
  ],
  links: [cable('h1', 's1'), { ...cable('s1', 's2'), zone: 'untrusted' }, cable('s2', 'h2'), cable('s2', 'h3')],
};

function indexOf(topology: Topology, from: string, to: string): number {
  const index = topology.links.id.indexOf(`${from}->${to}`);
  if (index < 0) throw new Error(`no link ${from}->${to}`);
  return index;
}

describe('trust zones', () => {
  const topology = buildTopology(SPEC);
  const zones = effectiveLinkZones(topology);
  const untrusted = (from: string, to: string): Zone | undefined => zones[indexOf(topology, from, to)];

  it('marks a link untrusted when it, or either end, is untrusted', () => {
    // 4 cables = 8 directed links; untrusted: s1⇄s2 (the link) and s2⇄h3 (its end h3).
    expect(zones).toHaveLength(8);
    expect(untrusted('s1', 's2')).toBe('untrusted');
    expect(untrusted('s2', 's1')).toBe('untrusted');
    expect(untrusted('s2', 'h3')).toBe('untrusted');
    expect(untrusted('h3', 's2')).toBe('untrusted');
    expect(untrusted('h1', 's1')).toBe('trusted');
    expect(untrusted('s2', 'h2')).toBe('trusted');
    expect(zones.filter((zone) => zone === 'untrusted')).toHaveLength(4);
  });

  it('gives node zones, trusted by default', () => {
    expect(nodeZone(topology, 'h3')).toBe('untrusted');
    expect(nodeZone(topology, 'h1')).toBe('trusted');
    expect(() => nodeZone(topology, 'nowhere')).toThrow(/no node/);
  });

  it('tells whether a path crosses an untrusted link', () => {
    const h1ToH2 = [indexOf(topology, 'h1', 's1'), indexOf(topology, 's1', 's2'), indexOf(topology, 's2', 'h2')];
    expect(pathCrossesUntrusted(zones, h1ToH2)).toBe(true);
    expect(pathCrossesUntrusted(zones, [indexOf(topology, 'h2', 's2')])).toBe(false);
    expect(() => pathCrossesUntrusted(zones, [99])).toThrow(/no zone for link 99/);
  });

  it('reports the bytes an unencrypted migration put on untrusted links', () => {
    // h1 → h2 sent 1.2e9 wire bytes on each of h1→s1, s1→s2, s2→h2; a reroute put 3e8 of them on s2→h3
    // (hypothetically). Untrusted links that carried bytes: s1→s2 (1.2e9) and s2→h3 (3e8).
    //   bytes     = max over them = 1.2e9
    //   linkBytes = 1.2e9 + 3e8 = 1.5e9
    const carried = new Array<number>(zones.length).fill(0);
    carried[indexOf(topology, 'h1', 's1')] = 1.2e9;
    carried[indexOf(topology, 's1', 's2')] = 1.2e9;
    carried[indexOf(topology, 's2', 'h2')] = 1.2e9;
    carried[indexOf(topology, 's2', 'h3')] = 3e8;
    const exposed = exposure(carried, zones, 'none');
    expect(exposed.bytes).toBe(1.2e9);
    expect(exposed.linkBytes).toBe(1.5e9);
    expect(exposed.links).toEqual([indexOf(topology, 's1', 's2'), indexOf(topology, 's2', 'h3')].sort((a, b) => a - b));
  });

  it('reports nothing when the migration was encrypted or stayed on trusted links', () => {
    const carried = new Array<number>(zones.length).fill(0);
    carried[indexOf(topology, 's1', 's2')] = 1e9;
    expect(exposure(carried, zones, 'aes-128-gcm')).toEqual({ bytes: 0, linkBytes: 0, links: [] });
    const trustedOnly = new Array<number>(zones.length).fill(0);
    trustedOnly[indexOf(topology, 'h1', 's1')] = 1e9;
    expect(exposure(trustedOnly, zones, 'none')).toEqual({ bytes: 0, linkBytes: 0, links: [] });
  });

  it('refuses mismatched or negative byte counts', () => {
    expect(() => exposure([1, 2], zones, 'none')).toThrow(/2 link byte counts for 8 link zones/);
    expect(() => exposure(new Array<number>(8).fill(-1), zones, 'none')).toThrow(/carried -1 B/);
  });
});
