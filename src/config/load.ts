// Reads and validates scenario files (CONTRACT.md, "Scenario file"): YAML or JSON text (both through the
// `yaml` package: JSON is YAML 1.2), then the schema (schema.ts) and the reference checks (references.ts),
// every problem collected into one ConfigError, then the Scenario the core runs (resolve.ts).
// Printed as `FILE: path.in.document: what is wrong (what is expected)`, one line per problem.
import { basename, dirname, extname } from 'node:path';
import { isScalar, LineCounter, parseDocument, visit, type Document } from 'yaml';
import { fromZodIssues, issue, type ConfigIssue } from './issues.js';
import { checkListSizes, checkTopologySize, limitsOf } from './limits.js';
import { readFileCapped, unreadableReason } from './read-file.js';
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

/** Problems printed at most: past them one line counts the rest. A file of a million bad items gave a
 * million lines (issue 17); the first fifty show what is wrong, the count how much. */
export const MAX_PRINTED_PROBLEMS = 50;

/** One line per problem: `FILE: path.in.document: what is wrong (what is expected)`, at most
 * MAX_PRINTED_PROBLEMS of them, then `FILE: and M more problems`. */
function formatIssues(file: string, issues: readonly ConfigIssue[]): string {
  const lines = issues.slice(0, MAX_PRINTED_PROBLEMS).map((problem) => `${file}: ${problem.path}: ${problem.message}`);
  const more = issues.length - MAX_PRINTED_PROBLEMS;
  if (more > 0) lines.push(`${file}: and ${more} more problem${more === 1 ? '' : 's'} (fix these and validate again)`);
  return lines.join('\n');
}

export class ConfigError extends Error {
  readonly file: string;
  readonly issues: ConfigIssue[];

  constructor(file: string, issues: ConfigIssue[]) {
    super(formatIssues(file, issues));
    this.name = 'ConfigError';
    this.file = file;
    this.issues = issues;
  }
}

/** The error as printed: see formatIssues. */
export function formatConfigError(error: ConfigError): string {
  return formatIssues(error.file, error.issues);
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

/**
 * Keys written twice in one mapping, which JavaScript objects would silently keep one of (`1` and `"1"` too).
 * Checked here in one pass per mapping rather than by the yaml package, which compares each key with every
 * earlier one: a fuzzed mapping of 20,000 keys took 3.7 s to read, and 65,536 host overrides would take
 * half a minute.
 */
function duplicateKeys(document: Document, lines: LineCounter, file: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  try {
    visit(document, {
      Map(_key, map) {
        const seen = new Set<string>();
        for (const pair of map.items) {
          // Merge keys (`<<`, a symbol once parsed) may repeat.
          if (!isScalar(pair.key) || typeof pair.key.value === 'symbol') continue;
          const key = String(pair.key.value);
          if (seen.has(key)) {
            const at = lines.linePos(pair.key.range?.[0] ?? 0);
            issues.push(issue([], `YAML syntax error at line ${at.line}, column ${at.col}: Map keys must be unique (expected valid YAML or JSON)`));
          }
          seen.add(key);
        }
      },
    });
  } catch (error) {
    if (error instanceof RangeError) fail(file, 'the document nests too deeply to be read (expected a YAML or JSON document nested at most a few hundred levels)');
    throw error;
  }
  return issues;
}

/**
 * Deepest nesting of flow collections (`[`, `{`) read. The yaml package stops at about 800 levels anyway
 * (RESOURCE_EXHAUSTION, below), but only after lexing and parsing the rest: a fuzzed file of 1,000,000 levels
 * (2 MB) took 20 s and 1.2 GB to refuse. Brackets inside quoted strings count too, so only a text with more
 * than this many unclosed ones in its strings would be refused wrongly.
 */
const MAX_FLOW_DEPTH = 1000;

/** Where `text` first nests its brackets deeper than `max`, as an offset; undefined if it never does. */
function tooDeep(text: string, max: number): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x5b || code === 0x7b) {
      if (++depth > max) return i;
    } else if ((code === 0x5d || code === 0x7d) && depth > 0) depth--;
  }
  return undefined;
}

/** A mapping as YAML's plain `{}` gives it: not a tagged value (`!!binary` is a Uint8Array, `!!set` a Set,
 * `!!omap` a Map), whose keys would be a Buffer's methods (issue 17: 101 lines naming them). */
function isPlainMapping(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** What a document that is not a mapping is, for the one line that says so. */
function documentKind(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Uint8Array) return 'binary data (!!binary), not a mapping';
  if (value instanceof Set) return 'a set (!!set), not a mapping';
  if (value instanceof Map) return 'an ordered mapping (!!omap or !!pairs), not a plain mapping';
  return typeof value === 'object' ? 'a tagged value, not a mapping' : `a single ${typeof value}`;
}

