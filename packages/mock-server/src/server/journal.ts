import { REDACTED } from '@fornex-flow/core';
import { isApiKeyName } from './api-key-name.js';

/** One request as the journal keeps it, with every API key redacted. */
export interface JournalEntry {
  readonly seq: number;
  readonly at: string;
  readonly method: string;
  /** The path, each segment holding a key replaced by `[REDACTED]`. */
  readonly path: string;
  readonly query: string;
  readonly body: string;
  /** The status answered; null when no answer was sent (a `drop` fault). */
  readonly status: number | null;
  /** True when a `drop` fault destroyed the connection instead of answering. */
  readonly dropped: boolean;
  readonly endpointId: string | null;
  readonly faultId: number | null;
  readonly durationMs: number;
}

/** A bounded request journal: a ring buffer of the last `size` requests. */
export interface Journal {
  record(entry: Omit<JournalEntry, 'seq' | 'at'>): void;
  /** Oldest first; `limit` keeps the newest N. */
  list(limit?: number): JournalEntry[];
  clear(): void;
  /** How many entries the journal keeps at most. */
  readonly capacity: number;
  /** How many it holds now. */
  readonly count: number;
}

const MAX_BODY_CHARS = 4096;

/** A `name=value` pair decoded as URLSearchParams decodes it; without `%` or `+` it is as written. */
function decodePair(pair: string): [string, string] {
  if (!pair.includes('%') && !pair.includes('+')) {
    const eq = pair.indexOf('=');
    return eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
  }
  const [name = '', value = ''] = [...new URLSearchParams(pair)][0] ?? [];
  return [name, value];
}

function holdsKey(text: string, keys: readonly string[]): boolean {
  for (const key of keys) if (key.length >= 4 && text.includes(key)) return true;
  return false;
}

/** One `name=value` pair with its secrets replaced; the pair itself when it holds none. */
function redactPair(pair: string, keys: readonly string[]): string {
  // Decoded as the request parser decodes it: `api%6Bey=PERSONAL%5FAPI%5FKEY` authenticates,
  // so it must be redacted too, although the raw text contains neither `apikey=` nor the key.
  const [name, value] = decodePair(pair);
  if (!isApiKeyName(name) && !holdsKey(name, keys) && !holdsKey(value, keys) && !holdsKey(pair, keys)) return pair;
  const eq = pair.indexOf('=');
  const hidden = eq < 0 || holdsKey(name, keys) || holdsKey(pair.slice(0, eq), keys);
  return `${hidden ? REDACTED : pair.slice(0, eq)}=${REDACTED}`;
}

/** Replaces the `apikey` parameter and any parameter holding a known key value in form/query text. */
export function redact(text: string, keys: readonly string[]): string {
  if (text === '') return text;
  // Pair by pair; a new string is built only from the first pair that changes.
  let out: string | null = null;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('&', start);
    if (end < 0) end = text.length;
    const pair = text.slice(start, end);
    const safe = redactPair(pair, keys);
    if (out !== null) out += `&${safe}`;
    else if (safe !== pair) out = text.slice(0, start) + safe;
    start = end + 1;
  }
  return out ?? text;
}

/** Replaces each path segment holding a known key value (as written or percent-decoded) by `[REDACTED]`. */
export function redactPath(path: string, keys: readonly string[]): string {
  const secret = (s: string) => holdsKey(s, keys);
  // The common case, on every request: no key as written and nothing encoded.
  if (!path.includes('%') && !secret(path)) return path;
  return path
    .split('/')
    .map((segment) =>
      secret(segment) || (segment.includes('%') && secret(decodeSegment(segment))) ? REDACTED : segment,
    )
    .join('/');
}

/** A path segment percent-decoded; a malformed escape leaves it as written. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** One stored request, its time kept as a number. */
type Recorded = Omit<JournalEntry, 'at'> & { readonly atMs: number };

/** Creates a journal holding at most `size` entries. */
export function createJournal(size: number): Journal {
  // Entries are kept with their time as a number: a Date and its ISO text per request cost more
  // than the rest of the entry, and only a read of the journal needs them.
  const ring: Array<Recorded | undefined> = new Array(size);
  let next = 0;
  let seq = 0;
  let count = 0;
  return {
    capacity: size,
    get count() {
      return count;
    },
    record(entry) {
      const body = entry.body.length > MAX_BODY_CHARS ? `${entry.body.slice(0, MAX_BODY_CHARS)}…` : entry.body;
      // Field by field, not a spread of `entry`: its body may be the whole (1 MiB) request.
      ring[next] = {
        seq: ++seq,
        atMs: Date.now(),
        method: entry.method,
        path: entry.path,
        query: entry.query,
        body,
        status: entry.status,
        dropped: entry.dropped,
        endpointId: entry.endpointId,
        faultId: entry.faultId,
        durationMs: entry.durationMs,
      };
      next = (next + 1) % size;
      if (count < size) count++;
    },
    list(limit) {
      const out: JournalEntry[] = [];
      for (let i = 0; i < size; i++) {
        const recorded = ring[(next + i) % size];
        if (recorded) {
          const { atMs, ...rest } = recorded;
          out.push({ at: new Date(atMs).toISOString(), ...rest });
        }
      }
      return limit !== undefined && limit < out.length ? out.slice(out.length - limit) : out;
    },
    clear() {
      ring.fill(undefined);
      next = 0;
      count = 0;
    },
  };
}
