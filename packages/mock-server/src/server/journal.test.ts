import { REDACTED } from '@fornex-flow/core';
import { describe, expect, it } from 'vitest';
import { createJournal, redact } from './journal.js';

const entry = (n: number, body = '') => ({
  method: 'GET',
  path: `/p/${n}`,
  query: '',
  body,
  status: 200,
  dropped: false,
  endpointId: null,
  faultId: null,
  durationMs: 1,
});

describe('createJournal', () => {
  it('keeps the last `size` entries, oldest first, with growing seq', () => {
    const journal = createJournal(3);
    for (let n = 1; n <= 7; n++) journal.record(entry(n));
    expect(journal.list().map((e) => e.path)).toEqual(['/p/5', '/p/6', '/p/7']);
    expect(journal.list().map((e) => e.seq)).toEqual([5, 6, 7]);
  });

  it('returns fewer entries than size before it wraps', () => {
    const journal = createJournal(5);
    journal.record(entry(1));
    journal.record(entry(2));
    expect(journal.list().map((e) => e.path)).toEqual(['/p/1', '/p/2']);
  });

  it('limit keeps the newest N', () => {
    const journal = createJournal(10);
    for (let n = 1; n <= 4; n++) journal.record(entry(n));
    expect(journal.list(2).map((e) => e.path)).toEqual(['/p/3', '/p/4']);
    expect(journal.list(0)).toEqual([]);
    expect(journal.list(99)).toHaveLength(4);
  });

  it('clear empties it; seq keeps counting so entries stay distinguishable', () => {
    const journal = createJournal(3);
    journal.record(entry(1));
    journal.record(entry(2));
    journal.clear();
    expect(journal.list()).toEqual([]);
    journal.record(entry(3));
    expect(journal.list()).toEqual([expect.objectContaining({ path: '/p/3', seq: 3 })]);
  });

  it('cuts long bodies', () => {
    const journal = createJournal(1);
    journal.record(entry(1, 'x'.repeat(10_000)));
    const body = journal.list()[0]!.body;
    expect(body.length).toBeLessThan(10_000);
    expect(body.endsWith('…')).toBe(true);
  });
});

describe('redact', () => {
  const keys = ['PERSONAL_API_KEY', 'OTHER_API_KEY'];

  it('replaces the apikey parameter wherever it stands, whatever its case', () => {
    expect(redact('apikey=secret', keys)).toBe(`apikey=${REDACTED}`);
    expect(redact('a=1&apikey=secret&b=2', keys)).toBe(`a=1&apikey=${REDACTED}&b=2`);
    expect(redact('APIKEY=secret', keys)).toBe(`APIKEY=${REDACTED}`);
    expect(redact('apikey=PERSONAL%5FAPI%5FKEY', keys)).toBe(`apikey=${REDACTED}`);
    expect(redact('apikey', keys)).toBe(`${REDACTED}=${REDACTED}`);
  });

  it('sees through percent-encoding, as the request parser does', () => {
    // The server decodes both of these to apikey=PERSONAL_API_KEY and lets them in.
    expect(redact('api%6Bey=PERSONAL%5FAPI%5FKEY&a=1', keys)).toBe(`api%6Bey=${REDACTED}&a=1`);
    expect(redact('title=PERSONAL%5FAPI_KEY', keys)).toBe(`title=${REDACTED}`);
    expect(redact('PERSONAL%5FAPI%5FKEY=1', keys)).toBe(`${REDACTED}=${REDACTED}`);
  });

  it('replaces known key values in any field', () => {
    expect(redact('title=PERSONAL_API_KEY&x=my+OTHER_API_KEY', keys)).toBe(`title=${REDACTED}&x=${REDACTED}`);
    // A body cut short by the journal, or malformed, is still covered.
    expect(redact('a=%E0%A4%A&b=xPERSONAL_API_KEYx', keys)).toBe(`a=%E0%A4%A&b=${REDACTED}`);
  });

  it('leaves other text alone', () => {
    expect(redact('myapikey=1&title=hello', keys)).toBe('myapikey=1&title=hello');
    expect(redact('', keys)).toBe('');
  });
});
