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
