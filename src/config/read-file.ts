// Reads the files a scenario consists of (the scenario itself, a GraphML topology) at most MAX_FILE_BYTES at a
// time: readFileSync reads a device such as /dev/zero until memory runs out (a fuzzed `mignet validate
// /dev/zero` ran until it was killed), and a file of gigabytes would take minutes to parse. Pipes and
// devices that end (/dev/stdin) are read like files.
import { closeSync, openSync, readSync } from 'node:fs';

/** 64 MiB: a scenario of 100,000 VMs is about 10 MB of YAML, the largest Topology Zoo file under 1 MB. */
export const MAX_FILE_BYTES = 64 * 2 ** 20;

const CHUNK_BYTES = 2 ** 20;

/** Why a file could not be read, in the words of a message: `no such file`, `it is a directory`, ... */
export function unreadableReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EFBIG') return `it is larger than ${MAX_FILE_BYTES / 2 ** 20} MiB`;
  return String(error);
}

/** The bytes of `path`, like readFileSync; throws like it, and with code EFBIG past MAX_FILE_BYTES. */
export function readFileCapped(path: string): Uint8Array {
  const descriptor = openSync(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
      const read = readSync(descriptor, chunk, 0, CHUNK_BYTES, null);
      if (read === 0) break;
      total += read;
      if (total > MAX_FILE_BYTES) throw Object.assign(new Error(`${path} is larger than ${MAX_FILE_BYTES} bytes`), { code: 'EFBIG' });
      chunks.push(chunk.subarray(0, read));
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(descriptor);
  }
}
