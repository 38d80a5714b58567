import { REDACTED } from '@fornex-flow/core';
import { isApiKeyName } from './api-key-name.js';

/** One request as the journal keeps it, with every API key redacted. */
export interface JournalEntry {
  readonly seq: number;
  readonly at: string;
  readonly method: string;
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

/** Replaces the `apikey` parameter and any parameter holding a known key value in form/query text. */
export function redact(text: string, keys: readonly string[]): string {
  const secret = (s: string) => keys.some((key) => key.length >= 4 && s.includes(key));
  return text
    .split('&')
    .map((pair) => {
      // Decoded as the request parser decodes it: `api%6Bey=PERSONAL%5FAPI%5FKEY` authenticates,
      // so it must be redacted too, although the raw text contains neither `apikey=` nor the key.
      const [name = '', value = ''] = [...new URLSearchParams(pair)][0] ?? [];
      if (!isApiKeyName(name) && !secret(name) && !secret(value) && !secret(pair)) return pair;
      const eq = pair.indexOf('=');
      return `${eq < 0 || secret(name) || secret(pair.slice(0, eq)) ? REDACTED : pair.slice(0, eq)}=${REDACTED}`;
    })
    .join('&');
}

/** Creates a journal holding at most `size` entries. */
export function createJournal(size: number): Journal {
  const ring: Array<JournalEntry | undefined> = new Array(size);
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
      ring[next] = { ...entry, body, seq: ++seq, at: new Date().toISOString() };
      next = (next + 1) % size;
      if (count < size) count++;
    },
    list(limit) {
      const out: JournalEntry[] = [];
      for (let i = 0; i < size; i++) {
        const entry = ring[(next + i) % size];
        if (entry) out.push(entry);
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
