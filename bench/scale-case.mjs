// One case of the scaling table (bench/run.mjs runs each in a fresh process so its peak RSS is its own).
// Usage: node bench/scale-case.mjs <case name>   — prints one JSON line of figures.
// Cases (issue 14): flows started at once or arriving as a Poisson process on a 512-host leaf-spine
// (32 leaves × 16 hosts, 16 spines, 10 Gbit/s, 1 us links; exponential sizes of mean 1 MB; a 4 MiB TCP
// window as SimGrid's CM02 TCP_gamma default), and precopy evacuations of fat-trees.
// Counters: FlowNetwork's own (re-solves, flows re-solved) and, through every flow's onRate, the number of
// rate changes (the flows whose rate actually changed, summed over re-solves; a flow's final stop excluded).
import { performance } from 'node:perf_hooks';
import { parseScenarioDocument } from '../dist/config/index.js';
import { runScenario } from '../dist/engine/run-scenario.js';
import { Simulator } from '../dist/engine/simulator.js';
import { FlowNetwork } from '../dist/transport/flow-network.js';
import { buildLeafSpine, Router } from '../dist/topology/index.js';

const MB = 1e6;
const TCP_WINDOW_BYTES = 4 * 2 ** 20; // SimGrid network/TCP-gamma default, 4194304 B
const LINK = { capacityBytesPerS: 10e9 / 8, latencyS: 1e-6 };

