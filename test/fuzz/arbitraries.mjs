// Hostile and broken scenario input for the config layer (issue 9), as fast-check arbitraries: small valid
// scenarios mutated (keys deleted, values replaced by hostile or random ones, ids duplicated, self-loops,
// disconnected graphs, odd or huge k, deep nesting), random documents, YAML texts (anchor and alias bombs,
// YAML 1.1 tags, deep flow nesting, broken syntax), files that are not text, and small scenarios aimed at the
// convergence check, fault sequences and link utilization (featureCase). Plain JavaScript so that both
// the vitest suite (test/fuzz/config-fuzz.test.ts) and scripts/fuzz-config.mjs, which runs from dist/, use it;
// types in arbitraries.d.mts.
import fc from 'fast-check';
import { stringify } from 'yaml';

const LINK = { capacity: '1 Gbit/s', latency: '10 us' };

/** Small valid scenarios of every topology kind, each running in a few milliseconds: the mutation seeds. */
export function builtInBases() {
  const graph = {
    name: 'fuzz-graph',
    seed: 7,
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
        { from: 'a1', to: 'sa', ...LINK },
        { from: 'a2', to: 'sa', ...LINK },
        { from: 'b1', to: 'sb', ...LINK },
        { from: 'sa', to: 'sb', capacity: '10 Gbit/s', latency: '20 us', core: true },
      ],
    },
    hosts: { cores: 16, memory: '64 GiB', power: { idle: '90 W', max: '200 W' }, overrides: { b1: { cores: 8 } } },
    defaults: { migration: { strategy: 'precopy', downtimeLimit: '300 ms', maxRounds: 10 } },
    vms: [
      { id: 'v1', host: 'a1', memory: '64 MiB', vcpus: 2, workload: { dirtyRate: '20 MiB/s', hotSet: '8 MiB', hotFraction: 0.8 } },
      { id: 'v2', host: 'a2', memory: '32 MiB', content: { zeroFraction: 0.2, compressRatio: 0.5 } },
    ],
    traffic: [{ from: 'v1', to: 'b1', rate: '100 Mbit/s', size: '8 MiB' }],
    migrations: [
      { vm: 'v1', to: 'b1', optimizations: { zeroPages: true, compression: true } },
      { vm: 'v2', to: 'b1', after: ['v1'], strategy: 'postcopy' },
    ],
    schedule: { policy: 'as-written' },
  };
  const fatTree = {
    name: 'fuzz-fat-tree',
    topology: { kind: 'fat-tree', k: 4, link: { capacity: '10 Gbit/s', latency: '2 us' } },
    defaults: { migration: { strategy: 'stop-and-copy', at: '1 ms' } },
    vms: [
      { id: 'web', host: 'h0-0-0', memory: '128 MiB' },
      { id: 'db', host: 'h0-1-1', memory: '256 MiB', workload: { dirtyRate: '50 MiB/s', hotSet: '32 MiB', hotFraction: 0.9 } },
      { id: 'cache', host: 'h1-0-0', memory: '64 MiB' },
    ],
    migrations: [
      { vm: 'web', to: 'h2-0-0' },
      { vm: 'db', to: 'h3-1-0', strategy: 'hybrid', hybrid: { rounds: 2 } },
      { vm: 'cache', to: 'h1-0-1', maxBandwidth: '1 Gbit/s' },
    ],
    schedule: { policy: 'bounded', maxConcurrent: 2 },
  };
  const leafSpine = {
    topology: { kind: 'leaf-spine', leaves: 2, spines: 2, hostsPerLeaf: 2, link: { capacity: '10 Gbit/s', latency: '1 us' } },
    vms: [{ id: 'x', host: 'h0-0', memory: '100 MiB', cpuLoad: 0.5 }],
    migrations: [{ vm: 'x', to: 'h1-1', strategy: 'precopy', autoConverge: true }],
    network: { mtu: 9000, tcpWindow: '16 MiB' },
  };
  const wan = {
    topology: {
      kind: 'wan',
      sites: [
        {
          name: 'dc1',
          topology: {
            kind: 'graph',
            nodes: [{ id: 'h', kind: 'host' }, { id: 'gw', kind: 'gateway' }],
            links: [{ from: 'h', to: 'gw', ...LINK }],
          },
        },
        { name: 'dc2', topology: { kind: 'leaf-spine', leaves: 1, spines: 1, hostsPerLeaf: 2, link: LINK } },
      ],
      wanLinks: [{ from: 'dc1', to: 'dc2', capacity: '100 Mbit/s', latency: '5 ms' }],
    },
    vms: [{ id: 'w', host: 'dc1/h', memory: '16 MiB', disk: { size: '64 MiB', writeRate: '1 MiB/s' } }],
    // Sites are separate subnets: l2 cannot cross them (a config error); the disk moves with mirroring.
    migrations: [{ vm: 'w', to: 'dc2/h0-1', addressing: 'mobile-ipv4', storage: 'mirror' }],
    horizon: '10 s',
  };
  return [
    { name: 'graph', document: graph },
    { name: 'fat-tree', document: fatTree },
    { name: 'leaf-spine', document: leafSpine },
    { name: 'wan', document: wan },
  ];
}

// ---- values ----

const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

/** Values that have broken parsers before: out-of-range and non-finite numbers, quantities that are not
 * quantities, prototype names, unicode look-alikes, control characters, special files. */
const HOSTILE_VALUES = [
  0, -0, -1, 1, 2, 3, 4.5, 65, 66, 82, 1e9, 2 ** 31, 2 ** 53 + 2, 1e21, 1e308, -1e308, 5e-324, Number.MAX_VALUE,
  NaN, Infinity, -Infinity,
  '', ' ', '0', '-1', '4', '1e400 GiB', '1e308 TiB', '1e308', '-4 GiB', 'NaN', 'Infinity', '-Infinity', 'NaN GiB',
  'Infinity s', '.inf', '0 Gbit/s', '0 s', '1e-400 s', '1e999999999 GiB', '1e99999999999999999999 B', '4 GiB',
  '10 Gbit/s', '300 ms', '250 W', '1 GiB/s', '5 + 3 GiB', 'sqrt(4) GiB', '1 GiB * 3', '0x10 GiB', '1_000 B', '4 gib',
  '4 KB', '4 µs', '4 μs', '1 m', 'e', 'pi GiB', '1 /s', 'GiB', '3 parsec', '2 GiB to MiB', '1 degC', '(1 GiB)',
  `${'9'.repeat(500)} GiB`, `1${'0'.repeat(400)}`, '1e-320 B/s', '1 bit/s', '1 b/s', '1 mB/s', '1 kW', '-0 s',
  'x'.repeat(100_000), 'h0-0-0', 'h1-0-0', 'a1', 'b1', 'v1', 'vm1', 'sa', 'dc1/h', 'dc1', 'gw',
  ...PROTOTYPE_KEYS, '💥', 'h\u0000', '\u202eh0', 'ℌ0-0-0', 'h0\u200b-0-0', 'ｈ0-0-0', '\ud800', 'a\nb', '\t',
  'precopy', 'postcopy', 'hybrid', 'stop-and-copy', 'none', 'bounded', 'parallel', 'sequential', 'graph', 'fat-tree',
  'leaf-spine', 'wan', 'graphml', 'host', 'switch', 'gateway', 'trusted', 'untrusted',
  '/dev/zero', '/dev/null', '/dev/urandom', '/', '.', '..', '/etc/passwd', '/proc/self/status', 'zoo/Abilene.graphml',
  true, false, null, [], {}, [1], { a: 1 }, ['v1'], [null], [[]], ['v1', 'v1'],
];

