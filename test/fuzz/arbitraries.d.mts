// Types of arbitraries.mjs (plain JavaScript, shared with scripts/fuzz-config.mjs).
import type { Arbitrary } from 'fast-check';

export interface Base {
  name: string;
  /** where the document was read from; errors are reported under it, and a graphml file is found next to it */
  file?: string;
  document: Record<string, unknown>;
}

export type FuzzCase =
  | { kind: 'document'; file: string; document: unknown; origin: string }
  | { kind: 'text'; file: string; text: string; origin: string }
  | { kind: 'bytes'; file: string; bytes: Uint8Array; origin: string };

export interface Mutation {
  op: string;
  pick: number;
  [more: string]: unknown;
}

export function builtInBases(): Base[];
export function mutate(document: unknown, mutations: Mutation[]): unknown;
export function fuzzCase(bases: Base[]): Arbitrary<FuzzCase>;
