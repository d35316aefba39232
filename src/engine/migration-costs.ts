// What a migration's encryption costs the run, from its spec: the wire bytes per stream byte on its path
// (network headers, ESP or TLS framing, and any other per-packet encapsulation), and the options its CPU
// work is costed with (cipher, cipher and copy throughputs: src/power/migration-cpu.ts).
import type { MigrationSpec, NetworkSpec } from '../config/scenario.js';
import type { MigrationCpuOptions } from '../power/migration-cpu.js';
import { encryptedWireFactor, encryptionWireOverhead } from '../security/ciphers.js';

/**
 * Wire bytes per stream byte of the migration: ESP adds bytes per packet, TLS per record
 * (ciphers.ts encryptedWireFactor); `extraPerPacketBytes` is any other encapsulation on the path. With no
 * cipher this is exactly transport/wire.ts wireFactor(network, extraPerPacketBytes).
 */
export function migrationWireFactor(network: NetworkSpec, migration: MigrationSpec, extraPerPacketBytes = 0): number {
  return encryptedWireFactor(network, encryptionWireOverhead(migration.encryption, migration.encryptionMode), extraPerPacketBytes);
}

/** The cipher and throughputs the migration's stream CPU work is costed with. */
export function migrationCpuOptions(migration: MigrationSpec): MigrationCpuOptions {
  const options: MigrationCpuOptions = { cipher: migration.encryption };
  if (migration.cipherThroughputs !== undefined) options.cipherThroughputs = migration.cipherThroughputs;
  if (migration.copyThroughputs !== undefined) options.copy = migration.copyThroughputs;
  return options;
}
