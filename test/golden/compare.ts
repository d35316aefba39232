// Compares a results JSON with its golden copy: structure exactly, strings and booleans exactly, numbers
// within a relative tolerance. Returns one line per difference, `path: what differs`, in document order.

/** Relative tolerance on numbers: about 4500 ulps of a double, far below any change of the model. */
export const GOLDEN_RELATIVE_TOLERANCE = 1e-9;

export interface CompareOptions {
  /** paths (`run.events`, `links[3].bytes`) not compared */
  ignore?: readonly string[];
  relativeTolerance?: number;
}

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

function kind(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

export function compareGolden(expected: unknown, actual: unknown, options: CompareOptions = {}): string[] {
  const ignore = new Set(options.ignore ?? []);
  const tolerance = options.relativeTolerance ?? GOLDEN_RELATIVE_TOLERANCE;
  const out: string[] = [];
  const at = (path: string): string => path || '(document)';

  const visit = (path: string, e: unknown, a: unknown): void => {
    if (ignore.has(path)) return;
    if (kind(e) !== kind(a)) {
      out.push(`${at(path)}: expected ${show(e)}, got ${show(a)}`);
      return;
    }
    if (typeof e === 'number' && typeof a === 'number') {
      if (e === a) return;
      const difference = Math.abs(a - e);
      const scale = Math.max(Math.abs(a), Math.abs(e));
      if (difference <= tolerance * scale) return;
      out.push(`${at(path)}: expected ${show(e)}, got ${show(a)} (relative difference ${(difference / scale).toExponential(1)})`);
      return;
    }
    if (Array.isArray(e) && Array.isArray(a)) {
      if (e.length !== a.length) out.push(`${at(path)}: expected ${e.length} items, got ${a.length}`);
      for (let i = 0; i < Math.min(e.length, a.length); i++) visit(child(path, i), e[i], a[i]);
      return;
    }
    if (kind(e) === 'object') {
      const eo = e as Record<string, unknown>;
      const ao = a as Record<string, unknown>;
      for (const key of Object.keys(eo)) {
        if (ignore.has(child(path, key))) continue;
        if (!Object.hasOwn(ao, key)) out.push(`${child(path, key)}: missing (expected ${show(eo[key])})`);
        else visit(child(path, key), eo[key], ao[key]);
      }
      for (const key of Object.keys(ao)) {
        if (!Object.hasOwn(eo, key) && !ignore.has(child(path, key))) out.push(`${child(path, key)}: unexpected field (got ${show(ao[key])})`);
      }
      return;
    }
    if (e !== a) out.push(`${at(path)}: expected ${show(e)}, got ${show(a)}`);
  };

  visit('', expected, actual);
  return out;
}
