// Shared by the end-to-end tests: scenario documents built in code, run in-process through the same path as
// `mignet run` (parseScenarioDocument, then runScenario), and the closed-form constants their comments use.
import { expect } from 'vitest';
import { parseScenarioDocument } from '../../src/config/index.js';
import type { Results } from '../../src/engine/results.js';
import { runScenario } from '../../src/engine/run-scenario.js';

export const GIB = 2 ** 30;
export const MIB = 2 ** 20;
/** 1 Gbit/s in B/s */
export const GBIT = 1e9 / 8;
/** Wire bytes per payload byte at the defaults mtu 1500 B, headerBytes 78 B: payload per packet
 * p = 1500 − 40 (IP + TCP) = 1460 B, each packet costs p + 78 B on the wire (src/transport/wire.ts). */
export const WIRE_FACTOR = (1460 + 78) / 1460;
/** Stream bytes per byte of guest memory sent as plain pages: QEMU puts an 8-byte header (offset | flags,
 * migration/ram.c save_page_header) in front of every 4096-byte page (src/migration/page-cost.ts). */
export const PAGE_STREAM_FACTOR = (4096 + 8) / 4096;
/** Wire bytes per byte of guest memory: page headers, then TCP/IP/Ethernet overhead. */
export const WIRE_PER_MEMORY_BYTE = PAGE_STREAM_FACTOR * WIRE_FACTOR;
/** Relative tolerance of the closed-form checks: the model's floats may differ from the formula in the last
 * bits (sums in another order), never more. */
export const EXACT = 1e-12;

export function run(document: Record<string, unknown>): Results {
  return runScenario(parseScenarioDocument(document, 'test.yaml'));
}

/** |actual − expected| ≤ rel·|expected| (or ≤ rel when expected is 0). */
export function expectClose(actual: number | undefined, expected: number, what: string, rel = EXACT): void {
  expect(actual, what).toBeTypeOf('number');
  const error = Math.abs((actual as number) - expected);
  const bound = rel * Math.max(Math.abs(expected), expected === 0 ? 1 : 0);
  expect(error <= bound, `${what}: ${actual} is not ${expected} (relative tolerance ${rel})`).toBe(true);
}

/** Bytes each directed link carried, by link id (`from->to`). */
export function linkBytes(results: Results): Map<string, number> {
  return new Map(results.links.map((link) => [link.id, link.bytes]));
}

export function migrationOf(results: Results, vm: string): Results['migrations'][number] {
  const migration = results.migrations.find((m) => m.vm === vm);
  if (migration === undefined) throw new Error(`no migration of ${vm} in the results`);
  return migration;
}

/**
 * The precopy rules the hand-solved cases of these tests were written for, before hypervisor profiles: checks at
 * round ends, a stop on a round that dirtied what it sent or after 30 rounds, no rate limit — the vmware profile's
 * rules (src/migration/hypervisor.ts) without Stun During Page Send, capped at 30 rounds. The QEMU default is
 * tested in test/migration/hypervisor.test.ts.
 */
export const ROUND_END_RULES = { hypervisor: 'vmware', autoConverge: false, maxRounds: 30 } as const;

/** One VM `v` on host a moving to host b over a — s — b, 1 Gbit/s links of `latency` each; `vm` and `migration`
 * add to (or override) the VM's and the migration's fields; the migration follows ROUND_END_RULES. */
export function loneLinkDocument(vm: Record<string, unknown>, migration: Record<string, unknown>, latency: string): Record<string, unknown> {
  return {
    defaults: { migration: ROUND_END_RULES },
    topology: graph(['a', 'b'], ['s'], [['a', 's'], ['s', 'b']], { capacity: '1 Gbit/s', latency }),
    vms: [{ id: 'v', host: 'a', ...vm }],
    migrations: [{ vm: 'v', to: 'b', ...migration }],
  };
}

/** A node and link list of `kind: graph`: every link given as [from, to], all of the same capacity and latency. */
export function graph(
  hosts: string[],
  switches: string[],
  cables: [string, string][],
  link: { capacity: string; latency: string } = { capacity: '1 Gbit/s', latency: '10 us' },
): Record<string, unknown> {
  return {
    kind: 'graph',
    nodes: [...hosts.map((id) => ({ id, kind: 'host' })), ...switches.map((id) => ({ id, kind: 'switch' }))],
    links: cables.map(([from, to]) => ({ from, to, ...link })),
  };
}
