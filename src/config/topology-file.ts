// The files a topology section refers to: a `graphml` topology's `file`, a path relative to the directory of
// the scenario file (an absolute path as it is). Read here, at the edge, so that the TopologySpec the core
// gets carries the network itself and building it does no I/O. Every problem with the file (missing,
// unreadable, not XML, not GraphML, no nodes) is a config issue at `topology.file`, never a crash.
import { resolve } from 'node:path';
import { readGraphml } from '../topology/graphml-file.js';
import type { TopologySpec } from '../topology/types.js';
import { issue, unprintableAt, type ConfigIssue } from './issues.js';
import { readFileCapped, unreadableReason } from './read-file.js';
import { toTopologySpec, type TopologyFiles } from './resolve.js';
import { MAX_GRAPHML_HOSTS, type TopologyDocument } from './schema.js';

export interface LoadedTopology {
  /** the section resolved, its files read; undefined when a file has problems */
  spec: TopologySpec | undefined;
  issues: ConfigIssue[];
}

function readText(path: string): { ok: true; text: string } | { ok: false; reason: string } {
  let bytes: Uint8Array;
  try {
    bytes = readFileCapped(path);
  } catch (error) {
    return { ok: false, reason: unreadableReason(error) };
  }
  if (bytes.includes(0)) return { ok: false, reason: 'the file is binary, not text' };
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, reason: 'the file is not valid UTF-8 text' };
  }
}

/**
 * Resolves a checked topology section into its TopologySpec, reading the file a `graphml` topology names
 * relative to `baseDirectory` (the scenario file's directory).
 */
export function loadTopology(doc: TopologyDocument, baseDirectory: string): LoadedTopology {
  if (doc.kind !== 'graphml') return { spec: toTopologySpec(doc), issues: [] };
  const path = resolve(baseDirectory, doc.file);
  const at = ['topology', 'file'];
  const shown = path === resolve(doc.file) ? JSON.stringify(doc.file) : `${JSON.stringify(doc.file)} (${path})`;
  const text = readText(path);
  if (!text.ok) {
    return { spec: undefined, issues: [issue(at, `cannot read ${shown}: ${text.reason} (expected a GraphML file, relative to the scenario file)`)] };
  }
  const read = readGraphml(text.text);
  if (!read.ok) return { spec: undefined, issues: [issue(at, `${shown}: ${read.message}`)] };
  // Node names become host ids: no control characters, as in a scenario's own ids (fields.ts name).
  const named = read.network.nodes.find((node) => unprintableAt(node.id) >= 0 || unprintableAt(node.label ?? '') >= 0);
  if (named !== undefined) {
    return { spec: undefined, issues: [issue(at, `${shown}: node "${named.id}" has a control character in its id or label (expected names without control characters)`)] };
  }
  const hosts = read.network.nodes.length * doc.hostsPerNode;
  if (hosts > MAX_GRAPHML_HOSTS) {
    const message = `${read.network.nodes.length} nodes × ${doc.hostsPerNode} hosts = ${hosts} hosts is too many (expected at most ${MAX_GRAPHML_HOSTS} hosts)`;
    return { spec: undefined, issues: [issue(['topology', 'hostsPerNode'], message)] };
  }
  const files: TopologyFiles = { graphml: read.network };
  return { spec: toTopologySpec(doc, files), issues: [] };
}
