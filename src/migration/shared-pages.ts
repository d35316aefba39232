// Identical pages across VMs of one image, sent once by migrations that move together:
//   irlm  inter-rack live migration (Deshpande, Kulkarni, Gopalan, "Inter-rack live migration of multiple
//         virtual machines", VTDC 2012): VMs moving concurrently from one rack to another; each distinct
//         shared page crosses the core once, and a VM whose page already went over sends a reference; the
//         destination host gets the page's contents from inside the destination rack.
//   gang  live gang migration (Deshpande, Wang, Gopalan, HPDC 2011): co-located VMs moving together from
//         one host to one host; an identical page goes once and the others as references, resolved on the
//         destination host itself.
// A cohort is the set of such migrations in flight with the same image and the same rack pair (irlm) or
// host pair (gang); it lives while one of them is in flight (the destination's index of pages is kept for
// the migrations that move together, not across separate waves).
//
// Model (closed form, no per-page state). Image I has a pool of P distinct shared bytes
// (`images.<I>.sharedPool`, default the largest share a VM of it holds, i.e. all its VMs hold the same
// pages); VM j holds b_j = sharedFraction_j × memory_j of them, a uniformly random subset, independent of
// the other VMs. When migrations claim their shared pages (at the start of their first pass), with X bytes
// of the pool already in the destination (claimed earlier in the cohort), a batch of claims b_1..b_m made
// at one instant brings
//   N = (P − X) · (1 − Π_j (1 − b_j / P))
// new distinct bytes (a pool page is new if it is not there yet and at least one claimer holds it); for
// equal VMs holding the whole pool (b = P) and X = 0 that is one copy, N = b. The batch splits N in
// proportion to b_j: VM j sends u_j = N·b_j/Σb of its shared pages in full and r_j = b_j − u_j as
// references. Then X ← X + N. Over k identical VMs started together the core carries (k − 1)·b fewer bytes
// of pages: a fraction s·(k − 1)/k of k·M for sharedFraction s (8 VMs at s = ½: 43.75 %).
//
// Dirtying (irlm and gang): a shared page the guest writes before its turn in the first pass is no longer
// identical and goes in full. Pages are sent uniformly over the pass of duration T and shared pages are
// spread over memory like any page, so the expected fraction lost is the mean dirty fraction over the pass,
// δ = (1/(T·M)) ∫₀ᵀ U(t) dt, with U the unique-dirtied-bytes form of memory-model.ts:
//   random:      ∫₀ᵀ S(1 − e^(−r t/S)) dt = S·T + (S²/r)·(e^(−r T/S) − 1)   per set S written at r
//   sequential:  ∫₀ᵀ min(S, r t) dt = r T²/2 if r T ≤ S, else S·T − S²/(2r)
// Only a guest running on the source dirties its pages before they go (precopy's first round); a paused
// guest writes nothing, and a postcopy guest's writes fault the page in first (postcopy.ts).
import type { ContentSpec, OptimizationsSpec, WorkloadSpec } from '../config/scenario.js';
import { SimulationError } from '../engine/simulation-error.js';
import { effectiveDirtyRate, PAGE_BYTES } from './memory-model.js';
import {
  DEDUP_REFERENCE_BYTES,
  DEFAULT_CPU_THROUGHPUTS,
  PAGE_HEADER_BYTES,
  plainPayloadBytes,
  sendCost,
  type SendCost,
} from './page-cost.js';

/** How one migration's shared pages go, once its claim is resolved. */
export interface SharedResolution {
  /** shared bytes whose contents this migration sends */
  uniqueBytes: number;
  /** shared bytes it sends as references (their contents are already in the destination) */
  referencedBytes: number;
  /** the destination host holding the contents of the referenced pages (irlm: a peer in the destination rack) */
  sourceHost: string | undefined;
}

/** One migration's membership of a cohort (from its start to its end). */
export interface SharedPageSession {
  readonly scope: 'irlm' | 'gang';
  /** records the claim of `sharedBytes` at the start of the first pass */
  claim(sharedBytes: number): void;
  /** how the claim resolved; call after the instant of the claim (the batch is then complete) */
  resolve(): SharedResolution;
  /** the migration ended */
  leave(): void;
}

interface Claim {
  bytes: number;
  destination: string;
  result?: SharedResolution;
}

class Cohort {
  /** pool bytes already in the destination */
  private presentBytes = 0;
  members = 0;
  private pending: Claim[] = [];
  private pendingAtS = -1;
  /** destination host of the last claim resolved, for the next claimer to fetch from */
  private lastDestination: string | undefined;

  constructor(
    readonly poolBytes: number,
    private readonly nowS: () => number,
  ) {}

  add(claim: Claim): void {
    if (this.pending.length > 0 && this.pendingAtS !== this.nowS()) this.resolvePending();
    this.pending.push(claim);
    this.pendingAtS = this.nowS();
  }

  /** Resolves every claim of the pending batch: N new distinct bytes, split in proportion to the claims. */
  resolvePending(): void {
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    const pool = this.poolBytes;
    let missProduct = 1;
    let claimed = 0;
    for (const claim of batch) {
      missProduct *= 1 - Math.min(1, claim.bytes / pool);
      claimed += claim.bytes;
    }
    const newBytes = Math.max(0, pool - this.presentBytes) * (1 - missProduct);
    // Each claimer fetches referenced contents from the destination of the claimer before it (a ring over
    // the batch when the cohort starts with it), which spreads the in-rack copies over the destinations.
    let previous = this.lastDestination ?? batch[batch.length - 1]!.destination;
    for (const claim of batch) {
      const unique = claimed > 0 ? Math.min(claim.bytes, (newBytes * claim.bytes) / claimed) : 0;
      claim.result = { uniqueBytes: unique, referencedBytes: claim.bytes - unique, sourceHost: previous };
      previous = claim.destination;
    }
    this.lastDestination = previous;
    this.presentBytes = Math.min(pool, this.presentBytes + newBytes);
  }
}

