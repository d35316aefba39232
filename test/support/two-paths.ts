// The two-path graph the fault tests re-route on: a ─x─ b over 10 Gbit/s links of 1 us, and a ─y─ b over
// 1 Gbit/s links of 1 ms, so routes take x (least latency) and a cut on x sends flows round by y.

/** The graph topology; `untrusted` names the switch whose two links are `zone: untrusted`, if any. */
export function twoPathsTopology(untrusted?: 'x' | 'y'): Record<string, unknown> {
  const link = (from: string, to: string, capacity: string, latency: string): Record<string, unknown> => ({
    from,
    to,
    capacity,
    latency,
    ...(from === untrusted || to === untrusted ? { zone: 'untrusted' } : {}),
  });
  return {
    kind: 'graph',
    nodes: [{ id: 'a', kind: 'host' }, { id: 'b', kind: 'host' }, { id: 'x', kind: 'switch' }, { id: 'y', kind: 'switch' }],
    links: [link('a', 'x', '10 Gbit/s', '1 us'), link('x', 'b', '10 Gbit/s', '1 us'), link('a', 'y', '1 Gbit/s', '1 ms'), link('y', 'b', '1 Gbit/s', '1 ms')],
  };
}

/** a — s — b at 1 Gbit/s and no latency, the one road from a to b; `last` adds attributes to the s ─ b link
 * (`core: true`, `zone: 'untrusted'`). A cut of a ─ s leaves a flow nowhere to go. */
export function oneRoadTopology(last: Record<string, unknown>): Record<string, unknown> {
  return {
    kind: 'graph',
    nodes: [{ id: 'a', kind: 'host' }, { id: 'b', kind: 'host' }, { id: 's', kind: 'switch' }],
    links: [
      { from: 'a', to: 's', capacity: '1 Gbit/s', latency: 0 },
      { from: 's', to: 'b', capacity: '1 Gbit/s', latency: 0, ...last },
    ],
  };
}