const hostileValue = fc.constantFrom(...HOSTILE_VALUES);

/** Plausible values: the same kind of thing a valid document holds, so that many mutants still run. */
const plausibleValue = fc.oneof(
  fc.constantFrom('1 MiB', '64 MiB', '1 GiB', '100 Mbit/s', '1 Gbit/s', '40 Gbit/s', '5 MiB/s', '0 MiB/s', '1 ms', '10 us', '2 s', '0 s', '50 W'),
  fc.constantFrom('stop-and-copy', 'precopy', 'postcopy', 'hybrid', 'as-written', 'sequential', 'parallel', 'bounded', 'smallest-first', 'largest-first', 'rack-grouped', 'random', 'sequential'),
  fc.integer({ min: 0, max: 8 }),
  fc.double({ min: 0, max: 1, noNaN: true }),
  fc.boolean(),
);

const randomJson = fc.jsonValue({ maxDepth: 3 });

/** Valid but extreme values where a scenario holds quantities: they pass the schema and push the engine
 * (overflow to Infinity, underflow to 0, sub-byte flows, rounds without end). */
const EXTREMES = {
  size: ['1 B', '0 B', '4097 B', '1e15 B', '1e300 B', '1 EiB', '1 ZiB', 1e308, 0.5],
  rate: ['1 bit/s', '1e-300 B/s', '1e300 B/s', '1 Pbit/s', '1 Ebit/s', 1e308, 5e-324],
  time: ['0 s', '1 ns', '1e-300 s', '1e9 s', '1e12 s', '999999999999.9999 s', '1e300 s', 1e308, 5e-324],
  count: [1, 2, 1e6, 2 ** 31, 2 ** 53 - 1],
  ratio: [1e-300, 5e-324, 1e300, 1e308, 0.001, 1e6],
  link: [{ capacity: '1 bit/s', latency: '1e12 s' }, { capacity: '1 Ebit/s', latency: 0 }, { capacity: 5e-324, latency: 1e308 }],
  fraction: [5e-324, 1e-300, 1, 0.999999999],
  power: ['0 W', '1 GW', 1e308, 5e-324],
};
const EXTREME_PATHS = [
  [['vms', 0, 'memory'], 'size'], [['vms', 1, 'memory'], 'size'], [['vms', 0, 'workload', 'dirtyRate'], 'rate'],
  [['vms', 0, 'workload', 'hotSet'], 'size'], [['hosts', 'memory'], 'size'], [['topology', 'link', 'capacity'], 'rate'],
  [['topology', 'link', 'latency'], 'time'], [['topology', 'links', 0, 'capacity'], 'rate'], [['topology', 'links', 3, 'latency'], 'time'],
  [['topology', 'wanLinks', 0, 'capacity'], 'rate'], [['topology', 'wanLinks', 0, 'latency'], 'time'], [['migrations', 0, 'at'], 'time'],
  [['migrations', 0, 'maxBandwidth'], 'rate'], [['migrations', 0, 'downtimeLimit'], 'time'], [['migrations', 0, 'maxRounds'], 'count'],
  [['defaults', 'migration', 'maxRounds'], 'count'], [['defaults', 'migration', 'downtimeLimit'], 'time'], [['migrations', 0, 'cores'], 'count'],
  [['migrations', 0, 'xbzrleCache'], 'size'], [['network', 'tcpWindow'], 'size'], [['network', 'mtu'], 'size'], [['network', 'headerBytes'], 'size'],
  [['horizon'], 'time'], [['traffic', 0, 'rate'], 'rate'], [['traffic', 0, 'size'], 'size'], [['traffic', 0, 'start'], 'time'],
  [['traffic', 0, 'duration'], 'time'], [['hosts', 'cores'], 'count'], [['vms', 0, 'vcpus'], 'count'], [['migrations', 1, 'hybrid', 'time'], 'time'],
  [['limits', 'maxEvents'], 'count'], [['limits', 'maxSimulatedTime'], 'time'], [['topology', 'oversubscription'], 'ratio'],
  [['topology', 'coreLink'], 'link'], [['topology', 'uplink'], 'link'], [['topology', 'sites', 1, 'gatewayLink'], 'link'],
  [['vms', 0, 'content', 'compressRatio'], 'fraction'], [['vms', 0, 'workload', 'hotFraction'], 'fraction'], [['vms', 0, 'cpuLoad'], 'fraction'],
  [['hosts', 'power', 'max'], 'power'], [['hosts', 'power', 'idle'], 'power'],
];
const extremeValue = fc.record({ path: fc.nat({ max: EXTREME_PATHS.length - 1 }), pick: fc.nat() }).map(({ path, pick }) => {
  const [at, kind] = EXTREME_PATHS[path];
  const values = EXTREMES[kind];
  return { at, value: values[pick % values.length] };
});

const anyValue = fc.oneof(
  { arbitrary: hostileValue, weight: 5 },
  { arbitrary: plausibleValue, weight: 4 },
  { arbitrary: randomJson, weight: 2 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }), weight: 1 },
  { arbitrary: fc.double(), weight: 1 },
);

const KNOWN_KEYS = [
  'name', 'seed', 'topology', 'network', 'hosts', 'defaults', 'vms', 'traffic', 'migrations', 'schedule', 'policy',
  'horizon', 'faults', 'limits', 'images', 'kind', 'k', 'link', 'nodes', 'links', 'capacity', 'latency', 'id', 'host',
  'memory', 'to', 'from', 'vm', 'at', 'after', 'strategy', 'workload', 'dirtyRate', 'maxEvents', 'maxHosts', 'memroy',
];
const newKey = fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS, ...KNOWN_KEYS), fc.string({ maxLength: 12 }));

