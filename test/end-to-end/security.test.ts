// Encryption, policy and exposure, end to end: what a cipher costs on the wire and in time, which migrations
// the policy refuses (with a reason naming the rule, the rest of the run going on), and the bytes an
// unencrypted migration leaves on untrusted links.
import { describe, expect, it } from 'vitest';
import type { Results } from '../../src/engine/results.js';
import { formatSummary } from '../../src/report/summary-table.js';
import { expectClose, graph, migrationOf, ROUND_END_RULES, run, WIRE_FACTOR } from './helpers.js';

/** Stream bytes of 1 GiB of plain pages: an 8-byte header per 4096-byte page. */
const S = (2 ** 30 * 4104) / 4096;
/** Payload per packet at the default 1500-byte MTU, and the default per-packet headers. */
const P = 1460;
const H = 78;

/** a — s — b at `capacity`, 1 us per link (path latency L = 2 us); one 1 GiB VM moving a → b by
 * stop-and-copy. Its total time is the data's, then the last byte's flight L, then the gratuitous ARP's L
 * (addressing l2, the default): + 4 us. */
function loneLink(migration: Record<string, unknown>, capacity = '1 Gbit/s'): Record<string, unknown> {
  return {
    topology: graph(['a', 'b'], ['s'], [['a', 's'], ['s', 'b']], { capacity, latency: '1 us' }),
    defaults: { migration: { ...ROUND_END_RULES, strategy: 'stop-and-copy' } },
    vms: [{ id: 'vm1', host: 'a', memory: '1 GiB' }],
    migrations: [{ vm: 'vm1', to: 'b', ...migration }],
  };
}

describe('encryption on the wire', () => {
  // Payload (memory and stream bytes) stays the same; every packet carries the ESP bytes, every TLS record
  // 22 B (ciphers.ts):
  //   esp-transport: wire = S·(P + H + 36)/P    esp-tunnel: S·(P + H + 56)/P    tls: S·(1 + 22/16384)·(P + H)/P
  const plain = migrationOf(run(loneLink({ copyThroughput: { send: 'none', receive: 'none' } })), 'vm1');

  it.each([
    ['esp-transport', ((P + H + 36) / P)],
    ['esp-tunnel', ((P + H + 56) / P)],
    ['tls', (1 + 22 / 16384) * WIRE_FACTOR],
  ])('%s: wire bytes grow by exactly the framing, payload bytes stay', (mode, factor) => {
    const results = run(loneLink({ encryption: 'aes-128-gcm', encryptionMode: mode, copyThroughput: { send: 'none', receive: 'none' } }));
    const migration = migrationOf(results, 'vm1');
    expectClose(plain.bytes.wire, S * WIRE_FACTOR, 'plain wire');
    expectClose(migration.bytes.wire, S * factor, `${mode} wire`);
    expect(migration.bytes.memory).toBe(plain.bytes.memory);
    expect(migration.phases.map((p) => p.bytes.stream)).toEqual(plain.phases.map((p) => p.bytes.stream));
    // On a 1 Gbit/s link (the cipher, 6.2e9 B/s per core, is far faster) the time grows by the same factor.
    expectClose(migration.totalTime - 4e-6, (S * factor) / 1.25e8, `${mode} time`);
  });
});

