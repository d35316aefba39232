// Writing results out, to stdout or to files, in chunks rather than as one string, with one error for every
// way a write can fail (issue 17: `| head` and a full disk ended in Node stack traces, a 184 MB results JSON
// died building its string, and `--out` on a full disk left truncated files).
// Writes are synchronous (fs.writeSync), so a failure is known at the write that failed, not later as an
// 'error' event, and nothing more is computed for a reader that has gone. Files are written to a temporary
// name beside the target and renamed over it once complete (rename(2) is atomic within a file system), so a
// failed write leaves the old complete file or none, never a truncated one; the temporary is removed.
import { closeSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { threadId } from 'node:worker_threads';

/** A write to `target` (a file path, or `stdout`) failed; `code` is the system's (EPIPE, ENOSPC, ...). */
export class OutputWriteError extends Error {
  constructor(
    readonly target: string,
    readonly code: string | undefined,
    readonly reason: string,
  ) {
    super(`cannot write ${target} (${reason})`);
    this.name = 'OutputWriteError';
  }
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EEXIST: 'exists and is not a folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'is a folder',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EIO: 'input/output error',
  EPIPE: 'the reader closed the pipe',
  ENOENT: 'no such file or folder',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'name too long',
};

/** The system's reason for a failed file operation in words, never a raw `Error: ENOSPC: ...` text. */
export function writeReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined) return REASONS[code] ?? code;
  return error instanceof Error ? error.message : String(error);
}

function writeError(target: string, error: unknown): OutputWriteError {
  if (error instanceof OutputWriteError) return error;
  return new OutputWriteError(target, (error as NodeJS.ErrnoException | undefined)?.code, writeReason(error));
}

/** Chunks are gathered up to this many characters per write: few system calls, bounded memory. */
const WRITE_CHARS = 1 << 16;
/** For a 1 ms sleep while a non-blocking descriptor is full (EAGAIN). */
const SLEEPER = new Int32Array(new SharedArrayBuffer(4));

function writeAll(descriptor: number, text: string, target: string): void {
  const buffer = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < buffer.length) {
    try {
      offset += writeSync(descriptor, buffer, offset);
    } catch (error) {
      // stdout inherited in non-blocking mode (a parent's pipe) refuses a write while it is full: wait and retry.
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') Atomics.wait(SLEEPER, 0, 0, 1);
      else throw writeError(target, error);
    }
  }
}

function writeChunks(descriptor: number, chunks: Iterable<string>, target: string): void {
  let pending = '';
  for (const chunk of chunks) {
    pending += chunk;
    if (pending.length >= WRITE_CHARS) {
      writeAll(descriptor, pending, target);
      pending = '';
    }
  }
  if (pending.length > 0) writeAll(descriptor, pending, target);
}

/** Writes `chunks` to stdout as they come; throws OutputWriteError (code EPIPE when the reader has gone). */
export function writeStdout(chunks: Iterable<string> | string): void {
  writeChunks(1, typeof chunks === 'string' ? [chunks] : chunks, 'stdout');
}

/** The temporary a file is written to before its rename: beside it, unique to this process and thread. */
function temporaryPath(path: string): string {
  return `${path}.${process.pid}-${threadId}.tmp`;
}

/** Whether the file `name` is a temporary of this process (any of its threads). */
export function isOwnTemporary(name: string): boolean {
  return name.endsWith('.tmp') && name.includes(`.${process.pid}-`);
}

/** Writes `chunks` to `path` atomically (temporary, then rename); on failure removes the temporary and throws
 * OutputWriteError naming `path`. */
export function writeFileAtomically(path: string, chunks: Iterable<string> | string): void {
  const temporary = temporaryPath(path);
  let descriptor: number | undefined;
  try {
    descriptor = openSync(temporary, 'w');
    writeChunks(descriptor, typeof chunks === 'string' ? [chunks] : chunks, path);
    closeSync(descriptor);
    descriptor = undefined;
    renameSync(temporary, path);
  } catch (error) {
    if (descriptor !== undefined) closeQuietly(descriptor);
    removeQuietly(temporary);
    throw writeError(path, error);
  }
}

function closeQuietly(descriptor: number): void {
  try {
    closeSync(descriptor);
  } catch {
    // already failing: the write's error is the one reported
  }
}

/** Removes `path` if it is there; a failure to remove a temporary does not hide the error that led here. */
export function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // absent, or not removable: nothing more to do
  }
}
