// What sending a set of guest pages costs on the wire and in CPU, given the VM's content profile and the
// migration's optimizations. A pure function of fractions: the pages are never looked at.
//
// Memory is split into disjoint classes (fractions of the bytes being sent, ContentSpec):
//   free      free pages holding stale data; the guest reports them (virtio-balloon free page hint,
//             QEMU migration/ram.c `fpo_enabled`; SonicMigration, Koto et al. APSys 2012), so with
//             `freePages` they are left out of the first pass entirely. Free pages that are all zero
//             count as zero pages below.
//   zero      all-zero pages. QEMU always tests for them (ram.c save_zero_page_to_file); here
//             `zeroPages: false` means no detection (they go as ordinary pages) and `true` means QEMU's
//             behaviour: page header + 1 byte. QEMU's compression path tests for them first as well
//             (ram.c do_compress_ram_page), so `compression` also sends them as header + 1 byte.
//   duplicate non-zero pages identical to a page already sent in this migration (the redundant copies);
//             with `dedup` they go as a header and a reference (MDD, Zhang et al. CLUSTER 2010).
//   data      everything else: a full page, or compressed at `compressRatio` (MECOM, Jin et al.
//             CLUSTER 2009; QEMU multifd zstd/zlib).
// Re-sent pages were just written by the guest: they are treated as non-zero, not free, not duplicate.
// With `deltaCompression` the re-sent pages still in the XBZRLE cache go as a delta at `deltaRatio`
// (Svärd et al. VEE 2011; QEMU migration/xbzrle.c), the others as data.
//
// The wire format follows QEMU migration/ram.c: every page starts with an 8-byte big-endian word of
// offset | RAM_SAVE_FLAG_* (save_page_header; the block name that follows when the RAM block changes is
// left out). A page that an encoding would make longer than a plain page is sent plain, as XBZRLE does on
// overflow; we assume the same of compression, so no page ever costs more than header + 4096 bytes.
//
// CPU is charged per byte of page data at a per-core throughput, separately on the sender and on the
// receiver, so the runtime can cap the stream at cores × throughput and the power model can charge it.
// Zero-page tests (memory-bound, stop at the first non-zero word) and the copy of a referenced page are
// not charged; neither is the plain cost of moving bytes through TCP, which is not an optimization's.
// Hot-page deferral changes what is sent when, not what it costs: it belongs to the strategies.
import { SimulationError } from '../engine/simulation-error.js';
import type { ContentSpec, OptimizationsSpec } from '../config/scenario.js';
import { PAGE_BYTES } from './memory-model.js';

/** ram.c save_page_header: qemu_put_be64(offset | flags) in front of every page. */
export const PAGE_HEADER_BYTES = 8;
/** ram.c save_zero_page_to_file: a zero page is the header (RAM_SAVE_FLAG_ZERO) and qemu_put_byte(0). */
export const ZERO_PAGE_EXTRA_BYTES = 1;
/** ram.c save_xbzrle_page: ENCODING_FLAG_XBZRLE byte + be16 encoded length after the header. */
export const XBZRLE_EXTRA_BYTES = 3;
/** qemu-file.c qemu_put_compression_data: be32 compressed length after the header (compress threads). */
export const COMPRESSED_EXTRA_BYTES = 4;
/**
 * A duplicate page sent as a reference: the 8-byte address of the earlier copy, the width of QEMU's own
 * page address word (ram.c save_page_header). Our assumption: MDD (Zhang et al. 2010) sends a reference
 * of its own format that the paper does not size.
 */
export const DEDUP_REFERENCE_BYTES = 8;

/** XBZRLE cache on the source, QEMU's default: migration/options.c DEFAULT_MIGRATE_XBZRLE_CACHE_SIZE. */
export const XBZRLE_DEFAULT_CACHE_BYTES = 64 * 1024 * 1024;
/**
 * XBZRLE-encoded size / page size of a re-sent page: 3.55 % in the XBZRLE author's SPARSE benchmark
 * (12 changed bytes every 1111; A. Shribman, qemu-devel, 2 Aug 2011, "Re: [PATCH v2] XBRLE page delta
 * compression for live migration of large memory apps"), the sparse-update workload XBZRLE targets
 * (QEMU docs/xbzrle.txt).
 * Dense writers overflow to full pages: set `content.deltaRatio` near 1 for them.
 */
