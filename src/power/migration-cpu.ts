// CPU work a migration stream costs its two hosts, per byte, so the runtime can charge it to their power
// (energy-meter.ts hostUtilization) and cap the stream at what the cores given to it sustain.
//
// Three parts, each on the sender and on the receiver:
//   copy          moving stream bytes through the migration thread and the kernel's TCP stack (reading guest
//                 pages, send/recv, writing pages at the destination): MIGRATION_COPY_BYTES_PER_CORE_S,
//                 per byte of stream payload. page-cost.ts leaves this out on purpose ("not an
//                 optimization's"), so nothing is counted twice.
//   optimizations compression, XBZRLE, dedup hashing: page-cost.ts sendCost's senderCpuSeconds and
//                 receiverCpuSeconds, reused as they are.
//   encryption    src/security/ciphers.ts, per byte of stream payload (ESP and TLS encrypt the stream; their
//                 few framing bytes are not charged).
import { SimulationError } from '../engine/simulation-error.js';
import type { SendCost } from '../migration/page-cost.js';
import { encryptionCpuSecondsPerByte, type CipherName, type CipherThroughputOverrides } from '../security/ciphers.js';

/** Per-core throughputs of the plain migration path, bytes of stream payload per second. */
export interface CopyThroughputs {
  sendBytesPerS: number;
  receiveBytesPerS: number;
}

/**
 * QEMU docs/devel/migration/qatzip-compression.rst, row "none" (multifd, 8 channels, no compression, idle
 * 16-vCPU guest with 64 GB, 10 Gbps network): 330240 pages per second = 330240 × 4096 B = 1.3527e9 B/s
 * for 45 % CPU on the sender and 85 % on the receiver ("cpu %" as top shows it: 100 % = one core; the zstd
 * row's 810 % on 8 channels confirms it). Per core: 1.3527e9 / 0.45 = 3.006e9 B/s sending and
 * 1.3527e9 / 0.85 = 1.591e9 B/s receiving, in line with QEMU's note that "CPU that does the reception is a
 * bottleneck on 10Gigabit and faster" (wiki.qemu.org, Features/Migration-Multiple-fds).
 */
export const MIGRATION_COPY_BYTES_PER_CORE_S: Readonly<CopyThroughputs> = Object.freeze({
  sendBytesPerS: (330240 * 4096) / 0.45,
  receiveBytesPerS: (330240 * 4096) / 0.85,
});

export interface MigrationCpuOptions {
  copy?: Partial<CopyThroughputs>;
  cipher?: CipherName;
  cipherThroughputs?: CipherThroughputOverrides;
}

/** CPU work of a send on each host, core-seconds. */
export interface MigrationCpuWork {
  senderCpuSeconds: number;
  receiverCpuSeconds: number;
}

/** A quantity on the source (sender) and on the destination (receiver). */
export interface PerHost {
  sender: number;
  receiver: number;
}

/** The parts of a page-cost.ts SendCost this needs. */
export type StreamCost = Pick<SendCost, 'payloadBytes' | 'senderCpuSeconds' | 'receiverCpuSeconds'>;

/** Core-seconds per byte of stream payload of the copy and the cipher on each host (no optimizations). */
export function streamCpuSecondsPerByte(options: MigrationCpuOptions = {}): PerHost {
  const copy = { ...MIGRATION_COPY_BYTES_PER_CORE_S, ...options.copy };
  for (const [name, value] of Object.entries(copy)) {
    if (!(value > 0)) throw new SimulationError('migrationCpu', `copy throughput ${name} ${value} B/s is not positive`);
  }
  const cipher = encryptionCpuSecondsPerByte(options.cipher ?? 'none', options.cipherThroughputs);
  return {
    sender: 1 / copy.sendBytesPerS + cipher.encryptSecondsPerByte,
    receiver: 1 / copy.receiveBytesPerS + cipher.decryptSecondsPerByte,
  };
}

/**
 * CPU work of sending a stream of `cost.payloadBytes` (a page-cost.ts SendCost): copy + cipher per payload
 * byte, plus the optimizations' own work from the SendCost.
 */
export function migrationCpuWork(cost: StreamCost, options: MigrationCpuOptions = {}): MigrationCpuWork {
  if (!(cost.payloadBytes >= 0) || !Number.isFinite(cost.payloadBytes)) {
    throw new SimulationError('migrationCpuWork', `payload ${cost.payloadBytes} B is not finite and non-negative`);
  }
  const perByte = streamCpuSecondsPerByte(options);
  return {
    senderCpuSeconds: cost.senderCpuSeconds + cost.payloadBytes * perByte.sender,
    receiverCpuSeconds: cost.receiverCpuSeconds + cost.payloadBytes * perByte.receiver,
  };
}

/** Core-seconds per byte of stream payload on each host for a send with this cost (copy + cipher + optimizations). */
export function cpuSecondsPerPayloadByte(cost: StreamCost, options: MigrationCpuOptions = {}): PerHost {
  // An empty send has no optimization work to spread: the per-byte copy and cipher are all there is.
  if (cost.payloadBytes === 0) return streamCpuSecondsPerByte(options);
  const work = migrationCpuWork(cost, options);
  return { sender: work.senderCpuSeconds / cost.payloadBytes, receiver: work.receiverCpuSeconds / cost.payloadBytes };
}

/**
 * Core demand on each host while the stream runs at `payloadBytesPerS` (core-seconds per second, for
 * hostUtilization): the work per payload byte times the rate.
 */
export function migrationCoreDemand(
  cost: StreamCost,
  payloadBytesPerS: number,
  options: MigrationCpuOptions = {},
): PerHost {
  if (!(payloadBytesPerS >= 0) || !Number.isFinite(payloadBytesPerS)) {
    throw new SimulationError('migrationCoreDemand', `rate ${payloadBytesPerS} B/s is not finite and non-negative`);
  }
  const perByte = cpuSecondsPerPayloadByte(cost, options);
  return { sender: perByte.sender * payloadBytesPerS, receiver: perByte.receiver * payloadBytesPerS };
}

/**
 * The highest payload rate the cores given to the migration sustain on both hosts, B/s: min over sender and
 * receiver of cores / (core-seconds per payload byte). page-cost.ts cpuLimitedPayloadRate with the copy and
 * the cipher added.
 */
export function migrationCpuLimitedRate(
  cost: StreamCost,
  senderCores: number,
  receiverCores: number,
  options: MigrationCpuOptions = {},
): number {
  for (const [name, cores] of [['sender', senderCores], ['receiver', receiverCores]] as const) {
    if (!(cores >= 0)) throw new SimulationError('migrationCpuLimitedRate', `${name} ${cores} cores is negative`);
  }
  const perByte = cpuSecondsPerPayloadByte(cost, options);
  return Math.min(senderCores / perByte.sender, receiverCores / perByte.receiver);
}