/** Settings a valid scenario may change, with values it accepts: cases that validate and run another way. */
const KNOBS = [
  [['defaults', 'migration', 'strategy'], ['stop-and-copy', 'precopy', 'postcopy', 'hybrid']],
  [['migrations', 0, 'strategy'], ['stop-and-copy', 'precopy', 'postcopy', 'hybrid']],
  [['schedule', 'policy'], ['as-written', 'sequential', 'parallel', 'smallest-first', 'largest-first', 'rack-grouped', 'gang']],
  [['schedule'], [{ policy: 'bounded', maxConcurrent: 1 }, { policy: 'largest-first', orderBy: 'dirtyRate' }, { policy: 'smallest-first', orderBy: 'bytes', onFull: 'wait' }]],
  [['defaults', 'migration', 'optimizations'], [{ zeroPages: true, freePages: true }, { compression: true, deltaCompression: true }, { dedup: true, irlm: true, gang: true }, { deferHotPages: true }]],
  [['defaults', 'migration', 'autoConverge'], [true, false]],
  [['defaults', 'migration', 'prepaging'], [true, false]],
  [['defaults', 'migration', 'encryption'], ['none', 'aes-128-gcm', 'aes-256-gcm', 'chacha20-poly1305']],
  [['defaults', 'migration', 'maxBandwidth'], ['none', '100 Mbit/s', '1 bit/s']],
  [['defaults', 'migration', 'hybrid'], [{ rounds: 1 }, { time: '10 ms' }, {}]],
  [['vms', 0, 'content'], [{ image: 'img', sharedFraction: 0.5 }, { zeroFraction: 0.5, freeFraction: 0.3, duplicateFraction: 0.2 }, { compressRatio: 0.01 }]],
  [['vms', 1, 'content'], [{ image: 'img', sharedFraction: 0.5 }, { deltaRatio: 0 }]],
  [['vms', 0, 'workload'], [{ dirtyRate: '1 GiB/s', hotSet: '1 MiB', hotFraction: 1, pattern: 'sequential' }, { dirtyRate: '0 B/s' }, { dirtyRate: '200 MiB/s', hotSet: '16 MiB', hotFraction: 0.99 }]],
  [['vms', 0, 'vcpus'], [1, 64, 1000]],
  [['hosts', 'cores'], [1, 2]],
  [['hosts', 'memory'], ['16 MiB', '1 GiB']],
  [['traffic'], [[], [{ from: 'v1', to: 'v2', duration: '100 ms' }], [{ from: 'a1', to: 'b1', rate: '10 Gbit/s', start: '5 ms', size: '1 MiB' }, { from: 'b1', to: 'a2' }]]],
  [['horizon'], ['1 ms', '1 s', '1 h']],
  [['network'], [{ mtu: 68, headerBytes: 0 }, { mtu: 65535, headerBytes: 65535 }, { tcpWindow: '1 B' }]],
  [['faults'], [
    [{ at: '1 ms', kind: 'link-down', target: { from: 'sa', to: 'sb' } }],
    [{ at: '0 s', kind: 'host-crash', target: 'b1' }],
    [{ at: '2 ms', kind: 'degrade', target: { from: 'a1', to: 'sa' }, capacity: '0 B/s' }],
    [{ at: '1 ms', kind: 'link-down', target: 'a1' }, { at: '50 ms', kind: 'link-up', target: 'a1' }],
    [{ at: '1 ms', kind: 'host-crash', target: 'h0-0-0' }, { at: '1 ms', kind: 'link-down', target: { from: 'h2-0-0', to: 'e2-0' } }],
    [{ at: '0 s', kind: 'degrade', target: { from: 'e0-1', to: 'a0-0' }, capacity: '1 bit/s' }],
  ]],
  [['defaults', 'migration', 'stallTimeout'], ['1 ms', '30 s', '1e12 s']],
  [['defaults', 'migration', 'retry'], [{ attempts: 3, backoff: '1 ms' }, { attempts: 1000 }]],
  [['defaults', 'migration', 'convergenceCheck'], ['round-end', 'qemu']],
  [['migrations', 0, 'convergenceCheck'], ['qemu', 'round-end', 'QEMU']],
  [['faults'], [
    [{ at: '1 ms', kind: 'link-down', target: { from: 'sa', to: 'sb' } }, { at: '20 ms', kind: 'link-up', target: { from: 'sa', to: 'sb' } }],
    [{ at: '1 ms', kind: 'degrade', target: { from: 'sa', to: 'sb' }, capacity: '0 B/s' }, { at: '5 ms', kind: 'degrade', target: { from: 'sa', to: 'sb' }, capacity: '10 Gbit/s' }],
    [{ at: '1 ms', kind: 'link-down', target: { from: 'a0-0', to: 'c0' } }, { at: '2 ms', kind: 'link-up', target: { from: 'a0-0', to: 'c0' } }],
  ]],
];

const knob = fc.record({ knob: fc.nat({ max: KNOBS.length - 1 }), pick: fc.nat() }).map(({ knob, pick }) => {
  const [at, values] = KNOBS[knob];
  return { at, value: values[pick % values.length] };
});

// ---- mutations ----

/** A mutation: `pick` chooses among the document's paths (modulo their count), the rest says what to do there. */
const mutation = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('delete'), pick: fc.nat() }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('set'), pick: fc.nat(), value: anyValue }), weight: 8 },
  { arbitrary: fc.record({ op: fc.constant('duplicate'), pick: fc.nat() }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('addKey'), pick: fc.nat(), key: newKey, value: anyValue }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('swap'), pick: fc.nat(), other: fc.nat() }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('scale'), pick: fc.nat(), factor: fc.constantFrom(-1, 0, 0.5, 3, 1e3, 1e-300, 1e300) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('nest'), pick: fc.nat(), depth: fc.constantFrom(2, 50, 5_000, 100_000), list: fc.boolean() }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('topology'), what: fc.constantFrom('self-loop', 'disconnect', 'isolated-host', 'k', 'to-own-host', 'after-cycle', 'vm-on-switch', 'many-vms', 'huge'), pick: fc.nat(), value: anyValue }), weight: 4 },
);

function isContainer(value) {
  return typeof value === 'object' && value !== null;
}

