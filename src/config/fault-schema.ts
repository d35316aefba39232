// Fault injection in a scenario (CONTRACT.md, `faults`; issue 9): what a file may write, and the per-migration
// fields that decide what a fault does to a migration (`stallTimeout`, `retry`). Targets are checked against the
// topology in fault-references.ts; the run carries faults out in src/engine/fault-injector.ts.
import { z } from 'zod';
import { flag, name, oneOf, quantity, strictObject, wholeNumber } from './fields.js';
import type { FaultSpec, MigrationSpec, RetrySpec } from './scenario.js';

export const FAULT_KINDS = ['link-down', 'link-up', 'host-crash', 'degrade'] as const;

/**
 * How long a migration whose stream cannot move (every path cut, or a link at zero capacity) waits before it is
 * given up, s. QEMU has no timeout of its own: a migration over a dead TCP connection waits as long as the
 * kernel retransmits (Linux tcp_retries2 = 15, about 924.6 s) unless something closes it. libvirt's keepalive
 * does (libvirtd.conf defaults keepalive_interval = 5 s, keepalive_count = 5: "the connection is automatically
 * closed approximately after keepalive_interval * (keepalive_count + 1) seconds"), and libvirt then aborts the
 * migration job: 5 × (5 + 1) = 30 s.
 */
export const DEFAULT_STALL_TIMEOUT_S = 30;

const cable = strictObject({ from: name('a node id'), to: name('a node id') });

const fault = strictObject({
  at: quantity('time'),
  kind: oneOf(FAULT_KINDS),
  // A host id (every cable of the host), or one cable { from, to }: both directions fail together.
  target: z.union([z.string(), cable], { error: 'expected a host id or a cable { from, to }' }),
  // degrade only: the cable's new capacity in each direction.
  capacity: quantity('rate').optional(),
}).superRefine((spec, ctx) => {
  if (spec.kind === 'degrade' && spec.capacity === undefined) {
    ctx.addIssue({ code: 'custom', path: ['capacity'], message: 'missing (expected a rate: degrade sets the cable to it)' });
  }
  if (spec.kind !== 'degrade' && spec.capacity !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['capacity'], message: `only degrade takes a capacity (leave it out of ${spec.kind})` });
  }
  if (spec.kind === 'host-crash' && typeof spec.target !== 'string') {
    ctx.addIssue({ code: 'custom', path: ['target'], message: 'a cable cannot crash (expected a host id)' });
  }
  if (typeof spec.target === 'string' && spec.target.trim() === '') {
    ctx.addIssue({ code: 'custom', path: ['target'], message: 'is empty (expected a host id or a cable { from, to })' });
  }
});

export const faultsSchema = z.array(fault);

const retry = strictObject({
  // Further attempts after the first one fails; a lost VM is never retried (there is nothing left to move).
  attempts: wholeNumber(0, 1000),
  // Wait between a failure and the next attempt.
  backoff: quantity('time').default(0),
});

/** The migration fields of fault handling, all optional: unset ones come from `defaults.migration`. */
export const faultSettings = {
  stallTimeout: quantity('time', { positive: true }).optional(),
  retry: retry.optional(),
};

/** `defaults.migration`'s fault fields with their defaults. */
export const faultDefaults = {
  stallTimeout: quantity('time', { positive: true }).default(DEFAULT_STALL_TIMEOUT_S),
  // No retry unless asked: a failed migration is reported as it failed.
  retry: retry.optional(),
};

/** `checks`: the run's invariant checks (src/engine/invariants.ts); absent: the MIGNET_CHECKS variable decides. */
export const checksSchema = flag().optional();

type FaultDocument = z.output<typeof fault>;
type RetryDocument = z.output<typeof retry>;

export function toFaults(docs: readonly FaultDocument[]): FaultSpec[] {
  return docs.map((doc) => {
    const target = typeof doc.target === 'string' ? { host: doc.target } : { from: doc.target.from, to: doc.target.to };
    return { atS: doc.at, kind: doc.kind, target, ...(doc.capacity === undefined ? {} : { capacityBytesPerS: doc.capacity }) };
  });
}

/** A migration's fault fields, each from the migration or else from `defaults.migration`. */
export function toFaultFields(
  own: { stallTimeout?: number | undefined; retry?: RetryDocument | undefined },
  defaults: { stallTimeout: number; retry?: RetryDocument | undefined },
): Pick<MigrationSpec, 'stallTimeoutS' | 'retry'> {
  const doc = own.retry ?? defaults.retry;
  const retrySpec: RetrySpec | undefined = doc === undefined ? undefined : { attempts: doc.attempts, backoffS: doc.backoff };
  return { stallTimeoutS: own.stallTimeout ?? defaults.stallTimeout, ...(retrySpec === undefined ? {} : { retry: retrySpec }) };
}