describe('the stream cannot outrun the cores given to it', () => {
  it('a cipher slower than a fast link stretches the migration to the cipher\'s rate', () => {
    // 100 Gbit/s = 1.25e10 B/s of wire; ChaCha20-Poly1305 encrypts and decrypts 2.89e9 B/s on one core
    // (ciphers.ts). With the copy's cost set aside, the payload runs at 2.89e9 B/s: S / 2.89e9 + 4 us.
    const free = { copyThroughput: { send: 'none', receive: 'none' } };
    const plain = migrationOf(run(loneLink(free, '100 Gbit/s')), 'vm1');
    const chacha = migrationOf(run(loneLink({ ...free, encryption: 'chacha20-poly1305' }, '100 Gbit/s')), 'vm1');
    expectClose(plain.totalTime, (S * WIRE_FACTOR) / 1.25e10 + 4e-6, 'plain: the link\'s rate');
    expectClose(chacha.totalTime, S / 2.89e9 + 4e-6, 'chacha20: the cipher\'s rate');
    // Two cores: twice the cipher's rate, still below the link's.
    const twoCores = migrationOf(run(loneLink({ ...free, encryption: 'chacha20-poly1305', cores: 2 }, '100 Gbit/s')), 'vm1');
    expectClose(twoCores.totalTime, S / (2 * 2.89e9) + 4e-6, 'two cores');
  });

  it('with the copy path\'s own cost, one core sustains 1 / (1/copy + 1/cipher) on the slower end', () => {
    // QEMU's measured copy (migration-cpu.ts): 3.006e9 B/s sending and 1.591e9 B/s receiving per core. The
    // receiver is the bound: 1 / (1/1.5914e9 + 1/2.89e9) = 1.0263e9 B/s with ChaCha20, 1.5914e9 B/s without.
    const receive = (330240 * 4096) / 0.85;
    const plain = migrationOf(run(loneLink({}, '100 Gbit/s')), 'vm1');
    const chacha = migrationOf(run(loneLink({ encryption: 'chacha20-poly1305' }, '100 Gbit/s')), 'vm1');
    expectClose(plain.totalTime, S / receive + 4e-6, 'plain, one core', 1e-9);
    expectClose(chacha.totalTime, S * (1 / receive + 1 / 2.89e9) + 4e-6, 'chacha20, one core', 1e-9);
    // On a 10 Gbit/s link (1.187e9 B/s of payload) one core keeps up without a cipher: the link's rate.
    const tenGig = migrationOf(run(loneLink({}, '10 Gbit/s')), 'vm1');
    expectClose(tenGig.totalTime, (S * WIRE_FACTOR) / 1.25e9 + 4e-6, '10 Gbit/s, plain');
  });

  it('cipher throughputs can be overridden per migration', () => {
    const slow = migrationOf(
      run(loneLink({ encryption: 'aes-128-gcm', cipherThroughput: { encrypt: '100 MB/s' }, copyThroughput: { send: 'none', receive: 'none' } })),
      'vm1',
    );
    // Encryption at 1e8 B/s is below the link's 1.25e8 / 1.0534 B/s of payload: S / 1e8 + 4 us.
    expectClose(slow.totalTime, S / 1e8 + 4e-6, 'encrypt at 100 MB/s');
  });
});

/**
 * Two sites a and b (graph sites, each a gateway gw and hosts h1, h2), joined by a 1 Gbit/s WAN link of 1 ms
 * that is untrusted unless `trustedWan`.
 */
function twoSites(vms: Record<string, unknown>[], migrations: Record<string, unknown>[], extra: Record<string, unknown> = {}): Results {
  const site = (name: string): Record<string, unknown> => ({
    name,
    topology: {
      kind: 'graph',
      nodes: [{ id: 'gw', kind: 'gateway' }, { id: 'h1', kind: 'host' }, { id: 'h2', kind: 'host' }],
      links: [
        { from: 'h1', to: 'gw', capacity: '1 Gbit/s', latency: '10 us' },
        { from: 'h2', to: 'gw', capacity: '1 Gbit/s', latency: '10 us' },
      ],
    },
  });
  return run({
    topology: { kind: 'wan', sites: [site('a'), site('b')], wanLinks: [{ from: 'a', to: 'b', capacity: '1 Gbit/s', latency: '1 ms', zone: 'untrusted' }] },
    // Sites are separate subnets: a VM moving between them keeps its address through VXLAN (RFC 7348).
    defaults: { migration: { strategy: 'stop-and-copy', addressing: 'vxlan' } },
    vms,
    migrations,
    ...extra,
  });
}

