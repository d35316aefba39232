import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NetworkSpec } from '../../src/config/scenario.js';
import {
  CIPHERS,
  CIPHER_NAMES,
  DEFAULT_ENCRYPTION_MODE,
  encryptedWireFactor,
  encryptionCpuSecondsPerByte,
  encryptionWireOverhead,
  espOverheadBytes,
  isCipherName,
  type CipherName,
} from '../../src/security/ciphers.js';
import { wireFactor } from '../../src/transport/wire.js';

// The default network: 1500-byte MTU, 78 B of per-packet headers (Ethernet 38 + IPv4 20 + TCP 20), so a
// packet carries p = 1500 − 40 = 1460 B of payload.
const NETWORK: NetworkSpec = { mtuBytes: 1500, headerBytes: 78, tcpWindowBytes: 4 * 2 ** 20 };
const GIB = 2 ** 30;
const ENCRYPTING: CipherName[] = ['aes-128-gcm', 'aes-256-gcm', 'chacha20-poly1305'];

describe('cipher CPU cost', () => {
  it('takes the measured per-core throughputs, Gb/s converted to B/s', () => {
    // aesbench, Xeon Gold 6348: AES-128-GCM encrypt 49.993 Gb/s = 49.993e9 / 8 = 6.249125e9 B/s,
    // decrypt 50.676 Gb/s = 6.3345e9 B/s; AES-256-GCM 43.011 / 42.925 Gb/s = 5.376375e9 / 5.365625e9 B/s.
    expect(CIPHERS['aes-128-gcm'].encryptBytesPerS).toBeCloseTo(6.249125e9, -2);
    expect(CIPHERS['aes-128-gcm'].decryptBytesPerS).toBeCloseTo(6.3345e9, -2);
    expect(CIPHERS['aes-256-gcm'].encryptBytesPerS).toBeCloseTo(5.376375e9, -2);
    expect(CIPHERS['aes-256-gcm'].decryptBytesPerS).toBeCloseTo(5.365625e9, -2);
    // Cloudflare: ChaCha20-Poly1305 ≈ 2.89 GB/s on one Skylake-SP core.
    expect(CIPHERS['chacha20-poly1305'].encryptBytesPerS).toBe(2.89e9);
  });

  it('costs 1 / throughput core-seconds per byte, nothing for none', () => {
    // 1 / 6.249125e9 B/s = 1.60022e-10 s/B: encrypting 1 GiB takes 2^30 × 1.60022e-10 = 0.17182 core-seconds.
    const aes = encryptionCpuSecondsPerByte('aes-128-gcm');
    expect(aes.encryptSecondsPerByte).toBeCloseTo(1.60022e-10, 14);
    expect(GIB * aes.encryptSecondsPerByte).toBeCloseTo(0.17182, 4);
    expect(encryptionCpuSecondsPerByte('none')).toEqual({ encryptSecondsPerByte: 0, decryptSecondsPerByte: 0 });
  });

  it('takes overrides, and refuses a non-positive throughput', () => {
    // A host whose TLS stream only reaches 300 MB/s per core: 1 / 3e8 = 3.333e-9 s/B.
    const slow = encryptionCpuSecondsPerByte('aes-256-gcm', { encryptBytesPerS: 3e8 });
    expect(slow.encryptSecondsPerByte).toBeCloseTo(1 / 3e8, 20);
    expect(slow.decryptSecondsPerByte).toBeCloseTo(1 / CIPHERS['aes-256-gcm'].decryptBytesPerS, 20);
    expect(() => encryptionCpuSecondsPerByte('aes-128-gcm', { decryptBytesPerS: 0 })).toThrow(/not positive/);
  });

  it('has AES-256-GCM slower than AES-128-GCM, by less than the 10/14 round ratio (GHASH is shared)', () => {
    // FIPS 197: 10 rounds for AES-128, 14 for AES-256; raw AES (ECB) in the same table runs at
    // 61.409 / 85.823 = 0.7155 ≈ 10/14 = 0.7143, but GCM at 43.011 / 49.993 = 0.8603.
    const ratio = CIPHERS['aes-256-gcm'].encryptBytesPerS / CIPHERS['aes-128-gcm'].encryptBytesPerS;
    expect(ratio).toBeCloseTo(0.8603, 4);
    expect(ratio).toBeGreaterThan(10 / 14);
    expect(61.409 / 85.823).toBeCloseTo(10 / 14, 2);
  });

  it('names the ciphers of the scenario schema', () => {
    expect([...CIPHER_NAMES]).toEqual(['none', 'aes-128-gcm', 'aes-256-gcm', 'chacha20-poly1305']);
    expect(isCipherName('aes-256-gcm')).toBe(true);
    expect(isCipherName('rc4')).toBe(false);
  });
});

