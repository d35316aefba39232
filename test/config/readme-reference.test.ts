// The README is the user's reference: every key the scenario schema accepts, and every schedule policy, must
// be named in it (inside backticks, as the reference tables write them). A key added to the schema without a
// line in the README fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { scenarioDocumentSchema } from '../../src/config/schema.js';
import { SCHEDULE_POLICIES, STRATEGY_NAMES } from '../../src/migration/names.js';
import { ROOT } from '../support/cli.js';

type Definition = { type: string; shape?: Record<string, z.ZodType>; innerType?: z.ZodType; in?: z.ZodType; out?: z.ZodType; element?: z.ZodType; valueType?: z.ZodType; options?: z.ZodType[]; left?: z.ZodType; right?: z.ZodType; getter?: () => z.ZodType };

/** Every key of every mapping the schema describes, found by walking its definition. */
function schemaKeys(root: z.ZodType): Set<string> {
  const keys = new Set<string>();
  const seen = new Set<unknown>();
  const stack: z.ZodType[] = [root];
  for (let schema = stack.pop(); schema !== undefined; schema = stack.pop()) {
    if (seen.has(schema)) continue;
    seen.add(schema);
    const def = (schema as unknown as { _zod: { def: Definition } })._zod.def;
    const children: (z.ZodType | undefined)[] = [def.innerType, def.in, def.out, def.element, def.valueType, def.left, def.right, ...(def.options ?? [])];
    if (def.type === 'lazy' && def.getter !== undefined) children.push(def.getter());
    for (const [key, child] of Object.entries(def.shape ?? {})) {
      keys.add(key);
      children.push(child);
    }
    for (const child of children) if (child !== undefined) stack.push(child);
  }
  return keys;
}

/** The words inside the README's inline code spans (fenced examples do not count as documentation). */
function documentedWords(): Set<string> {
  const text = readFileSync(join(ROOT, 'README.md'), 'utf8').replace(/^```.*$/gm, '');
  return new Set([...text.matchAll(/`([^`]+)`/g)].flatMap((match) => match[1]!.split(/[^A-Za-z0-9_-]+/)));
}

describe('the README reference', () => {
  it('names every key of the scenario schema', () => {
    const keys = schemaKeys(scenarioDocumentSchema as unknown as z.ZodType);
    // The walk reaches deep sections: a sanity check that it does.
    for (const key of ['topology', 'hotFraction', 'sharedPool', 'maxWallTime', 'orderBy', 'onFull']) expect(keys).toContain(key);
    const words = documentedWords();
    expect([...keys].filter((key) => !words.has(key))).toEqual([]);
  });

  it('names every schedule policy and strategy', () => {
    const words = documentedWords();
    expect([...SCHEDULE_POLICIES, ...STRATEGY_NAMES].filter((name) => !words.has(name))).toEqual([]);
  });
});