/** The value of a YAML or JSON text; a syntax error names its line and column. */
export function parseScenarioText(text: string, file: string): Record<string, unknown> {
  const deep = tooDeep(text, MAX_FLOW_DEPTH);
  if (deep !== undefined) {
    const before = text.slice(0, deep);
    const line = before.split('\n').length;
    const column = deep - before.lastIndexOf('\n');
    fail(file, `the document nests deeper than ${MAX_FLOW_DEPTH} levels at line ${line}, column ${column} (expected a YAML or JSON document nested at most a few hundred levels)`);
  }
  const json = parsedAsJson(text, file);
  if (json !== undefined) return asDocument(json, file);
  const nodes = estimatedYamlNodes(text);
  if (nodes > MAX_YAML_NODES) {
    fail(file, `the document has about ${nodes} items, more than the ${MAX_YAML_NODES} a YAML file may have (expected a smaller document, or the same as JSON, which is read without this limit)`);
  }
  // YAML 1.1 merge keys (`<<: *defaults`) are allowed: scenario files often share VM settings that way.
  // logLevel 'error': the yaml package would otherwise print warnings (a mapping used as a key) on stderr, in
  // no `FILE: path: message` form; such a key becomes a string the schema then reports as unknown.
  // uniqueKeys false: duplicate keys are found by duplicateKeys below, in linear time.
  const lines = new LineCounter();
  const document = parseDocument(text, { merge: true, prettyErrors: true, logLevel: 'error', uniqueKeys: false, lineCounter: lines });
  const duplicates = document.errors.length > 0 ? [] : duplicateKeys(document, lines, file);
  if (duplicates.length > 0) throw new ConfigError(file, duplicates);
  if (document.errors.length > 0) {
    throw new ConfigError(
      file,
      document.errors.map((error) => {
        const where = error.linePos === undefined ? '' : ` at line ${error.linePos[0].line}, column ${error.linePos[0].col}`;
        const what = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
        // The parser stops with RESOURCE_EXHAUSTION where the stack runs out: lists nested ~1,000 deep (fuzzed).
        if (error.code === 'RESOURCE_EXHAUSTION') return issue([], `the document nests too deeply to be read${where} (expected a YAML or JSON document nested at most a few hundred levels)`);
        return issue([], `YAML syntax error${where}: ${what} (expected valid YAML or JSON)`);
      }),
    );
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    // The yaml package throws a ReferenceError for unresolved aliases and for too many alias expansions.
    if (error instanceof RangeError) fail(file, 'the document nests too deeply to be read (expected a YAML or JSON document nested at most a few hundred levels)');
    const reason = error instanceof Error ? error.message : String(error);
    return fail(file, `${reason} (expected a YAML document using at most ${MAX_ALIAS_COUNT} aliases)`);
  }
  return asDocument(value, file);
}

/** The parsed value as a scenario document, or the one line saying what it is instead. */
function asDocument(value: unknown, file: string): Record<string, unknown> {
  if (value === null || value === undefined) fail(file, 'the file is empty (expected a mapping with at least a topology)');
  if (typeof value !== 'object' || Array.isArray(value) || !isPlainMapping(value)) {
    fail(file, `the document is ${documentKind(value)} (expected a mapping with at least a topology)`);
  }
  return value as Record<string, unknown>;
}

/**
 * A JSON text read by JSON.parse, which is about 80 times faster than the yaml package and holds no syntax
 * tree: a JSON file of 1,000,000 list items took 24 s and 1.3 GB to parse as YAML (issue 17), 0.3 s this way.
 * JSON is YAML 1.2, so the value is the same; undefined when the text is not a JSON object (YAML reads it
 * then, and reports its syntax errors with their lines). Keys written twice are an error, as in YAML.
 */
function parsedAsJson(text: string, file: string): unknown {
  if (!/^\s*\{/.test(text)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const duplicate = firstDuplicateJsonKey(text);
  if (duplicate !== undefined) {
    const before = text.slice(0, duplicate);
    const line = before.split('\n').length;
    const column = duplicate - before.lastIndexOf('\n');
    fail(file, `YAML syntax error at line ${line}, column ${column}: Map keys must be unique (expected valid YAML or JSON)`);
  }
  return value;
}

/** Where a valid JSON text first repeats a key of one object, as an offset; undefined if it never does.
 * One pass: a set of keys per open object. */
function firstDuplicateJsonKey(text: string): number | undefined {
  const open: (Set<string> | undefined)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x22) {
      let end = i + 1;
      while (text.charCodeAt(end) !== 0x22) end += text.charCodeAt(end) === 0x5c ? 2 : 1;
      const keys = open[open.length - 1];
      if (expectKey && keys !== undefined) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (keys.has(key)) return i;
        keys.add(key);
      }
      expectKey = false;
      i = end;
    } else if (code === 0x7b) {
      open.push(new Set());
      expectKey = true;
    } else if (code === 0x5b) {
      open.push(undefined);
      expectKey = false;
    } else if (code === 0x7d || code === 0x5d) {
      open.pop();
      expectKey = false;
    } else if (code === 0x2c) {
      expectKey = open[open.length - 1] !== undefined;
    }
  }
  return undefined;
}

