// What encrypting a migration stream costs: CPU per byte on the sender (encryption) and on the receiver
// (decryption), and bytes on the wire (ESP or TLS framing). Payload bytes stay the same; wire bytes grow.
//
// CPU. Each cipher has a per-core throughput in bytes of plaintext per second, measured with OpenSSL on one
// x86 core with AES-NI/AVX: the stream cannot outrun cores × throughput (cpuLimitedRate in
// src/migration/page-cost.ts), and the work is charged to the hosts' CPU (src/power). These are the
// cipher's own cost in a tight loop over large buffers; the copy through the migration thread and the
// kernel is charged separately (src/power/migration-cpu.ts). A real TLS migration stream can be slower
// than the cipher alone (record handling, one thread): override the throughputs to model a given host.
//
// Wire. Three framings, all with a 16-byte AEAD tag (AES-GCM: RFC 4106 §3.3 / RFC 8446 §5.2;
// ChaCha20-Poly1305: RFC 7634 §2 / RFC 8439 §2.8):
//   esp-transport  IPsec ESP (RFC 4303) between the hosts: per packet SPI + sequence + IV + pad + trailer + ICV
//   esp-tunnel     ESP tunnel mode: the same plus an outer IPv4 header
//   tls            TLS 1.3 records (RFC 8446) in the TCP stream: per record of up to 16 KiB of plaintext
// ESP adds bytes per packet, TLS per byte of stream (records are cut from the stream, not from packets):
// WireOverhead carries both, and encryptedWireFactor composes them with src/transport/wire.ts.
// Not modelled: NAT traversal (UDP encapsulation, RFC 3948, +8 B per packet), ESP extended sequence numbers
// (not on the wire, RFC 4303 §2.2.1), TLS record padding (RFC 8446 §5.4, optional, zero here), handshakes.
import { SimulationError } from '../engine/simulation-error.js';
import type { NetworkSpec } from '../config/scenario.js';
import { wireFactor } from '../transport/wire.js';

export const CIPHER_NAMES = ['none', 'aes-128-gcm', 'aes-256-gcm', 'chacha20-poly1305'] as const;
export type CipherName = (typeof CIPHER_NAMES)[number];

export interface CipherSpec {
  name: CipherName;
  description: string;
  /** sender, plaintext bytes encrypted per second on one core; Infinity = free */
  encryptBytesPerS: number;
  /** receiver, ciphertext bytes decrypted (and verified) per second on one core; Infinity = free */
  decryptBytesPerS: number;
  /** AEAD authentication tag, bytes (the ESP ICV, the TLS record tag) */
  tagBytes: number;
  /** explicit per-packet IV in ESP, bytes */
  espIvBytes: number;
  /** where the figures come from */
  source: string;
}

// lelegard/aesbench RESULTS.txt (T. Lelegard, 2024): OpenSSL EVP on one core of an Intel Xeon Gold 6348
// (Ice Lake-SP, 2.60 GHz, OpenSSL 1.0.2k), one key, large buffers, in Gb/s = 1e9 bit/s.
const AESBENCH = 'lelegard/aesbench RESULTS.txt, one core of a Xeon Gold 6348 @ 2.60 GHz, OpenSSL 1.0.2k EVP';
const GBIT = 1e9 / 8; // bytes per second in one Gb/s