describe('ESP per-packet bytes (RFC 4303, RFC 4106, RFC 7634)', () => {
  it('adds 36 B in transport mode and 56 B in tunnel mode to a full-sized packet', () => {
    // Transport: the TCP segment is MSS 1460 + TCP header 20 = 1480 B. Encrypted part: 1480 + pad + 2
    // (pad length, next header) must be a multiple of 4: 1482 → pad 2. ESP = SPI 4 + seq 4 + IV 8 + pad 2
    // + 2 + ICV 16 = 36 B.
    expect(espOverheadBytes('esp-transport', 1480)).toBe(36);
    // Tunnel: the inner packet is the whole 1500-byte IPv4 packet: 1502 → pad 2, so 36 B + outer IPv4 20 = 56 B.
    expect(espOverheadBytes('esp-tunnel', 1500)).toBe(56);
    expect(encryptionWireOverhead('aes-128-gcm', 'esp-transport')).toEqual({ perPacketBytes: 36, perPayloadByte: 0 });
    expect(encryptionWireOverhead('aes-256-gcm', 'esp-tunnel')).toEqual({ perPacketBytes: 56, perPayloadByte: 0 });
  });

  it('pads the encrypted part to a 4-byte boundary', () => {
    // inner 1481: 1483 → pad 1 → 35 B; inner 1482: 1484 → pad 0 → 34 B; inner 1483: 1485 → pad 3 → 37 B.
    expect(espOverheadBytes('esp-transport', 1481)).toBe(35);
    expect(espOverheadBytes('esp-transport', 1482)).toBe(34);
    expect(espOverheadBytes('esp-transport', 1483)).toBe(37);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 65_535 }), (inner) => {
        const esp = espOverheadBytes('esp-transport', inner);
        const pad = esp - 34; // 8 + 8 + 2 + 16 = 34 fixed
        return pad >= 0 && pad <= 3 && (inner + pad + 2) % 4 === 0;
      }),
    );
  });

  it('is the same for ChaCha20-Poly1305 (8-byte IV, 16-byte ICV: RFC 7634)', () => {
    expect(encryptionWireOverhead('chacha20-poly1305', 'esp-transport').perPacketBytes).toBe(36);
    expect(encryptionWireOverhead('chacha20-poly1305', 'esp-tunnel').perPacketBytes).toBe(56);
  });

  it('refuses ESP without a cipher and a fractional packet', () => {
    expect(() => espOverheadBytes('esp-transport', 1480, 'none')).toThrow(/needs a cipher/);
    expect(() => espOverheadBytes('esp-transport', 10.5)).toThrow(/whole number/);
  });
});

