// The topology section of a scenario document (CONTRACT.md, `topology`): the graph, fat-tree, leaf-spine, wan
// and graphml kinds, their ranges and defaults, each default with its source. Part of schema.ts.
import { z } from 'zod';
import { name, oneOf, positiveNumber, quantity, strictObject, wholeNumber, flag } from './fields.js';
import { describeValue } from './issues.js';
import { MAX_HOSTS_CEILING } from './limits.js';

/** Largest fat-tree k accepted: k = 80 has 128,000 hosts (k^3/4), the most within MAX_HOSTS_CEILING (limits.ts);
 * `limits.maxHosts` (default 65,536: k = 64) decides below that. */
export const MAX_FAT_TREE_K = 80;
/** Largest host count of a leaf-spine fabric: the ceiling of `limits.maxHosts` (limits.ts). */
export const MAX_LEAF_SPINE_HOSTS = MAX_HOSTS_CEILING;

const SUPPORTED_TOPOLOGIES = ['graph', 'fat-tree', 'leaf-spine', 'wan', 'graphml'] as const;
const LATER_TOPOLOGIES: string[] = [];
/** What a WAN site may be (CONTRACT.md, `kind: wan`). */
const SITE_TOPOLOGIES = ['graph', 'fat-tree', 'leaf-spine'] as const;
/** Largest number of hosts a GraphML import gets (PoPs × hostsPerNode): the ceiling of `limits.maxHosts`. */
export const MAX_GRAPHML_HOSTS = MAX_HOSTS_CEILING;

// ---- topology ----

export const link = strictObject({
  capacity: quantity('rate', { positive: true }),
  latency: quantity('time'),
});

export const zone = oneOf(['trusted', 'untrusted']);

const graphTopology = strictObject({
  kind: z.literal('graph'),
  nodes: z.array(
    strictObject({
      id: name('a node id'),
      kind: oneOf(['host', 'switch', 'gateway']),
      site: name('a site name').optional(),
      zone: zone.optional(),
    }),
  ),
  links: z
    .array(
      strictObject({
        from: name('a node id'),
        to: name('a node id'),
        capacity: quantity('rate', { positive: true }),
        latency: quantity('time'),
        // CONTRACT.md: `core?: bool`; a link is not a core link unless marked.
        core: flag().default(false),
        zone: zone.optional(),
      }),
    )
    .default([]),
});

const fatTreeK = z.unknown().transform((value, ctx): number => {
  const expected = `expected an even whole number from 2 to ${MAX_FAT_TREE_K}`;
  const problem =
    typeof value !== 'number' || !Number.isInteger(value)
      ? `${value === undefined ? 'missing' : `${describeValue(value)} is not a whole number`}`
      : value < 2
        ? `${value} is too small`
        : value % 2 !== 0
          ? `${value} is odd`
          : value > MAX_FAT_TREE_K
            ? `${value} is too large: a k=${value} fat-tree has ${value ** 3 / 4} hosts`
            : undefined;
  if (problem === undefined) return value as number;
  ctx.issues.push({ code: 'custom', message: `${problem} (${expected})`, input: value });
  return z.NEVER;
});

const fatTreeTopology = strictObject({
  kind: z.literal('fat-tree'),
  k: fatTreeK,
  link,
  coreLink: link.optional(),
  // Al-Fares et al. SIGCOMM 2008: the fat-tree is built for full bisection bandwidth, ratio 1.
  oversubscription: positiveNumber().default(1),
});

const leafSpineTopology = strictObject({
  kind: z.literal('leaf-spine'),
  leaves: wholeNumber(1),
  spines: wholeNumber(1),
  hostsPerLeaf: wholeNumber(1),
  link,
  uplink: link.optional(),
}).superRefine((spec, ctx) => {
  const hosts = spec.leaves * spec.hostsPerLeaf;
  if (hosts > MAX_LEAF_SPINE_HOSTS) {
    ctx.addIssue({
      code: 'custom',
      path: ['hostsPerLeaf'],
      message: `${spec.leaves} leaves × ${spec.hostsPerLeaf} hosts = ${hosts} hosts is too many (expected at most ${MAX_LEAF_SPINE_HOSTS} hosts)`,
    });
  }
});

function topologyKindMessage(topology: unknown, supported: readonly string[] = SUPPORTED_TOPOLOGIES): string {
  const kind = typeof topology === 'object' && topology !== null ? (topology as { kind?: unknown }).kind : undefined;
  const list = supported.join(', ');
  if (kind === undefined) return `missing (expected one of: ${list})`;
  if (typeof kind === 'string' && LATER_TOPOLOGIES.includes(kind)) return `topology kind "${kind}" is not supported yet (supported: ${list})`;
  if (typeof kind === 'string' && (SUPPORTED_TOPOLOGIES as readonly string[]).includes(kind)) {
    return `a site cannot be of kind "${kind}" (expected one of: ${list})`;
  }
  return `unknown topology kind ${describeValue(kind)} (expected one of: ${list})`;
}

// ---- wan: sites joined at their gateways (src/topology/wan.ts) ----

export const siteTopology = z.discriminatedUnion('kind', [graphTopology, fatTreeTopology, leafSpineTopology], {
  error: (iss) => (iss.code === 'invalid_union' ? topologyKindMessage(iss.input, SITE_TOPOLOGIES) : undefined),
});

const wanTopology = strictObject({
  kind: z.literal('wan'),
  // Names, the gateway `gw` of graph sites and gatewayLink only on built-in sites: checked in references.ts.
  sites: z.array(
    strictObject({
      name: name('a site name'),
      zone: zone.optional(),
      topology: siteTopology,
      // Default: the site's top-tier links (src/topology/wan.ts).
      gatewayLink: link.optional(),
    }),
  ),
  wanLinks: z
    .array(
      strictObject({
        from: name('a site name'),
        to: name('a site name'),
        capacity: quantity('rate', { positive: true }),
        latency: quantity('time'),
        // A WAN link is untrusted only when declared so (src/topology/wan.ts).
        zone: zone.optional(),
      }),
    )
    .default([]),
});

// ---- graphml: an Internet Topology Zoo file (src/topology/graphml.ts; read by topology-file.ts) ----

const graphmlTopology = strictObject({
  kind: z.literal('graphml'),
  file: name('a GraphML file path, relative to the scenario file'),
  // CONTRACT.md: one host per PoP unless told otherwise.
  hostsPerNode: wholeNumber(1, MAX_GRAPHML_HOSTS).default(1),
  // Host links, and PoP–PoP links where the file gives no speed or no coordinates.
  link,
});

export const topologySchema = z.discriminatedUnion(
  'kind',
  [graphTopology, fatTreeTopology, leafSpineTopology, wanTopology, graphmlTopology],
  { error: (iss) => (iss.code === 'invalid_union' ? topologyKindMessage(iss.input) : undefined) },
);