/** Sets an own property even for `__proto__`, as YAML and JSON.parse do. */
function put(target, key, value) {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A deep copy of a document of plain data, keeping own `__proto__` keys; no deeper than `depth` (the rest shared). */
function clone(value, depth = 64) {
  if (!isContainer(value) || depth === 0) return value;
  if (Array.isArray(value)) return value.map((item) => clone(item, depth - 1));
  const copy = {};
  for (const key of Object.keys(value)) put(copy, key, clone(value[key], depth - 1));
  return copy;
}

/** Every path of the document down to `maxDepth`, the root ([]) first; iterative, so deep documents are safe. */
function pathsOf(document, maxDepth = 12) {
  const paths = [];
  const stack = [[document, []]];
  while (stack.length > 0 && paths.length < 5000) {
    const [value, path] = stack.pop();
    paths.push(path);
    if (!isContainer(value) || path.length >= maxDepth) continue;
    for (const key of Object.keys(value)) stack.push([value[key], [...path, Array.isArray(value) ? Number(key) : key]]);
  }
  return paths;
}

function getAt(document, path) {
  let value = document;
  for (const key of path) value = isContainer(value) ? value[key] : undefined;
  return value;
}

function setAt(document, path, value) {
  if (path.length === 0) return value;
  const parent = getAt(document, path.slice(0, -1));
  if (isContainer(parent)) put(parent, path[path.length - 1], value);
  return document;
}

/** Sets `path`, making the mappings on the way that are missing; nothing when a list or a value is in the way. */
function setDeep(document, path, value) {
  let at = document;
  for (const key of path.slice(0, -1)) {
    if (!isContainer(at)) return;
    if (at[key] === undefined && typeof key === 'string') put(at, key, {});
    at = at[key];
  }
  if (isContainer(at)) put(at, path[path.length - 1], value);
}

function deleteAt(document, path) {
  if (path.length === 0) return {};
  const parent = getAt(document, path.slice(0, -1));
  const key = path[path.length - 1];
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else if (isContainer(parent)) delete parent[key];
  return document;
}

/** `value` wrapped `depth` times in lists or mappings, built iteratively. */
function nested(value, depth, list) {
  let out = value;
  for (let i = 0; i < depth; i++) out = list ? [out] : { a: out };
  return out;
}

function list(document, key) {
  return Array.isArray(document?.[key]) ? document[key] : undefined;
}

/** The graph sections of a document: its topology, or its WAN sites' graph topologies. */
function graphsOf(document) {
  const topology = document?.topology;
  if (topology?.kind === 'graph') return [topology];
  if (topology?.kind === 'wan' && Array.isArray(topology.sites)) return topology.sites.map((site) => site?.topology).filter((t) => t?.kind === 'graph');
  return [];
}

/** Mutations that know what a scenario means: the broken topologies and references the issue lists. */
function topologyMutation(document, { what, pick, value }) {
  const graphs = graphsOf(document);
  const graph = graphs[pick % Math.max(1, graphs.length)];
  const nodes = Array.isArray(graph?.nodes) ? graph.nodes : [];
  const node = nodes[pick % Math.max(1, nodes.length)]?.id;
  const vms = list(document, 'vms') ?? [];
  const migrations = list(document, 'migrations') ?? [];
  switch (what) {
    case 'self-loop':
      if (Array.isArray(graph?.links) && node !== undefined) graph.links.push({ from: node, to: node, ...LINK });
      break;
    case 'disconnect':
      if (Array.isArray(graph?.links)) graph.links = graph.links.filter((link) => link?.from !== node && link?.to !== node);
      break;
    case 'isolated-host':
      if (Array.isArray(graph?.nodes)) graph.nodes.push({ id: `lonely${pick % 3}`, kind: 'host' });
      break;
    case 'k': {
      const topology = document?.topology;
      const k = [0, 1, 2, 3, 5, 6, 8, 63, 64, 66, 80, 82, 1000, 1e9, 2 ** 31, -2, 4.0000001, 1e308, NaN][pick % 19];
      if (topology?.kind === 'fat-tree') topology.k = k;
      else if (topology?.kind === 'leaf-spine') topology[['leaves', 'spines', 'hostsPerLeaf'][pick % 3]] = k;
      break;
    }
    case 'to-own-host': {
      const migration = migrations[pick % Math.max(1, migrations.length)];
      const vm = vms.find((v) => v?.id === migration?.vm);
      if (migration !== undefined && vm !== undefined) migration.to = vm.host;
      break;
    }
    case 'after-cycle':
      if (migrations.length > 0) {
        const first = migrations[0];
        const last = migrations[migrations.length - 1];
        if (isContainer(first) && isContainer(last)) first.after = [last.vm];
        if (isContainer(last) && isContainer(first)) last.after = [first.vm];
      }
      break;
    case 'vm-on-switch': {
      const vm = vms[pick % Math.max(1, vms.length)];
      if (isContainer(vm)) vm.host = ['sa', 'e0-0', 'c0', 's0', 'l0', 'dc1/gw', 'gw'][pick % 7];
      break;
    }
    case 'many-vms':
      // Many VMs and migrations on one host pair: runs stay small, the reference checks see duplicates.
      if (vms.length > 0 && isContainer(vms[0])) {
        const count = [10, 200][pick % 2];
        for (let i = 0; i < count; i++) vms.push({ ...vms[0], id: `${vms[0].id}-${i % (count - 1)}` });
      }
      break;
    case 'huge': {
      const targets = [['vms', 0, 'memory'], ['hosts', 'memory'], ['topology', 'link', 'capacity'], ['migrations', 0, 'at'], ['horizon'], ['network', 'tcpWindow'], ['vms', 0, 'workload', 'dirtyRate'], ['defaults', 'migration', 'maxRounds']];
      const path = targets[pick % targets.length];
      if (isContainer(getAt(document, path.slice(0, -1)))) setAt(document, path, value);
      break;
    }
  }
  return document;
}

/** Applies mutations to a copy of `document`. */
export function mutate(document, mutations) {
  let out = clone(document);
  for (const m of mutations) {
    if (m.op === 'topology') {
      out = topologyMutation(out, m);
      continue;
    }
    const paths = pathsOf(out);
    const path = paths[m.pick % paths.length] ?? [];
    const current = getAt(out, path);
    switch (m.op) {
      case 'delete':
        out = deleteAt(out, path);
        break;
      case 'set':
        out = setAt(out, path, clone(m.value));
        break;
      case 'duplicate': {
        const parent = getAt(out, path.slice(0, -1));
        if (Array.isArray(parent)) parent.push(clone(current));
        else if (isContainer(parent)) put(parent, `${String(path[path.length - 1])}2`, clone(current));
        break;
      }
      case 'addKey':
        if (isContainer(current) && !Array.isArray(current)) put(current, m.key, clone(m.value));
        break;
      case 'swap': {
        const other = paths[m.other % paths.length] ?? [];
        const value = getAt(out, other);
        if (path.length > 0 && other.length > 0) {
          setAt(out, other, current);
          setAt(out, path, value);
        }
        break;
      }
      case 'scale':
        if (typeof current === 'number') out = setAt(out, path, current * m.factor);
        else if (typeof current === 'string' && /^\d/.test(current)) {
          out = setAt(out, path, current.replace(/^[\d.]+(e[+-]?\d+)?/i, (n) => String(Number(n) * m.factor)));
        }
        break;
      case 'nest':
        out = setAt(out, path, nested(current ?? null, m.depth, m.list));
        break;
    }
  }
  return out;
}

// ---- texts ----

/** `a` nested `depth` times in flow lists, or as an indented block mapping. */
function deepYaml(depth, style) {
  if (style === 'flow-list') return `topology: ${'['.repeat(depth)}1${']'.repeat(depth)}\n`;
  if (style === 'flow-map') return `topology: ${'{a: '.repeat(depth)}1${'}'.repeat(depth)}\n`;
  let text = 'topology:\n';
  for (let i = 1; i <= depth; i++) text += `${' '.repeat(i)}a:\n`;
  return `${text}${' '.repeat(depth + 1)}b: 1\n`;
}

/** Billion laughs: each level an anchored list of `width` aliases of the level below. */
function aliasBomb(levels, width, where) {
  const lines = ['l0: &l0 "lol"'];
  for (let i = 1; i <= levels; i++) lines.push(`l${i}: &l${i} [${Array(width).fill(`*l${i - 1}`).join(', ')}]`);
  const top = `*l${levels}`;
  if (where === 'merge') lines.push(`vms:\n  - <<: *m\n    id: v\nm: &m { host: ${top} }`);
  return `${lines.join('\n')}\ntopology: ${top}\nname: ${top}\n`;
}

const YAML_ATTACKS = [
  '%YAML 1.1\n---\ntopology: !!binary aGVsbG8=\n',
  '%YAML 1.1\n---\ntopology: { kind: fat-tree, k: 4, link: { capacity: !!set {a, b}, latency: 2001-12-14 } }\n',
  '%YAML 1.1\n---\ntopology: { kind: fat-tree, k: 0o4, link: { capacity: 1_000_000_000, latency: 1:20 } }\nvms: !!omap [a: 1]\n',
  'topology: { kind: fat-tree, k: !!float 4, link: { capacity: .inf, latency: .nan } }\n',
  'topology: { kind: fat-tree, k: 0x4, link: { capacity: -.inf, latency: ~ } }\n',
  'topology: !<tag:yaml.org,2002:js/function> "function () {}"\n',
  'topology: !custom { kind: graph }\n',
  'topology: &t { kind: graph, nodes: [], links: [] }\nvms: *t\nmigrations: *nope\n',
  'topology: { kind: graph }\ntopology: { kind: fat-tree }\n',
  '? [a, b]\n: 1\ntopology: { kind: graph, nodes: [], links: [] }\n',
  '{a: 1}: 2\ntopology: { kind: graph, nodes: [], links: [] }\n',
  '---\ntopology: { kind: graph, nodes: [], links: [] }\n---\nname: second\n',
  '\ufefftopology: { kind: graph, nodes: [], links: [] }\r\nname: bom\r\n',
  'topology:\n\tkind: graph\n',
  'topology: "unterminated\n',
  '- just\n- a\n- list\n',
  '42\n',
  '',
  '# only a comment\n',
  'topology: { kind: graph, nodes: [{ id: a, kind: host }], links: [] }\nvms: [{ id: "\\ud800", host: a, memory: 1 GiB }]\n',
  `topology: { kind: graph, nodes: [], links: [] }\nname: ${'x'.repeat(1_000_000)}\n`,
  `topology: { kind: graph, nodes: [], links: [] }\n${Array.from({ length: 20_000 }, (_, i) => `k${i}: ${i}`).join('\n')}\n`,
  'topology: { kind: graph, nodes: [], links: [] }\n__proto__: { polluted: true }\nconstructor: { prototype: { polluted: true } }\n',
  'topology: { kind: graph, nodes: [{ id: __proto__, kind: host }, { id: constructor, kind: host }], links: [{ from: __proto__, to: constructor, capacity: 1 Gbit/s, latency: 0 }] }\nvms: [{ id: toString, host: __proto__, memory: 1 MiB }]\nmigrations: [{ vm: toString, to: constructor }]\nhosts: { overrides: { __proto__: { cores: 2 }, constructor: { cores: 3 } } }\nimages: { __proto__: { sharedPool: 1 MiB } }\n',
];

const yamlAttack = fc.oneof(
  fc.constantFrom(...YAML_ATTACKS),
  fc.record({ levels: fc.integer({ min: 1, max: 12 }), width: fc.integer({ min: 1, max: 12 }), where: fc.constantFrom('plain', 'merge') }).map(({ levels, width, where }) => aliasBomb(levels, width, where)),
  fc.record({ depth: fc.constantFrom(10, 100, 1_000, 10_000, 100_000), style: fc.constantFrom('flow-list', 'flow-map', 'block') })
    .filter(({ depth, style }) => style !== 'block' || depth <= 1_000)
    .map(({ depth, style }) => deepYaml(depth, style)),
);

/** A text edit: `at` is a position as a fraction of the text's length. */
const textEdit = fc.oneof(
  fc.record({ op: fc.constant('insert'), at: fc.double({ min: 0, max: 1, noNaN: true }), text: fc.oneof(fc.string({ unit: 'binary', maxLength: 8 }), fc.constantFrom(':', '- ', '[', ']', '{', '}', '&a ', '*a', '!!binary ', '"', "'", '#', '\n', '\t', '|', '>', '? ', '<<: ', '%', '@', '`', '\u0000', '\r')) }),
  fc.record({ op: fc.constant('delete'), at: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant('truncate'), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
);

function editText(text, edits) {
  let out = text;
  for (const edit of edits) {
    const at = Math.floor(edit.at * out.length);
    if (edit.op === 'insert') out = out.slice(0, at) + edit.text + out.slice(at);
    else if (edit.op === 'delete') out = out.slice(0, at) + out.slice(at + edit.length);
    else out = out.slice(0, at);
  }
  return out;
}

/** The document as a file would hold it; JSON loses NaN, Infinity and `undefined`, as JSON files do. */
function serialize(document, format) {
  if (format === 'json') return JSON.stringify(document, null, 1) ?? 'null';
  return stringify(document, { aliasDuplicateObjects: false, lineWidth: 0 });
}

// ---- bytes ----

const binaryFile = fc.oneof(
  fc.uint8Array({ maxLength: 2_000 }),
  fc.uint8Array({ min: 1, max: 255, maxLength: 2_000 }),
  fc.constantFrom(
    Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
    Uint8Array.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00]),
    Uint8Array.from([0xff, 0xfe, 0x74, 0x00, 0x6f, 0x00]),
    Uint8Array.from([0xef, 0xbb, 0xbf, 0x74, 0x3a, 0x20, 0xc3, 0x28]),
    Uint8Array.from([0xed, 0xa0, 0x80]),
    new Uint8Array(0),
  ),
);

// ---- the convergence check, fault sequences and link utilization ----

/** Topologies for the feature cases, each with the hosts VMs start on and move to, and its cables (fault
 * targets). `twoPaths` is the fault tests' graph (test/support/two-paths.ts) with two hosts a side: routes take x
 * (least latency), a cut on x sends flows round by y, and a link-up on x brings them back; `fatTree` (k = 4) has
 * ECMP between equal paths, so a restored link may or may not draw a flow back. */
function featureTopology(kind, capacity, latency) {
  if (kind === 'fatTree') {
    return {
      topology: { kind: 'fat-tree', k: 4, link: { capacity, latency } },
      sources: ['h0-0-0', 'h0-0-1', 'h0-1-0'],
      destinations: ['h1-0-0', 'h2-1-1', 'h0-1-1'],
      cables: [['h0-0-0', 'e0-0'], ['e0-0', 'a0-0'], ['e0-0', 'a0-1'], ['a0-0', 'c0'], ['a0-0', 'c1'], ['a0-1', 'c2'], ['a1-0', 'c0'], ['e1-0', 'a1-0'], ['h1-0-0', 'e1-0']],
    };
  }
  const link = (from, to, linkCapacity, linkLatency, core) => ({ from, to, capacity: linkCapacity, latency: linkLatency, ...(core ? { core: true } : {}) });
  return {
    topology: {
      kind: 'graph',
      nodes: [...['a1', 'a2', 'b1', 'b2'].map((id) => ({ id, kind: 'host' })), ...['sa', 'sb', 'x', 'y'].map((id) => ({ id, kind: 'switch' }))],
      links: [
        link('a1', 'sa', '10 Gbit/s', '1 us'), link('a2', 'sa', '10 Gbit/s', '1 us'), link('b1', 'sb', '10 Gbit/s', '1 us'), link('b2', 'sb', '10 Gbit/s', '1 us'),
        link('sa', 'x', capacity, latency, true), link('x', 'sb', capacity, latency, true),
        link('sa', 'y', '1 Gbit/s', '1 ms', true), link('y', 'sb', '1 Gbit/s', '1 ms', true),
      ],
    },
    sources: ['a1', 'a2'],
    destinations: ['b1', 'b2'],
    cables: [['sa', 'x'], ['x', 'sb'], ['sa', 'y'], ['y', 'sb'], ['a1', 'sa'], ['b1', 'sb']],
  };
}

/** Extreme values where the convergence check's arithmetic divides, rounds to 50 ms or meets a one-page memory. */
const FEATURE_VALUES = {
  capacity: ['10 Gbit/s', '10 Gbit/s', '1 Gbit/s', '1 Gbit/s', '1 Mbit/s', '1 kbit/s', '1 bit/s'],
  latency: ['0 s', '1 us', '1 ms', '100 ms'],
  /** memory sizes with their bytes (a hot set larger than the memory is a config error, left to the mutants) */
  memory: [['1 B', 1], ['4 KiB', 4096], ['4097 B', 4097], ['1 MiB', 2 ** 20], ['64 MiB', 2 ** 26], ['1 GiB', 2 ** 30]],
  dirtyRate: ['0 B/s', '1 MiB/s', '100 MiB/s', '10 GiB/s', '1 Ebit/s'],
  hotSet: [undefined, ['4 KiB', 4096], ['1 MiB', 2 ** 20], ['16 MiB', 2 ** 24]],
  diskSize: ['4 KiB', '16 MiB', '1 GiB'],
  diskWriteRate: ['0 B/s', '1 MiB/s', '1 GiB/s'],
  downtimeLimit: ['0 s', '1 ns', '1 ms', '50 ms', '300 ms', '10 s'],
  maxRounds: [1, 1, 2, 30],
  hybrid: [{ rounds: 1 }, { rounds: 3 }, { time: '0 s' }, { time: '1 ms' }, { time: '1 s' }, { rounds: 2, time: '60 ms' }],
  optimizations: [{ deferHotPages: true }, { deferHotPages: true, zeroPages: true, compression: true }, { deltaCompression: true, freePages: true }, {}],
  maxBandwidth: ['none', '1 Gbit/s', '1 Mbit/s', '1 bit/s'],
  diskWriteLimit: ['none', '1 MiB/s', '1 bit/s'],
  stallTimeout: ['1 ms', '50 ms', '1 s', '30 s'],
  retry: [{ attempts: 1 }, { attempts: 3, backoff: '10 ms' }, { attempts: 2, backoff: '2 s' }],
  /** fault times and gaps, s */
  faultTime: [0, 1e-4, 1e-3, 5e-3, 0.02, 0.1, 1, 5, 40],
  faultCapacity: ['0 B/s', '0 B/s', '1 bit/s', '1 Mbit/s', '100 Gbit/s'],
};

const featureVm = fc.record({
  memory: fc.constantFrom(...FEATURE_VALUES.memory),
  dirtyRate: fc.constantFrom(...FEATURE_VALUES.dirtyRate),
  hotSet: fc.constantFrom(...FEATURE_VALUES.hotSet),
  hotFraction: fc.constantFrom(0, 0.5, 0.99, 1),
  pattern: fc.constantFrom('random', 'sequential'),
  disk: fc.option(fc.record({ size: fc.constantFrom(...FEATURE_VALUES.diskSize), writeRate: fc.constantFrom(...FEATURE_VALUES.diskWriteRate) }), { freq: 2 }),
});

/** A migration's optional fields: each present or not. */
const featureMigration = fc.record(
  {
    strategy: fc.constantFrom('precopy', 'precopy', 'hybrid', 'hybrid', 'postcopy', 'stop-and-copy'),
    convergenceCheck: fc.constantFrom('qemu', 'qemu', 'round-end'),
    downtimeLimit: fc.constantFrom(...FEATURE_VALUES.downtimeLimit),
    maxRounds: fc.constantFrom(...FEATURE_VALUES.maxRounds),
    autoConverge: fc.boolean(),
    optimizations: fc.constantFrom(...FEATURE_VALUES.optimizations),
    hybrid: fc.constantFrom(...FEATURE_VALUES.hybrid),
    storage: fc.constantFrom('snapshot', 'dirty-block', 'mirror', 'shared'),
    storageOrder: fc.constantFrom('before', 'concurrent'),
    diskWriteLimit: fc.constantFrom(...FEATURE_VALUES.diskWriteLimit),
    maxBandwidth: fc.constantFrom(...FEATURE_VALUES.maxBandwidth),
    stallTimeout: fc.constantFrom(...FEATURE_VALUES.stallTimeout),
    retry: fc.constantFrom(...FEATURE_VALUES.retry),
    at: fc.constantFrom('0 s', '1 ms', '30 ms'),
    prepaging: fc.boolean(),
    // Mobile IPv4's traffic goes round a triangle of two routes joined (route-book.ts), re-routed leg by leg.
    addressing: fc.constantFrom('l2', 'mobile-ipv4', 'vxlan', 'sdn'),
  },
  { requiredKeys: [] },
);

/** A fault episode: what happens to one target, from `at`, with `gap` seconds between its steps. */
const faultEpisode = fc.record({
  what: fc.constantFrom('down-up', 'down-up', 'flap', 'down', 'degrade-back', 'degrade-back', 'degrade', 'crash', 'up-alone', 'host-down-up'),
  target: fc.nat(),
  at: fc.constantFrom(...FEATURE_VALUES.faultTime),
  gap: fc.constantFrom(...FEATURE_VALUES.faultTime),
  capacity: fc.constantFrom(...FEATURE_VALUES.faultCapacity),
});

/** The faults of an episode on `setting`'s cables and hosts; `restored` is the capacity a degraded cable gets back. */
function faultsOf(episode, setting, restored) {
  const { what, target, at, gap, capacity } = episode;
  const [from, to] = setting.cables[target % setting.cables.length];
  const cable = { from, to };
  const hosts = [...setting.sources, ...setting.destinations];
  const host = hosts[target % hosts.length];
  switch (what) {
    case 'down-up':
      return [{ at, kind: 'link-down', target: cable }, { at: at + gap, kind: 'link-up', target: cable }];
    case 'flap':
      return [0, 1, 2, 3].map((i) => ({ at: at + i * gap, kind: i % 2 === 0 ? 'link-down' : 'link-up', target: cable }));
    case 'down':
      return [{ at, kind: 'link-down', target: cable }];
    case 'degrade-back':
      return [{ at, kind: 'degrade', target: cable, capacity }, { at: at + gap, kind: 'degrade', target: cable, capacity: restored }];
    case 'degrade':
      return [{ at, kind: 'degrade', target: cable, capacity }];
    case 'crash':
      return [{ at, kind: 'host-crash', target: host }, ...(gap < 1 ? [{ at: at + gap, kind: 'link-up', target: host }] : [])];
    case 'up-alone':
      return [{ at, kind: 'link-up', target: cable }];
    default:
      return [{ at, kind: 'link-down', target: host }, { at: at + gap, kind: 'link-up', target: host }];
  }
}

/**
 * Small scenarios aimed at the convergence check (`convergenceCheck: qemu` at its edges: downtimeLimit 0, one-page
 * memory, huge dirty rates, links near zero, maxRounds 1, hybrid bounds, auto-converge, deferred hot pages, local
 * disks), at fault sequences (a link up after down, degrade to 0 and back, a crash mid-copy, stall timers, retry)
 * and at the utilization series every run records. Most validate and run; `checks: true` turns the end-of-run
 * invariants on whatever MIGNET_CHECKS says. A few get one mutation on top.
 */
const featureCase = fc
  .record({
    topology: fc.constantFrom('twoPaths', 'twoPaths', 'fatTree'),
    capacity: fc.constantFrom(...FEATURE_VALUES.capacity),
    latency: fc.constantFrom(...FEATURE_VALUES.latency),
    vms: fc.array(fc.record({ vm: featureVm, migration: featureMigration, to: fc.nat(), after: fc.boolean() }), { minLength: 1, maxLength: 3 }),
    defaults: fc.record({ convergenceCheck: fc.constantFrom('qemu', 'round-end'), strategy: fc.constantFrom('precopy', 'hybrid', 'postcopy') }, { requiredKeys: [] }),
    faults: fc.array(faultEpisode, { maxLength: 3 }),
    traffic: fc.constantFrom([], [], [{ rate: '1 Gbit/s', duration: '50 ms' }], [{ size: '1 MiB', start: '1 ms' }], [{ from: 'v0', rate: '100 Mbit/s' }]),
    schedule: fc.constantFrom(undefined, 'parallel', 'sequential'),
    mutations: fc.oneof({ arbitrary: fc.constant(null), weight: 4 }, { arbitrary: fc.array(mutation, { minLength: 1, maxLength: 1 }), weight: 1 }),
  })
  .map(({ topology, capacity, latency, vms, defaults, faults, traffic, schedule, mutations }) => {
    const setting = featureTopology(topology, capacity, latency);
    const document = {
      name: 'fuzz-features',
      checks: true,
      // A few migrations need a few thousand events; a keep-alive storm over a slow link (README, "Limits of the
      // model") would take the whole budget: stop it early, so that these cases cost what the others do.
      limits: { maxEvents: 10_000 },
      topology: setting.topology,
      defaults: { migration: defaults },
      vms: vms.map(({ vm }, i) => {
        const { memory, dirtyRate, hotSet, hotFraction, pattern, disk } = vm;
        const hot = hotSet === undefined || hotSet[1] > memory[1] ? {} : { hotSet: hotSet[0], hotFraction };
        const workload = { dirtyRate, pattern, ...hot };
        return { id: `v${i}`, host: setting.sources[i % setting.sources.length], memory: memory[0], workload, ...(disk === null ? {} : { disk }) };
      }),
      migrations: vms.map(({ vm, migration, to, after }, i) => {
        // A disk's storage mode on a VM without a disk is a config error the mutated cases find: left out here.
        const { storage, ...rest } = migration;
        return {
          vm: `v${i}`,
          to: setting.destinations[to % setting.destinations.length],
          ...rest,
          ...(storage === undefined || (vm.disk === null && storage !== 'shared') ? {} : { storage }),
          ...(after && i > 0 ? { after: [`v${i - 1}`] } : {}),
        };
      }),
      faults: faults.flatMap((episode) => faultsOf(episode, setting, topology === 'fatTree' ? capacity : '10 Gbit/s')),
      traffic: traffic.map((flow) => ({ from: setting.sources[1], to: setting.destinations[1], ...flow })),
      ...(schedule === undefined ? {} : { schedule: { policy: schedule } }),
    };
    const file = 'fuzz-features.yaml';
    return { kind: 'document', file, document: mutations === null ? document : mutate(document, mutations), origin: 'features' };
  });

// ---- issue 17: inputs at the size limits ----

const TWO_HOSTS = {
  kind: 'graph',
  nodes: [{ id: 'a', kind: 'host' }, { id: 'b', kind: 'host' }, { id: 's', kind: 'switch' }],
  links: [{ from: 'a', to: 's', ...LINK }, { from: 's', to: 'b', ...LINK }],
};

/** `after` chains: each migration waits for the next in file order (valid), or a cycle, thousands long. */
const chainCase = fc.record({ count: fc.integer({ min: 2, max: 20_000 }), cycle: fc.boolean() }).map(({ count, cycle }) => {
  const vms = Array.from({ length: count }, (_, i) => ({ id: `v${i}`, host: 'a', memory: '1 MiB' }));
  const migrations = Array.from({ length: count }, (_, i) => {
    const next = cycle ? (i + 1) % count : i + 1;
    return { vm: `v${i}`, to: 'b', ...(next < count && (cycle || i + 1 < count) ? { after: [`v${next}`] } : {}) };
  });
  const document = { topology: TWO_HOSTS, hosts: { cores: 1_000_000, memory: '1 PiB' }, vms, migrations };
  return { kind: 'document', file: 'chain.yaml', document, origin: `after ${cycle ? 'cycle' : 'chain'} of ${count}` };
});

/** Migrations over one cable a fault list takes down and up again many times. */
const flapCase = fc
  .record({ migrations: fc.integer({ min: 1, max: 200 }), flaps: fc.integer({ min: 1, max: 3_000 }), strategy: fc.constantFrom('precopy', 'postcopy', 'hybrid', 'stop-and-copy'), retry: fc.boolean() })
  .map(({ migrations, flaps, strategy, retry }) => {
    const vms = Array.from({ length: migrations }, (_, i) => ({ id: `v${i}`, host: 'a', memory: '16 MiB', workload: { dirtyRate: '1 MiB/s' } }));
    const faults = [];
    for (let i = 0; i < flaps; i++) {
      faults.push({ at: `${2 * i + 1} ms`, kind: 'link-down', target: { from: 's', to: 'b' } });
      faults.push({ at: `${2 * i + 2} ms`, kind: 'link-up', target: { from: 's', to: 'b' } });
    }
    const document = {
      topology: TWO_HOSTS,
      hosts: { cores: 1_000, memory: '1 PiB' },
      defaults: { migration: { strategy, stallTimeout: '5 ms', ...(retry ? { retry: { attempts: 3, backoff: '1 ms' } } : {}) } },
      vms,
      migrations: vms.map((vm) => ({ vm: vm.id, to: 'b' })),
      faults,
    };
    return { kind: 'document', file: 'flaps.yaml', document, origin: `${migrations} ${strategy} migrations × ${flaps} flaps` };
  });

/** Lists far longer than the limits, and mappings of many unknown keys. */
const hugeListCase = fc
  .record({ count: fc.integer({ min: 100_001, max: 400_000 }), what: fc.constantFrom('vms', 'migrations', 'traffic', 'keys') })
  .map(({ count, what }) => {
    const document = { topology: TWO_HOSTS };
    if (what === 'keys') for (let i = 0; i < count; i++) document[`unknown${i}`] = i;
    else document[what] = new Array(count).fill(1);
    return { kind: 'document', file: 'huge.yaml', document, origin: `${count} ${what}` };
  });

const RESERVED_NAMES = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__', 'isPrototypeOf', 'a->b', 'b->', '->'];

/** Graph nodes named like Object members or holding `->`, as hosts and switches, with VMs moving among them. */
const reservedNamesCase = fc
  .record({ names: fc.shuffledSubarray(RESERVED_NAMES, { minLength: 3 }), hub: fc.constantFrom(...RESERVED_NAMES, 'hub'), fault: fc.boolean() })
  .map(({ names, hub, fault }) => {
    const hosts = names.filter((id) => id !== hub);
    const document = {
      topology: { kind: 'graph', nodes: [...hosts.map((id) => ({ id, kind: 'host' })), { id: hub, kind: 'switch' }], links: hosts.map((id) => ({ from: id, to: hub, ...LINK })) },
      hosts: { overrides: Object.fromEntries(hosts.slice(0, 1).map((id) => [id, { cores: 64 }])) },
      vms: hosts.map((host) => ({ id: host, host, memory: '64 MiB' })),
      migrations: hosts.map((host, i) => ({ vm: host, to: hosts[(i + 1) % hosts.length] })),
      ...(fault ? { faults: [{ at: '1 ms', kind: 'link-down', target: { from: hosts[0], to: hub } }] } : {}),
    };
    return { kind: 'document', file: 'reserved.yaml', document, origin: `reserved names ${names.join(' ')}` };
  });

// ---- cases ----

/**
 * One fuzz case over `bases` ({ name, document, file? }): a document given in-process, a text parsed as a
 * scenario file, or the bytes of a file. `file` is the name errors are reported under (and where a graphml
 * topology's file is looked for).
 */
export function fuzzCase(bases) {
  const base = fc.nat({ max: bases.length - 1 }).map((i) => bases[i]);
  const mutated = fc
    .record({ base, mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }) })
    .map(({ base, mutations }) => ({ kind: 'document', file: base.file ?? `${base.name}.yaml`, document: mutate(base.document, mutations), origin: `${base.name} mutated` }));
  const plausible = fc
    .record({ base, mutations: fc.array(fc.record({ op: fc.constant('set'), pick: fc.nat(), value: plausibleValue }), { maxLength: 2 }), knobs: fc.array(knob, { maxLength: 4 }) })
    .map(({ base, mutations, knobs }) => {
      const document = mutate(base.document, mutations);
      for (const { at, value } of knobs) setDeep(document, at, clone(value));
      return { kind: 'document', file: base.file ?? `${base.name}.yaml`, document, origin: `${base.name} plausible` };
    });
  const extreme = fc
    .record({ base, extremes: fc.array(extremeValue, { minLength: 1, maxLength: 3 }) })
    .map(({ base, extremes }) => {
      const document = mutate(base.document, []);
      for (const { at, value } of extremes) {
        const parent = getAt(document, at.slice(0, -1));
        if (isContainer(parent) || at.length === 1) setAt(document, at, value);
      }
      return { kind: 'document', file: base.file ?? `${base.name}.yaml`, document, origin: `${base.name} extreme` };
    });
  const randomDocument = fc
    .oneof(
      fc.dictionary(fc.constantFrom(...KNOWN_KEYS.slice(0, 15)), anyValue, { maxKeys: 6 }),
      fc.object({ maxDepth: 3 }),
      fc.anything({ maxDepth: 3, withNullPrototype: true, withObjectString: true }),
      randomJson,
    )
    .map((document) => ({ kind: 'document', file: 'random.yaml', document, origin: 'random document' }));
  const text = fc
    .record({ base, mutations: fc.array(mutation, { maxLength: 2 }), format: fc.constantFrom('yaml', 'json'), edits: fc.array(textEdit, { maxLength: 3 }) })
    .map(({ base, mutations, format, edits }) => {
      // No nesting, and no swaps: a path swapped with one inside it makes a cycle, which neither JSON nor YAML
      // without aliases can write (the serializer itself would overflow its stack).
      const document = mutate(base.document, mutations.filter((m) => m.op !== 'nest' && m.op !== 'swap'));
      return { kind: 'text', file: base.file ?? `${base.name}.${format}`, text: editText(serialize(document, format), edits), origin: `${base.name} ${format} text` };
    });
  const attack = yamlAttack.map((text) => ({ kind: 'text', file: 'attack.yaml', text, origin: 'YAML attack' }));
  const bytes = binaryFile.map((data) => ({ kind: 'bytes', file: 'binary.yaml', bytes: data, origin: 'binary file' }));
  return fc.oneof(
    { arbitrary: mutated, weight: 35 },
    { arbitrary: plausible, weight: 10 },
    { arbitrary: extreme, weight: 15 },
    { arbitrary: text, weight: 18 },
    { arbitrary: randomDocument, weight: 10 },
    { arbitrary: attack, weight: 10 },
    { arbitrary: bytes, weight: 5 },
    { arbitrary: featureCase, weight: 12 },
    // issue 17
    { arbitrary: chainCase, weight: 1 },
    { arbitrary: flapCase, weight: 2 },
    { arbitrary: hugeListCase, weight: 1 },
    { arbitrary: reservedNamesCase, weight: 2 },
  );
}