/** Every cohort of a run, by key. */
export class SharedPageCohorts {
  private readonly cohorts = new Map<string, Cohort>();

  constructor(private readonly nowS: () => number) {}

  /**
   * The session of a migration of a VM of an image with a pool of `poolBytes`, moving `from` → `to` in racks
   * `fromRack` → `toRack`, or undefined when neither optimization applies (irlm needs two racks).
   */
  join(options: {
    image: string | undefined;
    poolBytes: number;
    irlm: boolean;
    gang: boolean;
    from: string;
    to: string;
    fromRack: string;
    toRack: string;
  }): SharedPageSession | undefined {
    const { image, poolBytes } = options;
    if (image === undefined || !(poolBytes > 0)) return undefined;
    let scope: 'irlm' | 'gang';
    let key: string;
    if (options.irlm && options.fromRack !== options.toRack) {
      scope = 'irlm';
      key = JSON.stringify(['irlm', image, options.fromRack, options.toRack]);
    } else if (options.gang) {
      scope = 'gang';
      key = JSON.stringify(['gang', image, options.from, options.to]);
    } else {
      return undefined;
    }
    let cohort = this.cohorts.get(key);
    if (cohort === undefined) {
      cohort = new Cohort(poolBytes, this.nowS);
      this.cohorts.set(key, cohort);
    }
    cohort.members++;
    const joined = cohort;
    let claim: Claim | undefined;
    let left = false;
    return {
      scope,
      claim: (sharedBytes) => {
        if (claim !== undefined) throw new SimulationError('sharedPages', `${options.to}: a migration claimed its shared pages twice`);
        claim = { bytes: Math.min(sharedBytes, joined.poolBytes), destination: options.to };
        joined.add(claim);
      },
      resolve: () => {
        if (claim === undefined) throw new SimulationError('sharedPages', 'resolve before claim');
        if (claim.result === undefined) joined.resolvePending();
        return claim.result!;
      },
      leave: () => {
        if (left) return;
        left = true;
        if (--joined.members === 0 && this.cohorts.get(key) === joined) this.cohorts.delete(key);
      },
    };
  }
}

/** ∫₀ᵀ of one set's unique dirtied bytes, set of `setBytes` written at `rate` B/s (memory-model.ts's forms). */
function setDirtyIntegral(pattern: WorkloadSpec['pattern'], setBytes: number, rate: number, durationS: number): number {
  if (setBytes <= 0 || rate <= 0 || durationS <= 0) return 0;
  if (pattern === 'sequential') {
    const fillS = setBytes / rate;
    return durationS <= fillS ? (rate * durationS * durationS) / 2 : setBytes * durationS - (setBytes * fillS) / 2;
  }
  return setBytes * durationS + ((setBytes * setBytes) / rate) * Math.expm1((-rate * durationS) / setBytes);
}

/**
 * The mean fraction of memory dirty over a pass of `durationS` from a clean bitmap, δ = ∫₀ᵀ U(t) dt / (T·M):
 * the expected fraction of pages, spread uniformly over memory and sent uniformly over the pass, that the
 * guest writes before they go.
 */
export function meanDirtiedFraction(workload: WorkloadSpec, memoryBytes: number, durationS: number, throttle = 0): number {
  if (!(durationS > 0) || !(memoryBytes > 0)) return 0;
  const rate = effectiveDirtyRate(workload, throttle);
  const hot = workload.hotSetBytes;
  const integral =
    setDirtyIntegral(workload.pattern, hot, workload.hotFraction * rate, durationS) +
    setDirtyIntegral(workload.pattern, memoryBytes - hot, (1 - workload.hotFraction) * rate, durationS);
  return Math.min(1, Math.max(0, integral / (durationS * memoryBytes)));
}

/** What sending `bytes` of shared pages as references changes on the stream. */
export interface ReferenceSavings {
  /** stream bytes saved: the pages as data (compressed when `compression`) less the references */
  savedPayloadBytes: number;
  /** the pages' contents with their headers, as copied inside the destination rack */
  contentPayloadBytes: number;
  /** a first pass's cost with the sender hashing every page it sends, to find the shared ones */
  withHashing(cost: SendCost): SendCost;
}

/**
 * A reference is a page header and the 8-byte address of the copy, the format page-cost.ts gives MDD's
 * duplicates (DEDUP_REFERENCE_BYTES; IRLM's own format is not sized in the paper). Finding the shared
 * pages costs a fingerprint of every page sent, at the hashing throughput of page-cost.ts (charged once:
 * not again when `dedup` already hashes).
 */
export function referenceSavings(bytes: number, content: ContentSpec, optimizations: OptimizationsSpec): ReferenceSavings {
  const asData = bytes > 0
    ? sendCost(bytes, 'first', { zeroFraction: 0, compressRatio: content.compressRatio, sharedFraction: 0 }, optimizations).payloadBytes
    : 0;
  const asReferences = (bytes / PAGE_BYTES) * (PAGE_HEADER_BYTES + DEDUP_REFERENCE_BYTES);
  return {
    savedPayloadBytes: Math.max(0, asData - asReferences),
    contentPayloadBytes: plainPayloadBytes(bytes),
    withHashing: (cost) => {
      if (optimizations.dedup) return cost;
      const hashed = cost.memory.dataBytes + cost.memory.deltaBytes + cost.memory.duplicateBytes;
      return { ...cost, senderCpuSeconds: cost.senderCpuSeconds + hashed / DEFAULT_CPU_THROUGHPUTS.hashBytesPerS };
    },
  };
}
