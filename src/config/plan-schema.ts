// The `plan:` section of a scenario (CONTRACT.md, "Planning"): what `mignet plan` must move, the constraints
// its plan must meet and what it minimises. Only `mignet plan` reads it; `mignet run` ignores it. References
// (hosts, racks, pods, sites) are checked against the topology in src/plan/goal.ts.
import { z } from 'zod';
import { fraction, name, oneOf, quantity, strictObject, wholeNumber } from './fields.js';

export const PLAN_OBJECTIVES = ['makespan', 'downtime', 'coreBytes', 'energy'] as const;
export type PlanObjective = (typeof PLAN_OBJECTIVES)[number];

/** The per-VM techniques the planner may choose from: `auto-converge` is precopy with QEMU's auto-converge. */
export const PLAN_STRATEGIES = ['precopy', 'auto-converge', 'postcopy', 'hybrid'] as const;
export type PlanStrategy = (typeof PLAN_STRATEGIES)[number];

const evacuate = strictObject({
  hosts: z.array(name('a host id')).optional(),
  racks: z.array(name('an edge switch (rack) id')).optional(),
  pods: z.array(wholeNumber(0)).optional(),
  sites: z.array(name('a site name')).optional(),
}).superRefine((spec, ctx) => {
  const count = (spec.hosts?.length ?? 0) + (spec.racks?.length ?? 0) + (spec.pods?.length ?? 0) + (spec.sites?.length ?? 0);
  if (count === 0) ctx.addIssue({ code: 'custom', message: 'names nothing to evacuate (expected at least one of hosts, racks, pods, sites)' });
});

export const planSchema = strictObject({
  evacuate: evacuate.optional(),
  // Absent: no deadline; the objective alone decides.
  deadline: quantity('time', { positive: true }).optional(),
  // Absent: each migration's own downtimeLimit (CONTRACT.md, "Planning").
  downtimeLimit: quantity('time').optional(),
  maxCoreUtilization: fraction({ aboveZero: true }).optional(),
  objective: oneOf(PLAN_OBJECTIVES).default('makespan'),
  // ECMP hashing changes the worst downtime by an order of magnitude from seed to seed: three seeds at least
  // (issue 18); every figure that decides is the worst over them.
  seeds: wholeNumber(1, 64).default(3),
  // Every technique by default; `[precopy, auto-converge]` keeps the source's copy of every VM until its
  // switchover (a postcopy VM is lost if the network fails after it).
  strategies: z.array(oneOf(PLAN_STRATEGIES)).min(1, { error: 'is empty (expected at least one of: precopy, auto-converge, postcopy, hybrid)' }).default([...PLAN_STRATEGIES]),
});

export type PlanDocument = z.output<typeof planSchema>;
