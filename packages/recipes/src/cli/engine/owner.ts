import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

const prefix = 'fornex-flow';

/** This process's lease owner id: `fornex-flow:<host>:<pid>:<random>`, so others can tell when it died. */
export function createOwnerId(): string {
  return `${prefix}:${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * True when `owner` is a CLI process of this host that no longer exists: its leases are stale
 * and can be taken at once instead of after they expire. Any other owner (another host, a
 * library user's engine) is left to lease expiry.
 */
export function isDeadLocalOwner(owner: string | null): boolean {
  if (!owner) return false;
  const [name, host, pidText] = owner.split(':');
  if (name !== prefix || host !== hostname()) return false;
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  return !isAlive(pid);
}