/** a seeded 32-bit generator (mulberry32): the bench needs repeatable draws, not src/'s engine */
function generator(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

// Every FlowNetwork made during a case is remembered, and every flow's onRate counted, from the prototype:
// the same bench runs against the code before and after a change of the network's internals.
const networks = [];
let rateChanges = 0;
let flowsStarted = 0;
const originalStart = FlowNetwork.prototype.start;
FlowNetwork.prototype.start = function start(request) {
  if (!networks.includes(this)) networks.push(this);
  flowsStarted++;
  const onRate = request.onRate;
  return originalStart.call(this, {
    ...request,
    onRate: (rate) => {
      rateChanges++;
      onRate?.(rate);
    },
  });
};

function leafSpineFlows(count, poissonLoad) {
  const topology = buildLeafSpine({ kind: 'leaf-spine', leaves: 32, spines: 16, hostsPerLeaf: 16, link: LINK });
  const router = new Router(topology);
  const hosts = topology.graph.nodes().filter((id) => topology.graph.getNodeAttribute(id, 'kind') === 'host');
  const random = generator(14);
  const sim = new Simulator();
  const net = new FlowNetwork(sim, topology.links, TCP_WINDOW_BYTES);
  // Offered load as a fraction of the hosts' access capacity: λ · mean size = load · hosts · capacity.
  const arrivalsPerS = poissonLoad === undefined ? Infinity : (poissonLoad * hosts.length * LINK.capacityBytesPerS) / MB;
  let atS = 0;
  let delivered = 0;
  let lastDeliveredS = 0;
  for (let i = 0; i < count; i++) {
    const from = Math.floor(random() * hosts.length);
    let to = Math.floor(random() * (hosts.length - 1));
    if (to >= from) to++;
    const bytes = -MB * Math.log(1 - random());
    if (arrivalsPerS < Infinity) atS += -Math.log(1 - random()) / arrivalsPerS;
    const path = router.route(hosts[from], hosts[to], `f${i}`);
    sim.at(atS, () =>
      net.start({ path, wireBytes: bytes, onDelivered: () => { delivered++; lastDeliveredS = sim.nowS; } }),
    );
  }
  sim.run();
  if (delivered !== count) throw new Error(`${delivered} of ${count} flows delivered`);
  return { events: sim.eventsProcessed, makespanS: lastDeliveredS };
}

/** `count` precopy migrations from the first half of the pods to the mirror host in the other half. */
function fatTreeEvacuation(k, count) {
  const half = k / 2;
  const vms = [];
  const migrations = [];
  const sources = [];
  for (let pod = 0; pod < half; pod++) for (let edge = 0; edge < half; edge++) for (let i = 0; i < half; i++) sources.push([pod, edge, i]);
  for (let v = 0; v < count; v++) {
    const [pod, edge, i] = sources[v % sources.length];
    vms.push({
      id: `vm${v}`,
      host: `h${pod}-${edge}-${i}`,
      memory: `${1 + (v % 4)} GiB`,
      workload: { dirtyRate: `${(v * 7) % 61} MB/s`, hotSet: '256 MiB', hotFraction: 0.9 },
    });
    migrations.push({ vm: `vm${v}`, to: `h${pod + half}-${edge}-${i}`, at: `${(v % 10) * 0.45} s` });
  }
  const document = {
    name: `fat-tree k=${k}, ${count} precopy migrations`,
    topology: { kind: 'fat-tree', k, link: { capacity: '10 Gbit/s', latency: '2 us' } },
    defaults: { migration: { strategy: 'precopy' } },
    hosts: { cores: 1024, memory: '64 TiB' },
    vms,
    migrations,
  };
  return document;
}

/**
 * The k=16 case of issue 14: 1000 precopy migrations (1–4 GiB, 0–60 MB/s dirtying, starting over 0–4.5 s) from
 * the first half of the pods to the second, with 500 background flows of 1 Gbit/s for 120 s between random hosts.
 */
function k16MigrationsAndTraffic() {
  const k = 16;
  const half = k / 2;
  const random = generator(16);
  const host = (pod, edge, i) => `h${pod}-${edge}-${i}`;
  const sources = [];
  for (let pod = 0; pod < half; pod++) for (let edge = 0; edge < half; edge++) for (let i = 0; i < half; i++) sources.push([pod, edge, i]);
  const vms = [];
  const migrations = [];
  for (let v = 0; v < 1000; v++) {
    const [pod, edge, i] = sources[v % sources.length];
    vms.push({
      id: `vm${v}`,
      host: host(pod, edge, i),
      memory: `${1 + Math.floor(random() * 4)} GiB`,
      workload: { dirtyRate: `${Math.round(random() * 60)} MB/s`, hotSet: '256 MiB', hotFraction: 0.9 },
    });
    migrations.push({ vm: `vm${v}`, to: host(pod + half, edge, i), at: `${(random() * 4.5).toFixed(3)} s` });
  }
  const anyHost = () => host(Math.floor(random() * k), Math.floor(random() * half), Math.floor(random() * half));
  const traffic = [];
  for (let f = 0; f < 500; f++) {
    const from = anyHost();
    let to = anyHost();
    while (to === from) to = anyHost();
    traffic.push({ from, to, rate: '1 Gbit/s', duration: '120 s' });
  }
  return {
    name: 'fat-tree k=16, 1000 precopy migrations and 500 background flows',
    topology: { kind: 'fat-tree', k, link: { capacity: '10 Gbit/s', latency: '2 us' } },
    defaults: { migration: { strategy: 'precopy' } },
    hosts: { cores: 1024, memory: '64 TiB' },
    vms,
    traffic,
    migrations,
  };
}

function runDocument(document) {
  const results = runScenario(parseScenarioDocument(document, '(bench)'));
  return { events: results.run.events, makespanS: results.run.simulatedTime };
}

const CASES = {
  'at-once 1k': () => leafSpineFlows(1_000),
  'at-once 3k': () => leafSpineFlows(3_000),
  'at-once 10k': () => leafSpineFlows(10_000),
  'poisson 1k': () => leafSpineFlows(1_000, 0.5),
  'poisson 10k': () => leafSpineFlows(10_000, 0.5),
  'poisson 100k': () => leafSpineFlows(100_000, 0.5),
  'migrations 1k k=16': () => runDocument(fatTreeEvacuation(16, 1_000)),
  'migrations 4k k=32': () => runDocument(fatTreeEvacuation(32, 4_000)),
  'migrations 10k k=48': () => runDocument(fatTreeEvacuation(48, 10_000)),
  'k=16 1k migrations + 500 flows': () => runDocument(k16MigrationsAndTraffic()),
};

// `--document`: print the scenario of a case as JSON instead of running it (to run it with `mignet run`).
if (process.argv[3] === '--document') {
  const documents = { 'k=16 1k migrations + 500 flows': k16MigrationsAndTraffic };
  console.log(JSON.stringify(documents[process.argv[2]](), null, 1));
  process.exit(0);
}

const name = process.argv[2];
const run = CASES[name];
if (run === undefined) {
  console.error(`unknown case ${JSON.stringify(name)} (expected one of: ${Object.keys(CASES).join(', ')})`);
  process.exit(2);
}
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const { events, makespanS } = run();
const wallS = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
// on a shared machine the wall time counts the others' load too; user + system CPU time does not
const cpuS = (cpu.user + cpu.system) / 1e6;
const resolves = networks.reduce((sum, net) => sum + net.resolveCount, 0);
const resolvedFlows = networks.reduce((sum, net) => sum + net.resolvedFlowCount, 0);
console.log(
  JSON.stringify({
    case: name,
    wallS,
    cpuS,
    events,
    resolves,
    resolvedFlows,
    // each flow reports its final stop (rate 0) once; what is left are changes made by re-solves
    rateChanges: Math.max(0, rateChanges - flowsStarted),
    makespanS,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  }),
);