/**
 * Most YAML nodes a file may have. The yaml package holds about 1.3 kB per node while it parses (measured: a
 * flow list of 1,000,000 items, 1.3 GB and 24 s), so 3,000,000 stay within the default Node heap; past them
 * it aborted out of memory (7,000,000 items, issue 17). The limits' largest scenario (100,000 VMs and
 * migrations of a few fields each) has about 2,000,000.
 */
const MAX_YAML_NODES = 3_000_000;

/** An upper estimate of a YAML text's nodes: every item ends at a comma, a line end or a `- `/`: `. */
function estimatedYamlNodes(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x2c || code === 0x0a || (code === 0x20 && (text.charCodeAt(i - 1) === 0x2d || text.charCodeAt(i - 1) === 0x3a))) count++;
  }
  return count;
}

/** The raw document of a file, before validation: the CLI edits it for `--vary` and `--seed`. */
export function readScenarioDocument(file: string): Record<string, unknown> {
  let bytes: Uint8Array;
  try {
    bytes = readFileCapped(file);
  } catch (error) {
    return fail(file, `cannot read the file: ${unreadableReason(error)} (expected a readable YAML or JSON file)`);
  }
  return parseScenarioText(decodeText(bytes, file), file);
}

/** Problems roughly in the order a reader meets them: by top-level section as the document orders them (the
 * whole-document ones and missing sections first), then by list position, then as found. */
function inDocumentOrder(issues: ConfigIssue[], sections: string[]): ConfigIssue[] {
  // A map, not sections.indexOf: a fuzzed document of 20,000 unknown top-level keys took 10 s to sort.
  const sectionIndex = new Map(sections.map((section, i) => [section, i]));
  const sortKey = (path: string): [number, number] => {
    const index = /^[^[]*\[(\d+)\]/.exec(path)?.[1];
    return [sectionIndex.get(path.split(/[.[]/)[0] ?? '') ?? -1, index === undefined ? -1 : Number(index)];
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

/** A value met in a walk of the document, with the way back to the root for its path. */
interface Visit {
  value: unknown;
  key: PropertyKey;
  parent: Visit | undefined;
}

function pathOf(visit: Visit): PropertyKey[] {
  const path: PropertyKey[] = [];
  for (let at: Visit | undefined = visit; at?.parent !== undefined; at = at.parent) path.push(at.key);
  return path.reverse();
}

/** Keys named `__proto__`: JavaScript objects cannot carry them as plain keys, so the schema never sees them;
 * reported here so that they are not silently dropped. The walk is iterative and visits each object once: a
 * fuzzed document nested 100,000 lists deep overflowed the call stack of a recursive one, and a YAML alias
 * inside its own anchor (`&a [*a]`) makes a cycle. */
function prototypeKeys(document: unknown, issues: ConfigIssue[]): void {
  const seen = new Set<object>();
  const stack: Visit[] = [{ value: document, key: '', parent: undefined }];
  for (let visit = stack.pop(); visit !== undefined; visit = stack.pop()) {
    const { value } = visit;
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    const entries = Object.entries(value);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i]!;
      // Scalars hold no keys: only the __proto__ check and mappings or lists go further (a million scalar
      // values would otherwise be a million visits).
      const isCollection = typeof child === 'object' && child !== null;
      if (!isCollection && key !== '__proto__') continue;
      const next: Visit = { value: child, key: Array.isArray(value) ? Number(key) : key, parent: visit };
      if (key === '__proto__') issues.push(issue(pathOf(next), 'unknown key (no key may be named __proto__)'));
      if (isCollection) stack.push(next);
    }
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
  if (typeof document !== 'object' || document === null || Array.isArray(document) || !isPlainMapping(document)) {
    const what = document === null || document === undefined ? 'empty' : documentKind(document);
    fail(file, `the document is ${what} (expected a mapping with at least a topology)`);
  }
  const raw = document as Record<string, unknown>;
  // Lists longer than the limits are refused before any item is read: 1,000,000 VMs that are each `1` took
  // 34 s and 1.6 GB to report one by one (issue 17).
  const limits = limitsOf(raw);
  const overLong = checkListSizes(raw, limits);
  if (overLong.length > 0) throw new ConfigError(file, overLong);
  const parsed = scenarioDocumentSchema.safeParse(raw, { reportInput: true });
  const issues = parsed.success ? [] : fromZodIssues(parsed.error.issues);
  prototypeKeys(raw, issues);
  const topology = topologySchema.safeParse(raw.topology);
  const loaded = topology.success ? loadTopology(topology.data, options.baseDirectory ?? dirname(file)) : undefined;
  issues.push(...(loaded?.issues ?? []));
  const oversized = loaded?.spec === undefined ? [] : checkTopologySize(loaded.spec, limits);
  issues.push(...oversized);
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