export const DEFAULT_DELTA_RATIO = 0.0355;

/** Per-core throughputs in bytes of page data (uncompressed) per second. */
export interface CpuThroughputs {
  /** sender, compressing */
  compressBytesPerS: number;
  /** receiver, decompressing (lzbench reports both speeds against the uncompressed size) */
  decompressBytesPerS: number;
  /** sender, XBZRLE-encoding a page against its cached copy */
  deltaEncodeBytesPerS: number;
  /** receiver, applying an XBZRLE delta */
  deltaDecodeBytesPerS: number;
  /** sender, fingerprinting pages for dedup */
  hashBytesPerS: number;
}

/**
 * zstd level 1, one core of a Core i7-9700K @ 4.9 GHz, lzbench on Silesia: 510 MB/s compression,
 * 1580 MB/s decompression (facebook/zstd README, "Benchmarks", zstd 1.5.6). Level 1 is QEMU's default
 * multifd-zstd-level (qapi/migration.json). MB taken as 10^6 B.
 */
export const ZSTD_LEVEL1: Pick<CpuThroughputs, 'compressBytesPerS' | 'decompressBytesPerS'> = {
  compressBytesPerS: 510e6,
  decompressBytesPerS: 1580e6,
};

/**
 * zlib level 1, same machine and table: 95 MB/s compression, 400 MB/s decompression (facebook/zstd
 * README, zlib 1.2.11 -1). Level 1 is QEMU's default compress-level and multifd-zlib-level
 * (migration/options.c DEFAULT_MIGRATE_COMPRESS_LEVEL; qapi/migration.json).
 */
export const ZLIB_LEVEL1: Pick<CpuThroughputs, 'compressBytesPerS' | 'decompressBytesPerS'> = {
  compressBytesPerS: 95e6,
  decompressBytesPerS: 400e6,
};

/**
 * Default per-core costs. XBZRLE: 2142 MB/s encoding and 2817 MB/s decoding on one core in the same
 * SPARSE benchmark (A. Shribman, qemu-devel, 2 Aug 2011, the message cited at DEFAULT_DELTA_RATIO), in line
 * with QEMU docs/xbzrle.txt ("sustained bandwidth of 2-2.5 GB/s for typical workloads"). Hashing: SHA-1,
 * 0.8 GB/s on one core of an i7-9700K (Cyan4973/xxHash README, "Benchmarks"): a cryptographic
 * fingerprint lets a match stand without comparing the pages; MDD (Zhang et al. 2010) uses hash
 * fingerprints without naming a throughput.
 */
export const DEFAULT_CPU_THROUGHPUTS: CpuThroughputs = {
  ...ZSTD_LEVEL1,
  deltaEncodeBytesPerS: 2142e6,
  deltaDecodeBytesPerS: 2817e6,
  hashBytesPerS: 0.8e9,
};

/** Tolerance on the sum of the content fractions, which come from decimal input. */
const FRACTION_TOLERANCE = 1e-9;

export type SendKind = 'first' | 'resend';

export interface SendCostOptions {
  /** XBZRLE cache, bytes; default optimizations.xbzrleCacheBytes, else XBZRLE_DEFAULT_CACHE_BYTES */
  xbzrleCacheBytes?: number;
  /**
   * the set of distinct pages being re-sent round after round, bytes (e.g. the hot set, or what the
   * previous round dirtied); default `bytes`. Pass it when `bytes` is only a part of a round.
   */
  resendSetBytes?: number;
  /**
   * fraction of re-sent pages found in the XBZRLE cache, replacing the closed form. QEMU fills the cache
   * only with re-sent pages (ram.c save_xbzrle_page inserts on a miss; the first pass skips XBZRLE), so a
   * strategy that wants that warm-up passes 0 for a page's first re-send.
   */
  xbzrleHitFraction?: number;
  /** per-core throughputs overriding DEFAULT_CPU_THROUGHPUTS */
  throughputs?: Partial<CpuThroughputs>;
}

/** Memory bytes by how they were sent; the fields add up to the bytes asked for. */
export interface MemoryBreakdown {
  /** free pages left out */
  freeBytes: number;
  /** zero pages sent as header + 1 byte */
  zeroBytes: number;
  /** duplicate pages sent as a reference */
  duplicateBytes: number;
  /** re-sent pages sent as an XBZRLE delta */
  deltaBytes: number;
  /** pages sent whole or compressed */
  dataBytes: number;
}