describe('requireEncryption', () => {
  const vms = [
    { id: 'plain', host: 'a/h1', memory: '256 MiB' },
    { id: 'sealed', host: 'a/h2', memory: '256 MiB' },
    { id: 'local', host: 'b/h1', memory: '256 MiB' },
  ];
  const migrations = [
    { vm: 'plain', to: 'b/h2' },
    { vm: 'sealed', to: 'b/h2', encryption: 'aes-128-gcm' },
    { vm: 'local', to: 'b/h2' },
  ];

  it('untrusted (the default) refuses an unencrypted migration over an untrusted WAN link; the run goes on', () => {
    const results = twoSites(vms, migrations);
    const plain = migrationOf(results, 'plain');
    expect(plain.status).toBe('refused');
    expect(plain.reason).toMatch(/^refused by policy: requireEncryption: untrusted: plain from a\/h1 \(site a\) to b\/h2 \(site b\) crosses untrusted links and is not encrypted/);
    expect(plain.bytes.wire).toBe(0);
    expect(plain.energy).toBe(0);
    // The encrypted one crosses the same link; the unencrypted one inside site b crosses none.
    expect(migrationOf(results, 'sealed').status).toBe('completed');
    expect(migrationOf(results, 'local').status).toBe('completed');
    expect(results.summary).toMatchObject({ completed: 2, refused: 1, exposure: { bytes: 0, linkBytes: 0, migrations: 0 } });
  });

  it('always refuses every unencrypted migration, even inside a site', () => {
    const results = twoSites(vms, migrations, { policy: { requireEncryption: 'always' } });
    expect(results.migrations.map((m) => m.status)).toEqual(['refused', 'completed', 'refused']);
    expect(migrationOf(results, 'local').reason).toMatch(/requireEncryption: always: local .* is not encrypted/);
  });

  it('never lets them through, and the exposure report lists the bytes left on untrusted links', () => {
    const results = twoSites(vms, migrations, { policy: { requireEncryption: 'never' } });
    expect(results.summary.completed).toBe(3);
    const plain = migrationOf(results, 'plain');
    // All its wire bytes crossed the one untrusted link (a/gw → b/gw): exposed once, on one link.
    expect(plain.exposure).toEqual({ bytes: plain.bytes.wire, linkBytes: plain.bytes.wire });
    const wan = results.links.find((link) => link.id === 'a/gw->b/gw');
    expect(wan?.bytes).toBeCloseTo(plain.bytes.wire + migrationOf(results, 'sealed').bytes.wire, 0);
    // Encrypted bytes on the same link, and unencrypted bytes on trusted links, expose nothing.
    expect(migrationOf(results, 'sealed').exposure).toEqual({ bytes: 0, linkBytes: 0 });
    expect(migrationOf(results, 'local').exposure).toEqual({ bytes: 0, linkBytes: 0 });
    expect(results.summary.exposure).toEqual({ bytes: plain.bytes.wire, linkBytes: plain.bytes.wire, migrations: 1 });
    // The terminal summary says so.
    expect(formatSummary(results)).toMatch(/\nexposed {12}\d+\.\d\d MiB unencrypted on untrusted links, by 1 migration$/m);
  });

  it('an untrusted site makes its links untrusted too', () => {
    // Site b untrusted, the WAN link trusted: the path still ends in untrusted links.
    const results = run({
      topology: {
        kind: 'graph',
        nodes: [{ id: 'x', kind: 'host' }, { id: 'y', kind: 'host', zone: 'untrusted' }, { id: 's', kind: 'switch' }],
        links: [{ from: 'x', to: 's', capacity: '1 Gbit/s', latency: '1 us' }, { from: 's', to: 'y', capacity: '1 Gbit/s', latency: '1 us' }],
      },
      vms: [{ id: 'v', host: 'x', memory: '64 MiB' }],
      migrations: [{ vm: 'v', to: 'y' }],
    });
    expect(migrationOf(results, 'v').reason).toMatch(/requireEncryption: untrusted: v from x to y crosses untrusted links/);
  });
});

