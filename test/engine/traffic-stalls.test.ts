// Application flows count as stalled (traffic[].stalledTime) while a link of their path carries nothing, as
// they do while they have no route or an end is paused (src/transport/application-traffic.ts).
import { describe, expect, test } from 'vitest';
import { expectClose, GBIT, run } from '../end-to-end/helpers.js';
import { oneRoadTopology } from '../support/two-paths.js';

/** 1 GB from a to b over the one road a — s — b at 1 Gbit/s, no latency: 1e9 × F wire bytes take 8 × F s. */
const F = (1460 + 78) / 1460;
function flowWith(faults: unknown[]): ReturnType<typeof run>['traffic'][number] {
  return run({ topology: oneRoadTopology({}), traffic: [{ from: 'a', to: 'b', size: '1 GB' }], faults }).traffic[0]!;
}

describe('traffic stalls on a dead link', () => {
  test('a cut with no way round stalls the flow until the link is back', () => {
    // down at 1 s, up at 3 s: sent 1.25e8 B before, the rest after; 2 s stalled, the end 2 s later than without
    const plain = flowWith([]);
    expect(plain.stalledTime).toBe(0);
    expectClose(plain.end, (1e9 * F) / GBIT, 'end without faults');
    const cut = flowWith([
      { at: 1, kind: 'link-down', target: { from: 'a', to: 's' } },
      { at: 3, kind: 'link-up', target: { from: 'a', to: 's' } },
    ]);
    expectClose(cut.stalledTime, 2, 'stalledTime', 1e-12);
    expectClose(cut.end, plain.end + 2, 'end', 1e-12);
    expectClose(cut.bytes.payload, 1e9, 'payload', 1e-12);
  });

  test('a degrade to 0 and back stalls it as long', () => {
    const degraded = flowWith([
      { at: 1, kind: 'degrade', target: { from: 's', to: 'b' }, capacity: 0 },
      { at: 2.5, kind: 'degrade', target: { from: 's', to: 'b' }, capacity: '1 Gbit/s' },
    ]);
    expectClose(degraded.stalledTime, 1.5, 'stalledTime', 1e-12);
  });
});
