// The routes a run hands out, each remembered with the ends and ECMP key it was computed for, so that after a
// link-down or link-up the fault injector (fault-injector.ts) can ask the router for the same flow's route
// again: a flow keeps its 5-tuple, and with it its hash (RFC 2992). A Mobile IPv4 triangle is two routes joined.
import type { Router } from '../topology/routing.js';

/** One routed stretch of a path: the router's route from `from` to `to` for the flow key `key`. */
export interface RouteLeg {
  from: string;
  to: string;
  key: string;
}

/**
 * The routes the run hands out, each remembered with the ends and key it was computed for (by the identity of
 * the path returned, weakly: a path no flow holds any more is forgotten), so that the fault injector can ask
 * the router for the same flow's route again after the links changed.
 */
export class RouteBook {
  readonly #legs = new WeakMap<Int32Array, readonly RouteLeg[]>();

  constructor(private readonly router: Router) {}

  /** the router's route, remembered; null when `to` cannot be reached */
  route(from: string, to: string, key: string): Int32Array | null {
    const path = this.router.route(from, to, key);
    if (path !== null) this.#legs.set(path, [{ from, to, key }]);
    return path;
  }

  /** paths end to end as one (a triangle through a home agent), remembered as their legs when all are known */
  join(parts: readonly Int32Array[]): Int32Array {
    const path = concat(parts);
    const legs = parts.map((part) => this.#legs.get(part));
    if (legs.every((known) => known !== undefined)) this.#legs.set(path, legs.flat());
    return path;
  }

  /** how a path handed out here was routed; undefined for any other path */
  legsOf(path: Int32Array): readonly RouteLeg[] | undefined {
    return this.#legs.get(path);
  }

  /** the route the router gives these legs now, joined; null when a leg has none (not remembered) */
  current(legs: readonly RouteLeg[]): Int32Array | null {
    const parts: Int32Array[] = [];
    for (const leg of legs) {
      const part = this.router.route(leg.from, leg.to, leg.key);
      if (part === null) return null;
      parts.push(part);
    }
    return parts.length === 1 ? parts[0]! : concat(parts);
  }
}

function concat(parts: readonly Int32Array[]): Int32Array {
  const path = new Int32Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    path.set(part, at);
    at += part.length;
  }
  return path;
}