describe('rules', () => {
  const never = { requireEncryption: 'never' };

  it('deny by tenant and site: "acme\'s VMs never leave site a"', () => {
    const vms = [
      { id: 'acme1', host: 'a/h1', memory: '64 MiB', tenant: 'acme' },
      { id: 'acme2', host: 'a/h2', memory: '64 MiB', tenant: 'acme' },
      { id: 'globex1', host: 'a/h2', memory: '64 MiB', tenant: 'globex' },
    ];
    const migrations = [{ vm: 'acme1', to: 'b/h1' }, { vm: 'acme2', to: 'a/h1', at: '1 s' }, { vm: 'globex1', to: 'b/h1' }];
    const rules = [{ name: 'acme-stays-in-a', deny: { tenant: 'acme', fromSite: 'a', sameSite: false } }];
    const results = twoSites(vms, migrations, { policy: { ...never, rules } });
    expect(migrationOf(results, 'acme1').status).toBe('refused');
    expect(migrationOf(results, 'acme1').reason).toBe(
      'refused by policy: acme-stays-in-a denies acme1 (tenant acme) from a/h1 (site a) to b/h1 (site b) (deny tenant=acme fromSite=a sameSite=false)',
    );
    expect(migrationOf(results, 'acme2').status).toBe('completed'); // inside site a
    expect(migrationOf(results, 'globex1').status).toBe('completed'); // another tenant
  });

  it('allow before deny: "only ops may enter site b"', () => {
    const vms = [
      { id: 'ops1', host: 'a/h1', memory: '64 MiB', tenant: 'ops' },
      { id: 'dev1', host: 'a/h2', memory: '64 MiB', tenant: 'dev' },
      { id: 'anon', host: 'a/h2', memory: '64 MiB' },
    ];
    const migrations = [{ vm: 'ops1', to: 'b/h1' }, { vm: 'dev1', to: 'b/h2' }, { vm: 'anon', to: 'b/h2' }];
    const rules = [{ allow: { tenant: 'ops', toSite: 'b' } }, { deny: { toSite: 'b' } }];
    const results = twoSites(vms, migrations, { policy: { ...never, rules } });
    expect(results.migrations.map((m) => m.status)).toEqual(['completed', 'refused', 'refused']);
    expect(migrationOf(results, 'dev1').reason).toMatch(/^refused by policy: rules\[1\] denies dev1 \(tenant dev\)/);
  });

  it('anti-affinity: no two tenants share a host, counting VMs on their way there', () => {
    // b/h1 runs globex's g1: acme's a1 may not go there. acme's a2 goes to b/h2, and while it is on its way
    // globex's g2 may not follow it there. Once a2 has left a/h2 (which keeps g2, globex), g1 may go there;
    // and once g1 has left b/h1, acme's a3 may take its place.
    const vms = [
      { id: 'g1', host: 'b/h1', memory: '64 MiB', tenant: 'globex' },
      { id: 'a1', host: 'a/h1', memory: '64 MiB', tenant: 'acme' },
      { id: 'a2', host: 'a/h2', memory: '64 MiB', tenant: 'acme' },
      { id: 'g2', host: 'a/h2', memory: '64 MiB', tenant: 'globex' },
      { id: 'a3', host: 'a/h1', memory: '64 MiB', tenant: 'acme' },
    ];
    const migrations = [
      { vm: 'a1', to: 'b/h1' },
      { vm: 'a2', to: 'b/h2' },
      { vm: 'g2', to: 'b/h2' },
      { vm: 'g1', to: 'a/h2', after: ['a2'] },
      { vm: 'a3', to: 'b/h1', after: ['g1'] },
    ];
    const results = twoSites(vms, migrations, { policy: { ...never, rules: [{ name: 'one-tenant-per-host', antiAffinity: 'tenant' }] } });
    expect(results.migrations.map((m) => [m.vm, m.status])).toEqual([
      ['a1', 'refused'],
      ['a2', 'completed'],
      ['g2', 'refused'],
      ['g1', 'completed'],
      ['a3', 'completed'],
    ]);
    expect(migrationOf(results, 'a1').reason).toBe(
      'refused by policy: anti-affinity (one-tenant-per-host): b/h1 runs VMs of tenant globex; a1 belongs to acme and no two tenants may share a host',
    );
    expect(migrationOf(results, 'g2').reason).toMatch(/anti-affinity \(one-tenant-per-host\): b\/h2 runs VMs of tenant acme/);
  });

  it('allowedSources: a command from an unlisted source, or naming a host the VM has left, is refused', () => {
    const vms = [
      { id: 'v1', host: 'a/h1', memory: '64 MiB' },
      { id: 'v2', host: 'b/h1', memory: '64 MiB' },
      { id: 'v3', host: 'a/h2', memory: '64 MiB' },
    ];
    const migrations = [
      { vm: 'v1', to: 'a/h2' }, // source a/h1: in site a, listed
      { vm: 'v2', to: 'b/h2' }, // source b/h1: not listed
      { vm: 'v3', to: 'b/h2', commandSource: 'a/h1' }, // names a/h1, but v3 is on a/h2: replayed
    ];
    const results = twoSites(vms, migrations, { policy: { ...never, rules: [{ name: 'control-plane', allowedSources: ['a'] }] } });
    expect(results.migrations.map((m) => m.status)).toEqual(['completed', 'refused', 'refused']);
    expect(migrationOf(results, 'v2').reason).toMatch(/control plane \(control-plane\): the command names source b\/h1, not among the allowed sources \[a\]/);
    expect(migrationOf(results, 'v3').reason).toMatch(/names source a\/h1 but v3 is on a\/h2: a replayed or stale command/);
  });
});
