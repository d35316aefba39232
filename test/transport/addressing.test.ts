// VM addressing (src/transport/addressing.ts, src/engine/storage-addressing.ts) end to end on a WAN of three
// sites, each one leaf and one spine (links 10 Gbit/s, 1 us) with two hosts, its gateway on the spine:
//   dc1 — dc2, dc1 — dc3, dc2 — dc3, WAN links 1 Gbit/s, 10 ms each.
// A host reaches its gateway in 3 links (host–leaf–spine–gw, 3 us); dc1/h0-0 → dc2/h0-0 is 7 links:
// L = 10 ms + 6 us one way, through 6 switches (leaf, spine, gw, gw, spine, leaf).
import { describe, expect, it } from 'vitest';
import type { Results } from '../../src/engine/results.js';
import { expectClose, MIB, PAGE_STREAM_FACTOR as K, ROUND_END_RULES, run } from '../end-to-end/helpers.js';

const site = (name: string) => ({
  name,
  topology: { kind: 'leaf-spine', leaves: 1, spines: 1, hostsPerLeaf: 2, link: { capacity: '10 Gbit/s', latency: '1 us' } },
});

function wan(extra: Record<string, unknown>): Record<string, unknown> {
  return {
    topology: {
      kind: 'wan',
      sites: [site('dc1'), site('dc2'), site('dc3')],
      wanLinks: [
        { from: 'dc1', to: 'dc2', capacity: '1 Gbit/s', latency: '10 ms' },
        { from: 'dc1', to: 'dc3', capacity: '1 Gbit/s', latency: '10 ms' },
        { from: 'dc2', to: 'dc3', capacity: '1 Gbit/s', latency: '10 ms' },
      ],
    },
    vms: [{ id: 'v', host: 'dc1/h0-0', memory: '64 MiB' }],
    defaults: { migration: ROUND_END_RULES },
    ...extra,
  };
}

/** payload per packet p = 1500 − 40, headers h = 78 (src/transport/wire.ts) */
const p = 1460;
const h = 78;
const L = 10e-3 + 6e-6;
const linkBytes = (results: Results, id: string): number => results.links.find((link) => link.id === id)?.bytes ?? NaN;

describe('switchover delays', () => {
  it('add to downtime exactly', () => {
    // An idle 64 MiB guest, precopy: one round, then an empty final round whose (no) bytes arrive one path
    // latency L after the pause; the guest resumes once the scheme's switchover is over:
    //   vxlan, netlord  the announcement reaches the source's switches: L
    //   vl2             directory update, one round trip of the path: 2L
    //   mobile-ipv4/v6  registration / binding update with the home agent dc1/gw, 4 links from dc2/h0-0
    //                   (3 us + 10 ms): 2 × 10.003 ms
    //   sdn             controller round trip (the path's, 2L) + 6 switches × 1 ms
    // downtime = L + delay.
    const delays: Record<string, number> = {
      vxlan: L,
      netlord: L,
      vl2: 2 * L,
      'mobile-ipv4': 2 * (10e-3 + 3e-6),
      'mobile-ipv6': 2 * (10e-3 + 3e-6),
      sdn: 2 * L + 6 * 1e-3,
    };
    for (const [scheme, delay] of Object.entries(delays)) {
      const m = run(wan({ migrations: [{ vm: 'v', to: 'dc2/h0-0', addressing: scheme }] })).migrations[0]!;
      expect(m.addressing, scheme).toEqual({ scheme, switchoverDelay: expect.any(Number) });
      expectClose(m.addressing!.switchoverDelay, delay, `${scheme} switchoverDelay`, 1e-12);
      expectClose(m.downtime, L + delay, `${scheme} downtime`, 1e-9);
    }
    // A controller round trip and rule time given in the file replace the path's.
    const given = run(wan({ network: { sdn: { controllerRtt: '2 ms', ruleUpdate: '5 ms' } }, migrations: [{ vm: 'v', to: 'dc2/h0-0', addressing: 'sdn' }] }));
    expectClose(given.migrations[0]!.downtime, L + 2e-3 + 6 * 5e-3, 'sdn with a given controller', 1e-9);
  });

  it('l2 inside a site takes one path latency for the gratuitous ARP', () => {
    // dc1/h0-0 → dc1/h0-1 through the leaf: 2 links, 2 us; downtime = 2 us (empty final) + 2 us (ARP).
    const m = run(wan({ migrations: [{ vm: 'v', to: 'dc1/h0-1' }] })).migrations[0]!;
    expect(m.addressing).toEqual({ scheme: 'l2', switchoverDelay: 2e-6 });
    expectClose(m.downtime, 4e-6, 'downtime', 1e-9);
  });
});

