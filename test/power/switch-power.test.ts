// Switch and gateway energy (src/power/switch-power.ts, src/engine/network-energy.ts): static chassis and
// port power over the accounting period plus an energy per byte forwarded, worked out by hand on a lone path
// and counted on a fat-tree.
import { describe, expect, it } from 'vitest';
import { parseScenarioDocument } from '../../src/config/index.js';
import { switchEnergyJ } from '../../src/power/switch-power.js';
import { expectClose, loneLinkDocument, run, WIRE_PER_MEMORY_BYTE } from '../end-to-end/helpers.js';

const SWITCHES = { power: { chassis: '100 W', port: '2 W', perByte: '10 nJ/bit' } };

describe('switch power', () => {
  it('is chassis + ports × port power over the period, plus the per-byte term', () => {
    // 100 W + 4 × 2 W for 10 s, and 8e-8 J/B on 1e9 B: 1080 + 80 J
    expect(switchEnergyJ({ chassisW: 100, portW: 2, perByteJ: 8e-8 }, 4, 1e9, 10)).toBeCloseTo(1160, 9);
  });

  it('charges the lone switch its two ports for the run and the bytes it forwarded (worked by hand)', () => {
    // a — s — b, 1 GiB by stop-and-copy: s has 2 ports (s->a, s->b) and forwards W = 1 GiB × K × F bytes on
    // s->b; the run, and the energy horizon, ends at E = 9.066562438838356 s (test/golden/stop-and-copy-lone-link).
    // 10 nJ/bit = 8e-8 J/B. Energy = (100 + 2·2) W × E + 8e-8 J/B × W.
    const results = run({ ...loneLinkDocument({ memory: '1 GiB' }, { strategy: 'stop-and-copy' }, '10 us'), switches: SWITCHES });
    const W = 2 ** 30 * WIRE_PER_MEMORY_BYTE;
    const E = 9.066562438838356;
    expect(results.switches).toHaveLength(1);
    const s = results.switches![0]!;
    expect(s.id).toBe('s');
    expect(s.ports).toBe(2);
    expectClose(s.forwarded, W, 'forwarded', 1e-12);
    expectClose(s.energy, 104 * E + 8e-8 * W, 'energy', 1e-12);
    expectClose(results.summary.energy.network, s.energy, 'summary.energy.network', 1e-12);
    // host energy is unchanged by it
    expect(run(loneLinkDocument({ memory: '1 GiB' }, { strategy: 'stop-and-copy' }, '10 us')).summary.energy.total).toBe(results.summary.energy.total);
  });

  it('gives every switch of a k=4 fat-tree its k ports, and forwards every byte not leaving a host', () => {
    const document = {
      topology: { kind: 'fat-tree', k: 4, link: { capacity: '10 Gbit/s', latency: '2 us' } },
      vms: [{ id: 'v', host: 'h0-0-0', memory: '2 GiB' }],
      migrations: [{ vm: 'v', to: 'h3-1-1' }],
      switches: SWITCHES,
    };
    const results = run(document);
    // k²/4 = 4 core and k/2 + k/2 = 4 per pod × 4 pods: 20 switches, each with k = 4 ports
    expect(results.switches).toHaveLength(20);
    expect(new Set(results.switches!.map((s) => s.ports))).toEqual(new Set([4]));
    const hosts = new Set(results.hosts.map((h) => h.id));
    const fromSwitches = results.links.filter((l) => !hosts.has(l.from)).reduce((sum, l) => sum + l.bytes, 0);
    expectClose(results.switches!.reduce((sum, s) => sum + s.forwarded, 0), fromSwitches, 'Σ forwarded', 1e-12);
    const T = results.summary.energy.horizon;
    expectClose(results.summary.energy.network, 20 * 108 * T + 8e-8 * fromSwitches, 'network energy', 1e-12);
  });

  it('is not reported without a `switches` section, and needs chassis and port power', () => {
    expect(run(loneLinkDocument({ memory: '1 MiB' }, {}, '0 s')).switches).toBeUndefined();
    const bad = { ...loneLinkDocument({ memory: '1 MiB' }, {}, '0 s'), switches: { power: { chassis: '5 nJ/bit' } } };
    expect(() => parseScenarioDocument(bad, 'bad.yaml')).toThrow(/switches\.power\.chassis: "5 nJ\/bit" is an energy per byte \(expected a power such as "250 W"\)[\s\S]*switches\.power\.port: missing/);
  });
});