export const CIPHERS: Readonly<Record<CipherName, CipherSpec>> = {
  none: {
    name: 'none',
    description: 'no encryption',
    encryptBytesPerS: Infinity,
    decryptBytesPerS: Infinity,
    tagBytes: 0,
    espIvBytes: 0,
    source: 'no work',
  },
  'aes-128-gcm': {
    name: 'aes-128-gcm',
    description: 'AES-128 in Galois/Counter Mode (NIST SP 800-38D; ESP: RFC 4106)',
    encryptBytesPerS: 49.993 * GBIT, // AES-128-GCM encrypt 49.993 Gb/s = 6.249e9 B/s (AESBENCH)
    decryptBytesPerS: 50.676 * GBIT, // AES-128-GCM decrypt 50.676 Gb/s = 6.335e9 B/s (AESBENCH)
    tagBytes: 16, // RFC 4106 §3.3 (16 octets MUST be supported), RFC 8446 §5.2 AEAD_AES_128_GCM
    espIvBytes: 8, // RFC 4106 §3.1
    source: AESBENCH,
  },
  'aes-256-gcm': {
    name: 'aes-256-gcm',
    description: 'AES-256 in Galois/Counter Mode (NIST SP 800-38D; ESP: RFC 4106)',
    // 14 AES rounds instead of 10 (FIPS 197 §5, Nr = 10 / 14): the same table's AES-ECB shows that ratio
    // (61.409 / 85.823 = 0.716 ≈ 10/14 = 0.714), but GCM's GHASH costs the same for both key sizes, so
    // AES-256-GCM is 43.011 / 49.993 = 0.860 of AES-128-GCM, not 10/14: measured figures, not the ratio.
    encryptBytesPerS: 43.011 * GBIT, // AES-256-GCM encrypt 43.011 Gb/s = 5.376e9 B/s (AESBENCH)
    decryptBytesPerS: 42.925 * GBIT, // AES-256-GCM decrypt 42.925 Gb/s = 5.366e9 B/s (AESBENCH)
    tagBytes: 16,
    espIvBytes: 8,
    source: AESBENCH,
  },
  'chacha20-poly1305': {
    name: 'chacha20-poly1305',
    description: 'ChaCha20 stream cipher with Poly1305 (RFC 8439; ESP: RFC 7634)',
    // "On a single thread, it performed at the speed of approximately 2.89GB/s": OpenSSL 1.1.1-dev on
    // Cloudflare's Skylake-SP Xeons (V. Krasnov, "On the dangers of Intel's frequency scaling", Cloudflare
    // blog, 10 Nov 2017; the Xeon Silver 4116 of "ARM Takes Wing", 8 Nov 2017). GB taken as 1e9 B.
    // Decryption runs the same keystream and Poly1305 over the same bytes: assumed equal (not measured there).
    encryptBytesPerS: 2.89e9,
    decryptBytesPerS: 2.89e9,
    tagBytes: 16, // RFC 8439 §2.8, RFC 7634 §2 (ICV 16 octets)
    espIvBytes: 8, // RFC 7634 §2
    source:
      'Cloudflare blog, "On the dangers of Intel\'s frequency scaling", 2017: one Skylake-SP core, OpenSSL 1.1.1-dev',
  },
};

export function isCipherName(name: string): name is CipherName {
  return (CIPHER_NAMES as readonly string[]).includes(name);
}

export interface CipherThroughputOverrides {
  encryptBytesPerS?: number;
  decryptBytesPerS?: number;
}

/** CPU work per byte of stream payload, core-seconds. */
export interface CipherCpuCost {
  /** sender, per plaintext byte */
  encryptSecondsPerByte: number;
  /** receiver, per byte received */
  decryptSecondsPerByte: number;
}

/** Core-seconds per byte to encrypt (sender) and decrypt (receiver): 1 / per-core throughput; 0 for none. */
export function encryptionCpuSecondsPerByte(
  cipher: CipherName,
  overrides: CipherThroughputOverrides = {},
): CipherCpuCost {
  const spec = CIPHERS[cipher];
  const encrypt = overrides.encryptBytesPerS ?? spec.encryptBytesPerS;
  const decrypt = overrides.decryptBytesPerS ?? spec.decryptBytesPerS;
  for (const [name, value] of [['encryptBytesPerS', encrypt], ['decryptBytesPerS', decrypt]] as const) {
    if (!(value > 0)) {
      throw new SimulationError('encryptionCpuSecondsPerByte', `${cipher} ${name} ${value} B/s is not positive`);
    }
  }
  return { encryptSecondsPerByte: 1 / encrypt, decryptSecondsPerByte: 1 / decrypt };
}

export const ENCRYPTION_MODES = ['esp-transport', 'esp-tunnel', 'tls'] as const;
export type EncryptionMode = (typeof ENCRYPTION_MODES)[number];

/**
 * The framing a migration's encryption uses when the scenario does not say: TLS, QEMU's own migration
 * encryption (migration parameter `tls-creds`, qapi/migration.json; the stream runs over a TLS channel).
 */
export const DEFAULT_ENCRYPTION_MODE: EncryptionMode = 'tls';

/** RFC 4303 §2.1–2.2: Security Parameters Index 4 B + Sequence Number 4 B. */
export const ESP_HEADER_BYTES = 8;
/** RFC 4303 §2.5–2.6: Pad Length 1 B + Next Header 1 B. */
export const ESP_TRAILER_BYTES = 2;
/** RFC 4303 §2.4: the ciphertext (payload + padding + trailer) ends on a 4-byte boundary. */
export const ESP_ALIGNMENT_BYTES = 4;
/** The outer header of tunnel mode (RFC 4303 §3.1.2), IPv4 without options (RFC 791). */
export const OUTER_IPV4_HEADER_BYTES = 20;
/** The packet the ESP defaults are worked out for: IEEE 802.3's 1500-byte MTU, filled by a bulk stream. */
const FULL_PACKET_BYTES = 1500;
/** RFC 8446 §5.2 TLSCiphertext: opaque_type 1 + legacy_record_version 2 + length 2. */
export const TLS_RECORD_HEADER_BYTES = 5;
/** RFC 8446 §5.2 TLSInnerPlaintext: the real content type, one byte, encrypted with the data. */
export const TLS_INNER_CONTENT_TYPE_BYTES = 1;
/** RFC 8446 §5.1: a record carries at most 2^14 bytes of plaintext. */
export const TLS_MAX_PLAINTEXT_BYTES = 2 ** 14;