describe('per-packet bytes', () => {
  it('vxlan: the VM traffic\'s wire bytes are payload × (p + h + 50)/p', () => {
    // 100 MB from a host of dc3 to the VM, before its migration (at 10 s): the overlay's 50 B are on every
    // packet of the VM's traffic, moved or not (RFC 7348).
    const results = run(wan({
      traffic: [{ from: 'dc3/h0-0', to: 'v', size: '100 MB' }],
      migrations: [{ vm: 'v', to: 'dc2/h0-0', addressing: 'vxlan', at: '10 s' }],
    }));
    const flow = results.traffic[0]!;
    expect(flow.bytes.payload).toBe(1e8);
    expectClose(flow.bytes.wire, (1e8 * (p + h + 50)) / p, 'vxlan wire bytes');
  });

  it('vl2: the migration stream carries the agent\'s 20 B per packet too', () => {
    // Every server's packets go through the VL2 agent: 64 MiB of memory, M·K on the stream, × (p + h + 20)/p.
    const m = run(wan({ migrations: [{ vm: 'v', to: 'dc2/h0-0', addressing: 'vl2' }] })).migrations[0]!;
    expectClose(m.bytes.wire, (64 * MIB * K * (p + h + 20)) / p, 'vl2 stream wire bytes');
  });
});

describe('the path after the move', () => {
  // A host of dc3 streams to the VM at 10 MB/s from 0 to 5 s; the VM (stop-and-copy, 64 MiB) moves to dc2.
  const traffic = [{ from: 'dc3/h0-0', to: 'v', rate: '10 MB/s', duration: '5 s' }];
  const moved = (scheme: string) => run(wan({ traffic, horizon: '5 s', migrations: [{ vm: 'v', to: 'dc2/h0-0', addressing: scheme, strategy: 'stop-and-copy' }] }));

  it('mobile-ipv4 sends the correspondent\'s traffic through the home agent (triangle); mobile-ipv6 goes direct', () => {
    // Before the pause (at 0: stop-and-copy pauses at once, so the traffic stalls from the start) nothing
    // flows; after the resume at end, 10 MB/s for 5 s − end:
    //   mobile-ipv4: dc3/gw → dc1/gw (the home agent) → dc2/gw, IP-in-IP 20 B: wire = payload·(p + h + 20)/p
    //   on both WAN links, none on dc3/gw → dc2/gw;
    //   mobile-ipv6: dc3/gw → dc2/gw directly, 24 B per packet; dc3/gw → dc1/gw carries nothing.
    const four = moved('mobile-ipv4');
    const six = moved('mobile-ipv6');
    const after = (results: Results) => 1e7 * (5 - results.migrations[0]!.end);
    const m4 = four.migrations[0]!;
    expectClose(four.traffic[0]!.stalledTime, m4.end, 'stalled through the downtime', 1e-9);
    const wire4 = (after(four) * (p + h + 20)) / p;
    expectClose(four.traffic[0]!.bytes.wire, wire4, 'mobile-ipv4 wire', 1e-9);
    expectClose(linkBytes(four, 'dc3/gw->dc1/gw'), wire4, 'mobile-ipv4: correspondent → home agent', 1e-9);
    expectClose(linkBytes(four, 'dc1/gw->dc2/gw'), m4.bytes.wire + wire4, 'mobile-ipv4: home agent → VM, beside the migration', 1e-9);
    expect(linkBytes(four, 'dc3/gw->dc2/gw')).toBe(0);
    const wire6 = (after(six) * (p + h + 24)) / p;
    expectClose(linkBytes(six, 'dc3/gw->dc2/gw'), wire6, 'mobile-ipv6: direct', 1e-9);
    expect(linkBytes(six, 'dc3/gw->dc1/gw')).toBe(0);
    expectClose(linkBytes(six, 'dc1/gw->dc2/gw'), six.migrations[0]!.bytes.wire, 'mobile-ipv6: only the migration', 1e-9);
    // The triangle is longer: more bytes on the links in all.
    const total = (results: Results) => results.links.reduce((sum, link) => sum + link.bytes, 0) - results.migrations[0]!.bytes.wire * 7;
    expect(total(four)).toBeGreaterThan(total(six));
  });
});
