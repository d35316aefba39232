// Shared by the config tests: a small valid scenario document to break one field at a time, and the issues a
// document gets.
import { expect } from 'vitest';
import { ConfigError, parseScenarioDocument, type ConfigIssue } from '../../src/config/index.js';

/** Two racks of a written graph: hosts a1, a2 on switch sa; b1 on sb; sa–sb joined. */
export function graphDocument(): Record<string, any> {
  return {
    name: 'test',
    topology: {
      kind: 'graph',
      nodes: [
        { id: 'a1', kind: 'host' },
        { id: 'a2', kind: 'host' },
        { id: 'b1', kind: 'host' },
        { id: 'sa', kind: 'switch' },
        { id: 'sb', kind: 'switch' },
      ],
      links: [
        { from: 'a1', to: 'sa', capacity: '1 Gbit/s', latency: '10 us' },
        { from: 'a2', to: 'sa', capacity: '1 Gbit/s', latency: '10 us' },
        { from: 'b1', to: 'sb', capacity: '1 Gbit/s', latency: '10 us' },
        { from: 'sa', to: 'sb', capacity: '10 Gbit/s', latency: '10 us', core: true },
      ],
    },
    vms: [
      { id: 'v1', host: 'a1', memory: '1 GiB' },
      { id: 'v2', host: 'a2', memory: '2 GiB' },
    ],
    migrations: [
      { vm: 'v1', to: 'b1' },
      { vm: 'v2', to: 'b1' },
    ],
  };
}

/** A k=4 fat-tree with one VM moving from pod 0 to pod 1. */
export function fatTreeDocument(): Record<string, any> {
  return {
    topology: { kind: 'fat-tree', k: 4, link: { capacity: '10 Gbit/s', latency: '2 us' } },
    vms: [{ id: 'vm1', host: 'h0-0-0', memory: '4 GiB' }],
    migrations: [{ vm: 'vm1', to: 'h1-0-0' }],
  };
}

export function issuesOf(document: unknown, file = 'test.yaml'): ConfigIssue[] {
  try {
    parseScenarioDocument(document, file);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  return [];
}

/** Asserts the document has exactly one problem, at `path`, whose message matches `pattern`. */
export function expectOnly(document: unknown, path: string, pattern: RegExp): void {
  const issues = issuesOf(document);
  expect(issues, JSON.stringify(issues)).toHaveLength(1);
  expect(issues[0]?.path).toBe(path);
  expect(issues[0]?.message).toMatch(pattern);
}

/** Asserts that among the document's problems one is at `path` with a message matching `pattern`. */
export function expectIssue(document: unknown, path: string, pattern: RegExp): void {
  const issues = issuesOf(document);
  const found = issues.some((problem) => problem.path === path && pattern.test(problem.message));
  expect(found, `no issue at ${path} matching ${pattern}; got ${JSON.stringify(issues, null, 1)}`).toBe(true);
}
