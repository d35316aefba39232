// `--vary KEY=V1,V2,...` (CONTRACT.md, compare and sweep): KEY is a dotted path into the scenario document as
// written (`schedule.policy`, `defaults.migration.strategy`, `vms.0.memory` or `vms[0].memory`); each value is
// read as a YAML scalar (`4` a number, `true` a boolean, `10 Gbit/s` a string, `none` a string) and set there
// in a copy of the raw document, which is then validated like any file: a bad value is reported by the schema
// at KEY. A path that cannot hold a value (through a scalar, past the end of a list) is reported at the part
// that stops it. Values are split at commas, so a value cannot contain one.
import { parse } from 'yaml';
import { ConfigError } from '../config/load.js';
import { formatPath, issue, type PathSegment } from '../config/issues.js';
import { UsageError } from './usage-error.js';

export interface Variation {
  /** KEY as written */
  key: string;
  path: PathSegment[];
  /** the values as written, and as YAML read them */
  texts: string[];
  values: unknown[];
}

const SEGMENT = /^[^.[\]]+$/;

/** The path of a dotted KEY: `a.b[0].c` and `a.b.0.c` are the same path. */
function parseKey(key: string): PathSegment[] | undefined {
  const parts = key.replace(/\[(\d+)\]/g, '.$1').split('.');
  if (parts.some((part) => !SEGMENT.test(part))) return undefined;
  return parts.map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** Reads one `--vary KEY=V1,V2,...`; a malformed option is a usage error (exit 2). */
export function parseVariation(option: string): Variation {
  const equals = option.indexOf('=');
  const key = equals < 0 ? option : option.slice(0, equals);
  const path = parseKey(key.trim());
  if (equals < 0 || path === undefined) {
    throw new UsageError(`--vary ${JSON.stringify(option)}: expected KEY=V1,V2,... with KEY a dotted path such as schedule.policy`);
  }
  const texts = option.slice(equals + 1).split(',').map((text) => text.trim());
  if (texts.some((text) => text === '')) {
    throw new UsageError(`--vary ${JSON.stringify(option)}: a value is empty (expected values separated by commas)`);
  }
  const values = texts.map((text) => {
    try {
      return parse(text) as unknown;
    } catch (error) {
      const reason = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
      throw new UsageError(`--vary ${key}: cannot read the value ${JSON.stringify(text)} as YAML: ${reason}`);
    }
  });
  return { key: key.trim(), path, texts, values };
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}

/**
 * A deep copy of `document` with `value` at `path`. Missing mappings on the way are created; a scalar or a
 * list without that item on the way is a ConfigError of `file` at the part that stops the path.
 */
export function withValueAt(document: Record<string, unknown>, path: readonly PathSegment[], value: unknown, file: string): Record<string, unknown> {
  const copy = structuredClone(document);
  let node: unknown = copy;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    const last = i === path.length - 1;
    const here = path.slice(0, i);
    const fail = (message: string): never => {
      throw new ConfigError(file, [issue(path.slice(0, Math.max(1, i)), message)]);
    };
    if (segment === '__proto__' || segment === 'constructor' || segment === 'prototype') fail(`"${segment}" cannot be set (expected a key of the scenario)`);
    if (Array.isArray(node)) {
      if (typeof segment !== 'number') fail(`${formatPath(here)} is a list (expected an item number, such as ${formatPath([...here, 0])})`);
      const list = node as unknown[];
      if ((segment as number) >= list.length) fail(`the list has ${list.length} item${list.length === 1 ? '' : 's'}: no item ${segment} (expected an item number below ${list.length})`);
      if (last) list[segment as number] = value;
      else node = list[segment as number];
      continue;
    }
    if (typeof node !== 'object' || node === null) fail(`is ${describe(node)} (expected a mapping to set ${formatPath(path.slice(i))} in)`);
    const mapping = node as Record<string, unknown>;
    const key = String(segment);
    if (last) {
      mapping[key] = value;
    } else {
      if (mapping[key] === undefined || mapping[key] === null) mapping[key] = typeof path[i + 1] === 'number' ? [] : {};
      node = mapping[key];
    }
  }
  return copy;
}
