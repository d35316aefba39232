// The scenario fields of storage migration and VM addressing (CONTRACT.md: `vm.disk: { size, writeRate,
// hotSet }`, `vm.subnet`, `migration.storage`, `migration.addressing`), with ours beside them: the disk's
// `hotFraction` and `pattern` (the memory workload's fields, the same model: src/migration/disk-model.ts),
// `migration.storageOrder`, `migration.diskWriteLimit` (Bradford et al.'s write throttling) and `network.sdn`.
// Each default with its source. Cross-section checks (a disk to move, l2 inside one subnet) are in
// storage-references.ts.
import { z } from 'zod';
import { fraction, oneOf, quantity, rateOrNone, strictObject } from './fields.js';
import type { AddressingScheme, DiskSpec, MigrationSpec, SdnSpec, StorageMode, StorageOrder } from './scenario.js';

export const STORAGE_MODES: readonly StorageMode[] = ['shared', 'snapshot', 'dirty-block', 'mirror'];
export const STORAGE_ORDERS: readonly StorageOrder[] = ['before', 'concurrent'];
export const ADDRESSING_SCHEMES: readonly AddressingScheme[] = ['l2', 'vxlan', 'netlord', 'vl2', 'mobile-ipv4', 'mobile-ipv6', 'sdn'];

export const diskSchema = strictObject({
  size: quantity('size', { positive: true }),
  // A disk the guest does not write unless told otherwise.
  writeRate: quantity('rate').default(0),
  // Absent: the whole disk, i.e. writes spread uniformly over every block (resolve.ts fills it in).
  hotSet: quantity('size').optional(),
  // `hotSet` alone says where the guest writes: all writes land there unless told otherwise.
  hotFraction: fraction().default(1),
  // Uniform writes inside each set, as the memory workload's default (DESIGN.md, Migration).
  pattern: oneOf(['random', 'sequential']).default('random'),
}).superRefine((disk, ctx) => {
  if (disk.hotSet !== undefined && disk.hotSet > disk.size) {
    ctx.addIssue({ code: 'custom', path: ['hotSet'], message: `${disk.hotSet} B is larger than the disk of ${disk.size} B (expected at most the disk's size)` });
  }
  if (disk.hotSet === 0 && disk.hotFraction > 0) {
    ctx.addIssue({ code: 'custom', path: ['hotFraction'], message: `${disk.hotFraction} of the writes go to a hot set of 0 B (expected a hotSet greater than 0, or hotFraction 0)` });
  }
});

export const storageMode = oneOf(STORAGE_MODES);
export const storageOrder = oneOf(STORAGE_ORDERS);
export const addressingScheme = oneOf(ADDRESSING_SCHEMES);
export const diskWriteLimit = rateOrNone();

/** Defaults of the migration fields, each with its reason. */
export const storageDefaults = {
  // A LAN with shared storage (SAN/NFS) moves no disk: the common case, and what every scenario before disks meant.
  storage: storageMode.default('shared'),
  // VMware ESX 5.x copies the disk before the memory (Mashtizadeh et al., USENIX ATC 2011, §6).
  storageOrder: storageOrder.default('before'),
  // No throttling: Bradford et al. (VEE 2007, §4.2) throttle only when told to.
  diskWriteLimit: diskWriteLimit.default(Infinity),
  // One broadcast domain, moved by a gratuitous ARP: what QEMU and Xen do by default.
  addressing: addressingScheme.default('l2'),
};

export const sdnSchema = strictObject({
  // Absent: the RTT of the migration path (the controller taken as one path away from the switches it updates).
  controllerRtt: quantity('time').optional(),
  // Of the order of a millisecond per rule on hardware OpenFlow switches at low table occupancy (He et al.,
  // Measuring control plane latency in SDN-enabled switches, SOSR 2015); more on full tables.
  ruleUpdate: quantity('time').default(1e-3),
});

export type DiskDocument = z.output<typeof diskSchema>;

/** The DiskSpec of a checked disk section; an absent hot set is the whole disk. */
export function toDiskSpec(doc: DiskDocument): DiskSpec {
  return {
    sizeBytes: doc.size,
    writeRateBytesPerS: doc.writeRate,
    hotSetBytes: doc.hotSet ?? doc.size,
    hotFraction: doc.hotFraction,
    pattern: doc.pattern,
  };
}

type StorageFields = Pick<MigrationSpec, 'storage' | 'storageOrder' | 'diskWriteLimitBytesPerS' | 'addressing'>;

/** A migration's storage and addressing fields, each from the migration or else from `defaults.migration`. */
export function toStorageFields(
  own: { storage?: StorageMode | undefined; storageOrder?: StorageOrder | undefined; diskWriteLimit?: number | undefined; addressing?: AddressingScheme | undefined },
  defaults: { storage: StorageMode; storageOrder: StorageOrder; diskWriteLimit: number; addressing: AddressingScheme },
): StorageFields {
  return {
    storage: own.storage ?? defaults.storage,
    storageOrder: own.storageOrder ?? defaults.storageOrder,
    diskWriteLimitBytesPerS: own.diskWriteLimit ?? defaults.diskWriteLimit,
    addressing: own.addressing ?? defaults.addressing,
  };
}

export function toSdnSpec(doc: z.output<typeof sdnSchema>): SdnSpec {
  return { ruleUpdateS: doc.ruleUpdate, ...(doc.controllerRtt === undefined ? {} : { controllerRttS: doc.controllerRtt }) };
}
