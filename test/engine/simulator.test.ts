import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../src/engine/event-queue.js';
import { Random } from '../../src/engine/random.js';
import { SimulationError } from '../../src/engine/simulation-error.js';
import { Simulator } from '../../src/engine/simulator.js';

describe('EventQueue', () => {
  it('orders by time, then by scheduling order for equal times', () => {
    const queue = new EventQueue();
    const seen: string[] = [];
    for (const [t, name] of [[2, 'c'], [1, 'a'], [2, 'd'], [1, 'b'], [0, 'z']] as const) {
      queue.push(t, () => seen.push(name));
    }
    for (let e = queue.pop(); e !== undefined; e = queue.pop()) e.run();
    expect(seen).toEqual(['z', 'a', 'b', 'c', 'd']);
  });

  it('skips cancelled events', () => {
    const queue = new EventQueue();
    const a = queue.push(1, () => {});
    queue.push(2, () => {});
    a.cancelled = true;
    expect(queue.pop()?.timeS).toBe(2);
    expect(queue.pop()).toBeUndefined();
  });
});

describe('Simulator', () => {
  it('runs events in time order and advances the clock', () => {
    const sim = new Simulator();
    const times: number[] = [];
    sim.at(3, () => times.push(sim.nowS));
    sim.at(1, () => {
      times.push(sim.nowS);
      sim.after(0.5, () => times.push(sim.nowS));
    });
    expect(sim.run()).toBe(3);
    expect(times).toEqual([1, 1.5, 3]);
  });

  it('refuses to schedule in the past', () => {
    const sim = new Simulator();
    sim.at(5, () => sim.at(4, () => {}));
    expect(() => sim.run()).toThrow(SimulationError);
  });

  it('settles once per instant, after all of its events', () => {
    const sim = new Simulator();
    const log: string[] = [];
    sim.onSettle(() => log.push(`settle@${sim.nowS}`));
    sim.at(1, () => log.push('a'));
    sim.at(1, () => log.push('b'));
    sim.at(2, () => log.push('c'));
    sim.run();
    expect(log).toEqual(['settle@0', 'a', 'b', 'settle@1', 'c', 'settle@2']);
  });

  it('stops a run that exceeds its event limit', () => {
    const sim = new Simulator({ maxEvents: 100 });
    const tick = (): void => void sim.after(1, tick);
    sim.at(0, tick);
    expect(() => sim.run()).toThrow(/more than 100 events/);
  });
});

describe('Random', () => {
  it('is reproducible from its seed and differs between seeds', () => {
    const draw = (seed: number): number[] => {
      const random = new Random(seed);
      return Array.from({ length: 5 }, () => random.next());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
    expect(draw(7).every((x) => x >= 0 && x < 1)).toBe(true);
  });
});
