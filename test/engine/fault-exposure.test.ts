// Exposure follows a re-routed stream (src/engine/policy-gate.ts, migration-faults.ts): an unencrypted
// migration's wire bytes count on the untrusted links of the path each byte was sent on, path segment by path
// segment, not on the path the migration started on.
import { describe, expect, test } from 'vitest';
import { expectClose, GBIT, GIB, ROUND_END_RULES, run, WIRE_PER_MEMORY_BYTE } from '../end-to-end/helpers.js';
import { oneRoadTopology, twoPathsTopology } from '../support/two-paths.js';

/**
 * a ─x─ b over 10 Gbit/s links of 1 us, and a ─y─ b over 1 Gbit/s links of 1 ms: routes take x (least
 * latency); `untrusted` names the switch whose two links are `zone: untrusted`. Stop-and-copy of an idle
 * 1 GiB VM: one flow of W = 1 GiB × WIRE_PER_MEMORY_BYTE wire bytes.
 */
function twoPaths(untrusted: 'x' | 'y', migration: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    topology: twoPathsTopology(untrusted),
    vms: [{ id: 'v', host: 'a', memory: '1 GiB' }],
    migrations: [{ vm: 'v', to: 'b', strategy: 'stop-and-copy', ...ROUND_END_RULES, ...migration }],
    faults: [{ at: TC, kind: 'link-down', target: { from: 'x', to: 'b' } }],
    ...extra,
  };
}

const W = GIB * WIRE_PER_MEMORY_BYTE;
const B1 = 10 * GBIT;
/** the cut of x ─ b: before it the stream sent B1·TC = 6.25e8 B over x, after it W − B1·TC = 5.0833e8 B over y */
const TC = 0.5;

describe('exposure per path segment', () => {
  test('from a trusted path onto an untrusted detour: exactly the bytes sent after the cut', () => {
    // x is trusted, so the policy (requireEncryption: untrusted, the default) lets the unencrypted migration
    // start; the cut sends the rest, W − B1·tc, over a → y → b, both links untrusted:
    //   bytes = W − B1·tc (the most any untrusted link carried), linkBytes = 2·(W − B1·tc).
    const results = run(twoPaths('y', {}));
    const m = results.migrations[0]!;
    expect(m.status).toBe('completed');
    expectClose(m.exposure.bytes, W - B1 * TC, 'exposed bytes', 1e-9);
    expectClose(m.exposure.linkBytes, 2 * (W - B1 * TC), 'exposed link bytes', 1e-9);
    expectClose(results.summary.exposure.bytes, W - B1 * TC, 'summary', 1e-9);
    expect(results.summary.exposure.migrations).toBe(1);
  });

  test('from an untrusted path onto a trusted detour: exactly the bytes sent before the cut', () => {
    // x is untrusted (the policy must allow unencrypted migrations over it: requireEncryption never); the
    // cut moves the rest onto trusted y:  bytes = B1·tc, linkBytes = 2·B1·tc.
    const results = run(twoPaths('x', {}, { policy: { requireEncryption: 'never' } }));
    const m = results.migrations[0]!;
    expect(m.status).toBe('completed');
    expectClose(m.exposure.bytes, B1 * TC, 'exposed bytes', 1e-9);
    expectClose(m.exposure.linkBytes, 2 * B1 * TC, 'exposed link bytes', 1e-9);
  });

  test('without the cut: all the stream on the untrusted path, or nothing on the trusted one', () => {
    const untrusted = run({ ...twoPaths('x', {}, { policy: { requireEncryption: 'never' } }), faults: [] }).migrations[0]!;
    expectClose(untrusted.exposure.bytes, W, 'exposed bytes', 1e-9);
    expectClose(untrusted.exposure.linkBytes, 2 * W, 'exposed link bytes', 1e-9);
    const trusted = run({ ...twoPaths('y', {}), faults: [] }).migrations[0]!;
    expect(trusted.exposure).toEqual({ bytes: 0, linkBytes: 0 });
  });

  test('an encrypted stream re-routed onto the untrusted detour exposes nothing', () => {
    const m = run(twoPaths('y', { encryption: 'aes-128-gcm' })).migrations[0]!;
    expect(m.status).toBe('completed');
    expect(m.exposure).toEqual({ bytes: 0, linkBytes: 0 });
  });

  test('an aborted stream exposes what it sent before the cut, once', () => {
    // a — s — b at 1 Gbit/s, latency 0, the s ─ b link untrusted; the cable a ─ s fails at tc = 1 s and
    // nothing else leads to b: the stream sent B·tc = 1.25e8 wire bytes over both links, and is aborted at
    // tc + 30 s. Exposed: bytes = 1.25e8 (on s → b), linkBytes = 1.25e8 (one untrusted link).
    const results = run({
      topology: oneRoadTopology({ zone: 'untrusted' }),
      policy: { requireEncryption: 'never' },
      vms: [{ id: 'v', host: 'a', memory: '1 GiB', disk: { size: '1 GiB' } }],
      migrations: [{ vm: 'v', to: 'b', strategy: 'stop-and-copy', storage: 'dirty-block' }],
      faults: [{ at: 1, kind: 'link-down', target: { from: 'a', to: 's' } }],
    });
    const m = results.migrations[0]!;
    expect(m.status).toBe('failed');
    expectClose(m.bytes.wire, GBIT, 'wire bytes', 1e-9);
    expectClose(m.exposure.bytes, GBIT, 'exposed bytes', 1e-9);
    expectClose(m.exposure.linkBytes, GBIT, 'exposed link bytes', 1e-9);
  });

  test('a disk copy re-routed onto the untrusted detour exposes its bytes after the cut', () => {
    // The VM's 1 GiB disk (no writes) goes first, then its idle memory; both are sent after the cut at tc,
    // so all but B1·tc of the disk's D = 1 GiB × 1538/1460 wire bytes, and all the memory's W, cross y:
    //   bytes = D − B1·tc + W (memory flows start on x, cut: they are moved at their start).
    const D = (GIB * 1538) / 1460;
    const document = twoPaths('y', { storage: 'dirty-block' });
    (document.vms as Record<string, unknown>[])[0]!.disk = { size: '1 GiB' };
    const m = run(document).migrations[0]!;
    expect(m.status).toBe('completed');
    expectClose(m.exposure.bytes, D - B1 * TC + W, 'exposed bytes', 1e-9);
    expectClose(m.exposure.linkBytes, 2 * (D - B1 * TC + W), 'exposed link bytes', 1e-9);
  });
});
