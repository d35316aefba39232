// An application flow whose last bytes are on their way when its VM pauses (src/transport/application-traffic.ts):
// the bytes were sent, so they land and the flow ends then; before, the cancelled stretch counted nothing and
// the flow sent them again (or, its ends now on one host, ended with no wire bytes while the links carried them).
import { describe, expect, test } from 'vitest';
import { expectClose, GBIT, run } from '../end-to-end/helpers.js';

describe('a stretch landing while its VM pauses', () => {
  test('lands: the flow ends one path latency after its last byte left, with all its wire bytes counted', () => {
    // a — s — b at 1 Gbit/s, 5 ms a link; the cable s ─ b is a core link. A sized flow of P = 1e8 B payload
    // from host b to VM v on a: wire P·1538/1460 = 1.0534247e8 B at B = 1.25e8 B/s (its window bound,
    // 4 MiB / 20 ms = 2.1e8 B/s, is above B) leaves by tS = 0.8427397 s and lands at tS + 10 ms. v's
    // stop-and-copy to b starts (and pauses v) at tS + 5 ms, on the other direction of the links:
    //   end = tS + 10 ms = 0.8527397 s, stalledTime = 0, bytes.wire = 1.0534247e8 B,
    //   traffic coreBytes = 1.0534247e8 B (b → s), summary.coreBytes = that + the migration's (s → b).
    const wire = (1e8 * 1538) / 1460;
    const tS = wire / GBIT;
    const results = run({
      topology: {
        kind: 'graph',
        nodes: [{ id: 'a', kind: 'host' }, { id: 'b', kind: 'host' }, { id: 's', kind: 'switch' }],
        links: [
          { from: 'a', to: 's', capacity: '1 Gbit/s', latency: '5 ms' },
          { from: 's', to: 'b', capacity: '1 Gbit/s', latency: '5 ms', core: true },
        ],
      },
      vms: [{ id: 'v', host: 'a', memory: '64 MiB' }],
      migrations: [{ vm: 'v', to: 'b', strategy: 'stop-and-copy', at: tS + 0.005 }],
      traffic: [{ from: 'b', to: 'v', size: '100 MB' }],
    });
    const flow = results.traffic[0]!;
    expectClose(flow.end, tS + 0.01, 'end', 1e-12);
    expect(flow.stalledTime).toBe(0);
    expectClose(flow.bytes.wire, wire, 'wire bytes', 1e-12);
    expectClose(results.summary.traffic.coreBytes, wire, 'traffic coreBytes', 1e-12);
    const m = results.migrations[0]!;
    expect(m.status).toBe('completed');
    expectClose(m.coreBytes, m.bytes.wire, 'the migration: its wire bytes, once', 1e-12);
    expectClose(results.summary.coreBytes, wire + m.bytes.wire, 'summary.coreBytes (the links)', 1e-12);
  });
});
