import { randomBytes } from 'node:crypto';

let lastMs = -1;
let sequence = 0;

// Random bytes drawn 4 KiB at a time: one randomBytes(16) call per run was a measurable share of a
// short run's cost (like node's own randomUUID, which keeps a cache for the same reason).
const poolSize = 4096;
let pool = Buffer.alloc(0);
let poolOffset = poolSize;

function random16(): Buffer {
  if (poolOffset + 16 > pool.length) {
    pool = randomBytes(poolSize);
    poolOffset = 0;
  }
  const bytes = Buffer.from(pool.subarray(poolOffset, poolOffset + 16));
  poolOffset += 16;
  return bytes;
}

/**
 * A time-ordered run id in UUID v7 layout (48-bit milliseconds, then a sequence and random bits).
 * Why: runs, steps and history are keyed by run id; ids that sort by creation time keep the rows
 * of runs alive at the same moment on neighbouring pages, so a group commit writes a few pages
 * instead of one page per run (random v4 ids scatter them over the whole table).
 */
export function createRunId(nowMs: number): string {
  if (nowMs === lastMs) sequence++;
  else {
    lastMs = nowMs;
    sequence = 0;
  }
  const bytes = random16();
  // 48 bits fit a double exactly: plain arithmetic, no BigInt per run.
  const ms = Math.max(0, Math.floor(nowMs));
  for (let i = 0; i < 6; i++) bytes[i] = Math.floor(ms / 2 ** (8 * (5 - i))) % 256;
  // 12 bits of sequence in the rand_a field keep ids made within one millisecond in order.
  bytes[6] = 0x70 | ((sequence >> 8) & 0x0f);
  bytes[7] = sequence & 0xff;
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