export interface SendCost {
  /** what goes on the migration stream: page data after the optimizations plus per-page headers, bytes */
  payloadBytes: number;
  /** the per-page headers and encoding words included in payloadBytes, bytes */
  headerBytes: number;
  /** memory bytes whose contents did not go on the stream: free + zero + duplicate pages */
  skippedBytes: number;
  /** CPU work on the source host, core-seconds */
  senderCpuSeconds: number;
  /** CPU work on the destination host, core-seconds */
  receiverCpuSeconds: number;
  memory: MemoryBreakdown;
}

/** The stream size without any optimization: every page whole, with its header. */
export function plainPayloadBytes(bytes: number): number {
  return bytes + (bytes / PAGE_BYTES) * PAGE_HEADER_BYTES;
}

/** Closed-form XBZRLE hit fraction: min(1, cache / re-sent set). */
export function xbzrleHitFraction(cacheBytes: number, resendSetBytes: number): number {
  if (!(cacheBytes >= 0)) throw new SimulationError('xbzrleHitFraction', `cache ${cacheBytes} B is negative`);
  if (!(resendSetBytes >= 0)) throw new SimulationError('xbzrleHitFraction', `set ${resendSetBytes} B is negative`);
  // QEMU's cache (migration/page_cache.c) is direct-mapped by page number, and a slot used within the last
  // CACHED_PAGE_LIFETIME = 2 syncs is not evicted: a set re-sent every round keeps one page per slot, so
  // a contiguous set of W bytes hits on min(cache, W) of them. Scattered pages collide more: with random
  // slots the hit fraction is (N/W)·(1 − e^(−W/N)) for N cache pages, up to 37 % lower at W = N.
  if (resendSetBytes === 0) return 1;
  return Math.min(1, cacheBytes / resendSetBytes);
}

function checkFraction(name: string, value: number): number {
  if (!(value >= 0 && value <= 1)) throw new SimulationError('sendCost', `${name} ${value} is outside 0..1`);
  return value;
}

/** One page on the wire: the header with any encoding words, and the page data that follows. */
interface PageWire {
  header: number;
  body: number;
}

const PLAIN_PAGE: PageWire = { header: PAGE_HEADER_BYTES, body: PAGE_BYTES }; // ram.c save_normal_page

/** A page encoded to `body` bytes behind `extra` encoding bytes, sent plain when that is no shorter. */
function encodedPage(extra: number, body: number): PageWire {
  return extra + body < PAGE_BYTES ? { header: PAGE_HEADER_BYTES + extra, body } : PLAIN_PAGE;
}

/**
 * Cost of sending `bytes` of guest memory, either on the first pass over it or as pages re-sent after
 * the guest dirtied them.
 */
