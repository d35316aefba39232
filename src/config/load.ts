// Reads and validates scenario files (CONTRACT.md, "Scenario file"): YAML or JSON text (both through the
// `yaml` package: JSON is YAML 1.2), then the schema (schema.ts) and the reference checks (references.ts),
// every problem collected into one ConfigError, then the Scenario the core runs (resolve.ts).
// Printed as `FILE: path.in.document: what is wrong (what is expected)`, one line per problem.
import { readFileSync } from 'node:fs';
import { basename, dirname, extname } from 'node:path';
import { parseDocument } from 'yaml';
import { fromZodIssues, issue, type ConfigIssue } from './issues.js';
import { checkListSizes, checkTopologySize, limitsOf } from './limits.js';
import { checkReferences } from './references.js';
import { toScenario } from './resolve.js';
import type { Scenario } from './scenario.js';
import { scenarioDocumentSchema, topologySchema } from './schema.js';
import { loadTopology } from './topology-file.js';

/**
 * A YAML file can expand exponentially through aliases of aliases ("billion laughs"); the yaml package refuses
 * documents with more alias expansions than this (its own default is 100 as well: yaml 2, ToJSOptions).
 */
const MAX_ALIAS_COUNT = 100;

export class ConfigError extends Error {
  readonly file: string;
  readonly issues: ConfigIssue[];

  constructor(file: string, issues: ConfigIssue[]) {
    super(issues.map((problem) => `${file}: ${problem.path}: ${problem.message}`).join('\n'));
    this.name = 'ConfigError';
    this.file = file;
    this.issues = issues;
  }
}

/** One line per problem: `FILE: path.in.document: what is wrong (what is expected)`. */
export function formatConfigError(error: ConfigError): string {
  return error.issues.map((problem) => `${error.file}: ${problem.path}: ${problem.message}`).join('\n');
}

function fail(file: string, message: string): never {
  throw new ConfigError(file, [issue([], message)]);
}

/** Decodes a file's bytes as UTF-8 text, refusing binary data. */
function decodeText(bytes: Uint8Array, file: string): string {
  // Text files do not contain NUL bytes; UTF-16 text and most binary formats do.
  if (bytes.includes(0)) fail(file, 'the file is binary, not text (expected a YAML or JSON text file in UTF-8)');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail(file, 'the file is not valid UTF-8 text (expected a YAML or JSON text file in UTF-8)');
  }
}

/** The value of a YAML or JSON text; a syntax error names its line and column. */
export function parseScenarioText(text: string, file: string): Record<string, unknown> {
  // YAML 1.1 merge keys (`<<: *defaults`) are allowed: scenario files often share VM settings that way.
  const document = parseDocument(text, { merge: true, prettyErrors: true });
  if (document.errors.length > 0) {
    throw new ConfigError(
      file,
      document.errors.map((error) => {
        const where = error.linePos === undefined ? '' : ` at line ${error.linePos[0].line}, column ${error.linePos[0].col}`;
        const what = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
        return issue([], `YAML syntax error${where}: ${what} (expected valid YAML or JSON)`);
      }),
    );
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    // The yaml package throws a ReferenceError for unresolved aliases and for too many alias expansions.
    const reason = error instanceof Error ? error.message : String(error);
    return fail(file, `${reason} (expected a YAML document using at most ${MAX_ALIAS_COUNT} aliases)`);
  }
  if (value === null || value === undefined) fail(file, 'the file is empty (expected a mapping with at least a topology)');
  if (typeof value !== 'object' || Array.isArray(value)) {
    const what = Array.isArray(value) ? 'a list' : `a single ${typeof value}`;
    fail(file, `the document is ${what} (expected a mapping with at least a topology)`);
  }
  return value as Record<string, unknown>;
}

/** The raw document of a file, before validation: the CLI edits it for `--vary` and `--seed`. */
export function readScenarioDocument(file: string): Record<string, unknown> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String(error);
    return fail(file, `cannot read the file: ${reason} (expected a readable YAML or JSON file)`);
  }
  return parseScenarioText(decodeText(bytes, file), file);
}

/** Problems roughly in the order a reader meets them: by top-level section as the document orders them (the
 * whole-document ones and missing sections first), then by list position, then as found. */
function inDocumentOrder(issues: ConfigIssue[], sections: string[]): ConfigIssue[] {
  const sortKey = (path: string): [number, number] => {
    const index = /^[^[]*\[(\d+)\]/.exec(path)?.[1];
    return [sections.indexOf(path.split(/[.[]/)[0] ?? ''), index === undefined ? -1 : Number(index)];
  };
  const keyed = issues.map((problem, position) => ({ problem, position, key: sortKey(problem.path) }));
  keyed.sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.position - b.position);
  const seen = new Set<string>();
  return keyed
    .map(({ problem }) => problem)
    .filter((problem) => {
      const id = `${problem.path}\u0000${problem.message}`;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
}

/** Keys named `__proto__`: JavaScript objects cannot carry them as plain keys, so the schema never sees them;
 * reported here so that they are not silently dropped. */
function prototypeKeys(value: unknown, path: PropertyKey[], issues: ConfigIssue[]): void {
  if (typeof value !== 'object' || value === null) return;
  for (const [key, child] of Object.entries(value)) {
    if (key === '__proto__') issues.push(issue([...path, key], 'unknown key (no key may be named __proto__)'));
    prototypeKeys(child, [...path, Array.isArray(value) ? Number(key) : key], issues);
  }
}

/** The scenario name when the document gives none: the file name without its extension. */
function nameFromFile(file: string): string {
  return basename(file, extname(file));
}

export interface ParseOptions {
  /** where paths in the document (a graphml topology's `file`) are relative to; default: the directory of
   * `file` (for a name that is no path, such as the embedded default's, the working directory) */
  baseDirectory?: string;
}

/** Validates a raw document (from readScenarioDocument, or built in code); throws ConfigError with every problem. */
export function parseScenarioDocument(document: unknown, file: string, options: ParseOptions = {}): Scenario {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    const what = document === null || document === undefined ? 'empty' : Array.isArray(document) ? 'a list' : `a single ${typeof document}`;
    fail(file, `the document is ${what} (expected a mapping with at least a topology)`);
  }
  const raw = document as Record<string, unknown>;
  const parsed = scenarioDocumentSchema.safeParse(raw, { reportInput: true });
  const issues = parsed.success ? [] : fromZodIssues(parsed.error.issues);
  prototypeKeys(raw, [], issues);
  const topology = topologySchema.safeParse(raw.topology);
  const loaded = topology.success ? loadTopology(topology.data, options.baseDirectory ?? dirname(file)) : undefined;
  issues.push(...(loaded?.issues ?? []));
  const limits = limitsOf(raw);
  const oversized = loaded?.spec === undefined ? [] : checkTopologySize(loaded.spec, limits);
  issues.push(...oversized, ...checkListSizes(raw, limits));
  // A topology over the limits is never built: the reference checks see it as they see an invalid one.
  const checkable = topology.success && oversized.length === 0;
  issues.push(...checkReferences(raw, checkable ? topology.data : undefined, checkable ? loaded?.spec : undefined));
  if (issues.length > 0 || !parsed.success) throw new ConfigError(file, inDocumentOrder(issues, Object.keys(raw)));
  return toScenario(parsed.data, nameFromFile(file), loaded?.spec);
}

/** Reads, parses and validates a scenario file (YAML or JSON); throws ConfigError with every problem. */
export function loadScenarioFile(file: string): Scenario {
  return parseScenarioDocument(readScenarioDocument(file), file);
}
