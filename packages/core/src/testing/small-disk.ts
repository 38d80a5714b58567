import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// A real full disk (SQLITE_FULL, ENOSPC) needs a real small file system: a tmpfs of a few MiB.
// Mounting needs root (CAP_SYS_ADMIN); callers skip, and say so, where it is refused.

const mounted: string[] = [];

/** Mounts a fresh tmpfs of `sizeKb` KiB in a temp directory and returns it, or undefined when mounting is not allowed here. */
export function mountSmallDisk(sizeKb: number): string | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fornex-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch {
    fs.rmdirSync(dir);
    return undefined;
  }
  mounted.push(dir);
  return dir;
}

/** True when this process may mount a tmpfs (tried once, with a 64 KiB one). */
export function canMountSmallDisk(): boolean {
  return mountSmallDisk(64) !== undefined;
}

/** Unmounts (lazily) and removes every tmpfs `mountSmallDisk` mounted: call it in `afterAll`. */
export function unmountSmallDisks(): void {
  for (const dir of mounted.splice(0)) {
    execFileSync('umount', ['-l', dir]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Fills the file system holding `dir` to the last byte; returns the filler's path (remove it to free the space). */
export function fillDisk(dir: string): string {
  const filler = path.join(dir, 'filler');
  const fd = fs.openSync(filler, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (let size = chunk.length; size >= 1; size = Math.floor(size / 2)) {
      for (;;) {
        try {
          fs.writeSync(fd, chunk, 0, size);
        } catch {
          break;
        }
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return filler;
}