describe('TLS 1.3 record bytes (RFC 8446)', () => {
  it('adds 22 B per 16384 B of plaintext, per byte of stream rather than per packet', () => {
    // Record header 5 (type 1, version 2, length 2) + inner content type 1 + AEAD tag 16 = 22 B per record
    // of at most 2^14 = 16384 B: 22 / 16384 = 0.0013427734375 B per payload byte.
    for (const cipher of ENCRYPTING) {
      expect(encryptionWireOverhead(cipher, 'tls')).toEqual({ perPacketBytes: 0, perPayloadByte: 22 / 16384 });
    }
    expect(22 / 16384).toBe(0.0013427734375);
    expect(DEFAULT_ENCRYPTION_MODE).toBe('tls');
  });
});

describe('encrypted wire factor', () => {
  it('adds nothing for none', () => {
    expect(encryptionWireOverhead('none', 'esp-tunnel')).toEqual({ perPacketBytes: 0, perPayloadByte: 0 });
    expect(encryptedWireFactor(NETWORK, encryptionWireOverhead('none', 'tls'))).toBe(wireFactor(NETWORK));
  });

  it('grows the wire bytes by the ESP and TLS overhead, payload unchanged', () => {
    // Plain: (1460 + 78) / 1460 = 1.0534247. ESP transport: (1460 + 78 + 36) / 1460 = 1574 / 1460 = 1.0780822.
    // ESP tunnel: 1594 / 1460 = 1.0917808. TLS: (1 + 22/16384) × 1538 / 1460 = 1.0548392.
    expect(wireFactor(NETWORK)).toBeCloseTo(1538 / 1460, 12);
    expect(encryptedWireFactor(NETWORK, encryptionWireOverhead('aes-128-gcm', 'esp-transport'))).toBeCloseTo(1.0780822, 7);
    expect(encryptedWireFactor(NETWORK, encryptionWireOverhead('aes-128-gcm', 'esp-tunnel'))).toBeCloseTo(1.0917808, 7);
    expect(encryptedWireFactor(NETWORK, encryptionWireOverhead('aes-128-gcm', 'tls'))).toBeCloseTo(1.0548392, 7);
    // 1 GiB of payload: 1.0534247 × 2^30 = 1131101378 B plain, 1.0780822 × 2^30 = 1157577305 B with ESP
    // transport: 26475927 B more.
    const plain = GIB * wireFactor(NETWORK);
    const esp = GIB * encryptedWireFactor(NETWORK, encryptionWireOverhead('aes-128-gcm', 'esp-transport'));
    expect(esp - plain).toBeCloseTo((GIB * 36) / 1460, 3);
  });

  it('stacks on other per-packet encapsulation (VXLAN 50 B)', () => {
    // (1460 + 78 + 50 + 36) / 1460 = 1624 / 1460
    expect(encryptedWireFactor(NETWORK, encryptionWireOverhead('aes-256-gcm', 'esp-transport'), 50)).toBeCloseTo(1624 / 1460, 12);
  });

  it('is within 0.2 % (transport) and 0.4 % (tunnel) of a host that lowers its MSS instead', () => {
    // MSS-lowering host: (p + h) / (p − esp) = 1538 / 1424 and 1538 / 1404.
    const transport = encryptedWireFactor(NETWORK, { perPacketBytes: 36, perPayloadByte: 0 });
    const tunnel = encryptedWireFactor(NETWORK, { perPacketBytes: 56, perPayloadByte: 0 });
    expect(1538 / 1424 / transport - 1).toBeCloseTo(0.00183, 5);
    expect(1538 / 1404 / tunnel - 1).toBeCloseTo(0.00335, 5);
  });

  it('never shrinks the wire bytes (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 576, max: 9000 }),
        fc.integer({ min: 0, max: 200 }),
        fc.constantFrom(...CIPHER_NAMES),
        fc.constantFrom('esp-transport' as const, 'esp-tunnel' as const, 'tls' as const),
        (mtuBytes, headerBytes, cipher, mode) => {
          const network = { ...NETWORK, mtuBytes, headerBytes };
          return encryptedWireFactor(network, encryptionWireOverhead(cipher, mode)) >= wireFactor(network);
        },
      ),
    );
  });
});
