import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attributeMigrationPower } from '../../src/power/energy-meter.js';
import {
  MIGRATION_COPY_BYTES_PER_CORE_S,
  cpuSecondsPerPayloadByte,
  migrationCoreDemand,
  migrationCpuLimitedRate,
  migrationCpuWork,
  streamCpuSecondsPerByte,
  type StreamCost,
} from '../../src/power/migration-cpu.js';
import { CIPHER_NAMES } from '../../src/security/ciphers.js';

// QEMU qatzip-compression.rst, "none": 330240 pages/s × 4096 B = 1352663040 B/s at 45 % CPU sending and
// 85 % receiving: 1352663040 / 0.45 = 3005917866.7 B/s and 1352663040 / 0.85 = 1591368282.4 B/s per core.
const SEND = 3005917866.6667;
const RECEIVE = 1591368282.3529;
// A plain 1e9-byte stream, no optimization work.
const PLAIN: StreamCost = { payloadBytes: 1e9, senderCpuSeconds: 0, receiverCpuSeconds: 0 };

describe('copy cost of the plain migration path', () => {
  it('is derived from QEMU\'s measured multifd "none" row', () => {
    expect(MIGRATION_COPY_BYTES_PER_CORE_S.sendBytesPerS).toBeCloseTo(SEND, 3);
    expect(MIGRATION_COPY_BYTES_PER_CORE_S.receiveBytesPerS).toBeCloseTo(RECEIVE, 3);
  });

  it('charges 1 / throughput per payload byte on each host', () => {
    // 1e9 B: 1e9 / 3.0059e9 = 0.332677 core-s sending, 1e9 / 1.5914e9 = 0.628390 core-s receiving.
    const work = migrationCpuWork(PLAIN);
    expect(work.senderCpuSeconds).toBeCloseTo(0.332677, 6);
    expect(work.receiverCpuSeconds).toBeCloseTo(0.62839, 5);
  });

  it('adds the optimizations\' own work from page-cost.ts unchanged', () => {
    // A send with 2 core-s of compression and 0.5 core-s of decompression on top of the copy.
    const work = migrationCpuWork({ payloadBytes: 1e9, senderCpuSeconds: 2, receiverCpuSeconds: 0.5 });
    expect(work.senderCpuSeconds).toBeCloseTo(2 + 1e9 / SEND, 9);
    expect(work.receiverCpuSeconds).toBeCloseTo(0.5 + 1e9 / RECEIVE, 9);
  });

  it('adds the cipher per payload byte', () => {
    // AES-128-GCM: + 1e9 / 6.249125e9 = 0.160022 core-s sending, + 1e9 / 6.3345e9 = 0.157866 receiving.
    const work = migrationCpuWork(PLAIN, { cipher: 'aes-128-gcm' });
    expect(work.senderCpuSeconds).toBeCloseTo(0.332677 + 0.160022, 5);
    expect(work.receiverCpuSeconds).toBeCloseTo(0.62839 + 0.157866, 5);
  });

  it('takes overrides', () => {
    expect(streamCpuSecondsPerByte({ copy: { sendBytesPerS: 1e9 } }).sender).toBeCloseTo(1e-9, 20);
    expect(() => streamCpuSecondsPerByte({ copy: { receiveBytesPerS: 0 } })).toThrow(/not positive/);
  });
});

describe('CPU-limited stream rate', () => {
  it('is capped by the receiver on one core without encryption', () => {
    // min(1 / (1/SEND), 1 / (1/RECEIVE)) = RECEIVE = 1.5914e9 B/s = 12.7 Gbit/s.
    expect(migrationCpuLimitedRate(PLAIN, 1, 1)).toBeCloseTo(RECEIVE, 0);
    expect(migrationCpuLimitedRate(PLAIN, 2, 2)).toBeCloseTo(2 * RECEIVE, 0);
  });

  it('is stretched by a cipher slower than a 10 Gbit/s link', () => {
    // ChaCha20-Poly1305 at 2.89e9 B/s: receiver 1 / (1/1.5914e9 + 1/2.89e9) = 1.02626e9 B/s < 1.25e9 B/s.
    const rate = migrationCpuLimitedRate(PLAIN, 1, 1, { cipher: 'chacha20-poly1305' });
    expect(rate).toBeCloseTo(1 / (1 / RECEIVE + 1 / 2.89e9), 0);
    expect(rate / 1e9).toBeCloseTo(1.02626, 4);
    expect(rate).toBeLessThan(1.25e9);
  });

  it('uses the per-byte copy and cipher for an empty send', () => {
    const empty: StreamCost = { payloadBytes: 0, senderCpuSeconds: 0, receiverCpuSeconds: 0 };
    expect(cpuSecondsPerPayloadByte(empty)).toEqual(streamCpuSecondsPerByte());
    expect(migrationCpuLimitedRate(empty, 1, 1)).toBeCloseTo(RECEIVE, 0);
  });

  it('refuses negative cores', () => {
    expect(() => migrationCpuLimitedRate(PLAIN, -1, 1)).toThrow(/sender -1 cores/);
  });
});

describe('core demand and migration power', () => {
  it('is the work per byte times the rate', () => {
    // At 1e9 B/s: 1e9 / SEND = 0.3327 cores sending, 1e9 / RECEIVE = 0.6284 cores receiving.
    const demand = migrationCoreDemand(PLAIN, 1e9);
    expect(demand.sender).toBeCloseTo(0.332677, 6);
    expect(demand.receiver).toBeCloseTo(0.62839, 5);
  });

  it('costs more energy with encryption than without (property)', () => {
    // Same bytes and rate: every cipher adds core demand, hence power on a linear host, hence energy.
    fc.assert(
      fc.property(fc.constantFrom(...CIPHER_NAMES.filter((name) => name !== 'none')), fc.double({ min: 1e6, max: 1e10, noNaN: true }), (cipher, rate) => {
        const model = { kind: 'linear' as const, idleW: 100, maxW: 250 };
        const plain = migrationCoreDemand(PLAIN, rate);
        const encrypted = migrationCoreDemand(PLAIN, rate, { cipher });
        const [plainW] = attributeMigrationPower(model, 1e6, 0, [plain.sender]);
        const [encryptedW] = attributeMigrationPower(model, 1e6, 0, [encrypted.sender]);
        return encrypted.sender > plain.sender && encrypted.receiver > plain.receiver && (encryptedW ?? 0) > (plainW ?? 0);
      }),
    );
  });
});