/**
 * ESP bytes around one inner packet of `innerBytes` (transport: the TCP segment; tunnel: the whole inner IP
 * packet), with the padding RFC 4303 §2.4 asks for: the encrypted part (inner + pad + pad length + next
 * header) ends on a 4-byte boundary; header (8) and IV (8) are already aligned; the ICV follows.
 */
export function espOverheadBytes(
  mode: 'esp-transport' | 'esp-tunnel',
  innerBytes: number,
  cipher: CipherName = 'aes-128-gcm',
): number {
  if (!(innerBytes >= 0) || !Number.isInteger(innerBytes)) {
    throw new SimulationError('espOverheadBytes', `inner packet ${innerBytes} B is not a whole number of bytes`);
  }
  if (cipher === 'none') throw new SimulationError('espOverheadBytes', 'ESP needs a cipher (none sends plain packets)');
  const spec = CIPHERS[cipher];
  const pad = (ESP_ALIGNMENT_BYTES - ((innerBytes + ESP_TRAILER_BYTES) % ESP_ALIGNMENT_BYTES)) % ESP_ALIGNMENT_BYTES;
  const outer = mode === 'esp-tunnel' ? OUTER_IPV4_HEADER_BYTES : 0;
  return outer + ESP_HEADER_BYTES + spec.espIvBytes + pad + ESP_TRAILER_BYTES + spec.tagBytes;
}

/** Bytes an encryption adds on the wire: per packet (ESP) and per byte of stream payload (TLS records). */
export interface WireOverhead {
  /** extra bytes in every packet, for wireFactor(network, extraPerPacketBytes) */
  perPacketBytes: number;
  /** extra stream bytes per payload byte: the TCP payload is payload × (1 + perPayloadByte) */
  perPayloadByte: number;
}

/**
 * Wire overhead of a cipher in a mode; nothing for `none`.
 * ESP, full-sized packets: the inner packet of a bulk TCP stream is a multiple of 4 bytes (MSS 1460 + TCP
 * header 20 = 1480 in transport mode; + inner IPv4 header 20 = 1500 in tunnel mode), so the pad is 2 B and
 *   transport: SPI 4 + seq 4 + IV 8 + pad 2 + pad length 1 + next header 1 + ICV 16 = 36 B
 *   tunnel:    outer IPv4 20 + 36 = 56 B.
 * TLS 1.3: header 5 + content type 1 + tag 16 = 22 B per record of 16384 B of plaintext (full records, as
 * a bulk stream fills them): 22 / 16384 = 0.00134 bytes per payload byte.
 */
export function encryptionWireOverhead(cipher: CipherName, mode: EncryptionMode): WireOverhead {
  if (cipher === 'none') return { perPacketBytes: 0, perPayloadByte: 0 };
  if (mode === 'tls') {
    const perRecord = TLS_RECORD_HEADER_BYTES + TLS_INNER_CONTENT_TYPE_BYTES + CIPHERS[cipher].tagBytes;
    return { perPacketBytes: 0, perPayloadByte: perRecord / TLS_MAX_PLAINTEXT_BYTES };
  }
  // A full-sized inner packet at a 1500-byte MTU: the TCP segment (MSS + TCP header: the packet less its IPv4
  // header, RFC 791) in transport mode, the whole IPv4 packet in tunnel mode. Any MTU that is a multiple of 4
  // gives the same pad.
  const inner = mode === 'esp-tunnel' ? FULL_PACKET_BYTES : FULL_PACKET_BYTES - OUTER_IPV4_HEADER_BYTES;
  return { perPacketBytes: espOverheadBytes(mode, inner, cipher), perPayloadByte: 0 };
}

/**
 * Wire bytes per payload byte of an encrypted stream: the TLS records grow the stream, then every packet
 * carries the network's headers, the ESP bytes and `extraPerPacketBytes` of other encapsulation (VXLAN...).
 * Like every per-packet overhead in wire.ts, ESP bytes are added to a full packet of MTU − 40 B of payload;
 * a host that lowers its MSS to keep ESP inside the MTU instead sends (p + h) / (p − esp): at a 1500-byte
 * MTU with the default 78 B of headers, 0.18 % more than this in transport mode and 0.34 % in tunnel mode.
 */
export function encryptedWireFactor(network: NetworkSpec, overhead: WireOverhead, extraPerPacketBytes = 0): number {
  return (1 + overhead.perPayloadByte) * wireFactor(network, extraPerPacketBytes + overhead.perPacketBytes);
}