export function sendCost(
  bytes: number,
  kind: SendKind,
  content: ContentSpec,
  optimizations: OptimizationsSpec,
  options: SendCostOptions = {},
): SendCost {
  if (!(bytes >= 0) || !Number.isFinite(bytes)) throw new SimulationError('sendCost', `size ${bytes} B is not finite`);
  const cpu: CpuThroughputs = { ...DEFAULT_CPU_THROUGHPUTS, ...options.throughputs };
  for (const [name, value] of Object.entries(cpu)) {
    if (!(value > 0)) throw new SimulationError('sendCost', `throughput ${name} ${value} B/s is not positive`);
  }
  const compressRatio = checkFraction('compressRatio', content.compressRatio);
  const deltaRatio = checkFraction('deltaRatio', content.deltaRatio ?? DEFAULT_DELTA_RATIO);

  // Memory by class. First pass: the content profile; re-sends: all data (just written by the guest).
  let free = 0;
  let zero = 0;
  let duplicate = 0;
  let delta = 0;
  if (kind === 'first') {
    const freeFraction = checkFraction('freeFraction', content.freeFraction ?? 0);
    const zeroFraction = checkFraction('zeroFraction', content.zeroFraction);
    const duplicateFraction = checkFraction('duplicateFraction', content.duplicateFraction ?? 0);
    if (freeFraction + zeroFraction + duplicateFraction > 1 + FRACTION_TOLERANCE) {
      throw new SimulationError(
        'sendCost',
        `free ${freeFraction} + zero ${zeroFraction} + duplicate ${duplicateFraction} fractions exceed 1`,
      );
    }
    if (optimizations.freePages) free = freeFraction * bytes;
    if (optimizations.zeroPages || optimizations.compression) zero = zeroFraction * bytes;
    if (optimizations.dedup) duplicate = duplicateFraction * bytes;
  } else if (optimizations.deltaCompression) {
    const cache = options.xbzrleCacheBytes ?? optimizations.xbzrleCacheBytes ?? XBZRLE_DEFAULT_CACHE_BYTES;
    const hit =
      options.xbzrleHitFraction !== undefined
        ? checkFraction('xbzrleHitFraction', options.xbzrleHitFraction)
        : xbzrleHitFraction(cache, options.resendSetBytes ?? bytes);
    delta = hit * bytes;
  }
  const data = Math.max(0, bytes - free - zero - duplicate - delta);

  // Wire bytes per class, pages counted as a fluid (bytes / 4096); free pages send nothing.
  const classes: Array<[memoryBytes: number, page: PageWire]> = [
    [zero, { header: PAGE_HEADER_BYTES + ZERO_PAGE_EXTRA_BYTES, body: 0 }],
    [duplicate, { header: PAGE_HEADER_BYTES + DEDUP_REFERENCE_BYTES, body: 0 }],
    [delta, encodedPage(XBZRLE_EXTRA_BYTES, deltaRatio * PAGE_BYTES)],
    [data, optimizations.compression ? encodedPage(COMPRESSED_EXTRA_BYTES, compressRatio * PAGE_BYTES) : PLAIN_PAGE],
  ];
  let headerBytes = 0;
  let payloadBytes = 0;
  for (const [memoryBytes, page] of classes) {
    const pages = memoryBytes / PAGE_BYTES;
    headerBytes += pages * page.header;
    payloadBytes += pages * (page.header + page.body);
  }

  // CPU: each optimization charges the bytes it touches at its per-core throughput.
  let senderCpuSeconds = 0;
  let receiverCpuSeconds = 0;
  if (optimizations.compression) {
    senderCpuSeconds += data / cpu.compressBytesPerS;
    receiverCpuSeconds += data / cpu.decompressBytesPerS;
  }
  if (delta > 0) {
    senderCpuSeconds += delta / cpu.deltaEncodeBytesPerS;
    receiverCpuSeconds += delta / cpu.deltaDecodeBytesPerS;
  }
  if (optimizations.dedup) senderCpuSeconds += (duplicate + delta + data) / cpu.hashBytesPerS; // every non-zero page sent

  return {
    payloadBytes,
    headerBytes,
    skippedBytes: free + zero + duplicate,
    senderCpuSeconds,
    receiverCpuSeconds,
    memory: { freeBytes: free, zeroBytes: zero, duplicateBytes: duplicate, deltaBytes: delta, dataBytes: data },
  };
}

/** The highest rate, in bytes/s, that `cores` cores sustain when each byte costs `cpuSecondsPerByte`. */
export function cpuLimitedRate(cores: number, cpuSecondsPerByte: number): number {
  if (!(cores >= 0)) throw new SimulationError('cpuLimitedRate', `${cores} cores is negative`);
  if (!(cpuSecondsPerByte >= 0)) throw new SimulationError('cpuLimitedRate', `cost ${cpuSecondsPerByte} s/B is negative`);
  if (cpuSecondsPerByte === 0) return Infinity;
  return cores / cpuSecondsPerByte;
}

/**
 * The highest payload rate, in bytes/s on the stream, that the two hosts' cores sustain for a send with
 * this cost: min over sender and receiver of cores / (CPU seconds per payload byte). Infinity when the
 * send costs no CPU.
 */
export function cpuLimitedPayloadRate(cost: SendCost, senderCores: number, receiverCores: number): number {
  if (cost.payloadBytes === 0) return Infinity;
  return Math.min(
    cpuLimitedRate(senderCores, cost.senderCpuSeconds / cost.payloadBytes),
    cpuLimitedRate(receiverCores, cost.receiverCpuSeconds / cost.payloadBytes),
  );
}
