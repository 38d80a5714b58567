import { describe, expect, it } from 'vitest';
import { FornexError } from './fornex-error.js';
import { createCallObserver, type RequestEvent } from './hooks.js';

function required<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('expected an observer');
  return value;
}

describe('createCallObserver', () => {
  const event = {
    endpointId: 'account.info',
    method: 'GET',
    url: 'https://h/api/account/info?apikey=[REDACTED]',
    attempt: 1,
  } as const;
  const error = new FornexError('account.info: server error (HTTP 503)', {
    code: 'http',
    endpointId: 'account.info',
    method: 'GET',
  });

  it('passes every event to its hook and writes one log line per response, retry and failure', async () => {
    const lines: string[] = [];
    const seen: unknown[] = [];
    const observer = required(
      createCallObserver(
        {
          onRequest: (e: RequestEvent) => void seen.push(['request', e]),
          onResponse: (e) => void seen.push(['response', e.status]),
          onRetry: (e) => void seen.push(['retry', e.delayMs]),
          onError: (e) => void seen.push(['error', e.error.code]),
        },
        (line) => lines.push(line),
      ),
    );
    await observer.request(event);
    await observer.response({ ...event, status: 503, durationMs: 12.4 });
    await observer.retry({ ...event, delayMs: 250.2, error });
    await observer.error({ error });
    expect(seen).toEqual([
      ['request', event],
      ['response', 503],
      ['retry', 250.2],
      ['error', 'http'],
    ]);
    expect(lines).toEqual([
      'fornex account.info GET https://h/api/account/info?apikey=[REDACTED] -> 503 in 12 ms (attempt 1)',
      'fornex account.info GET https://h/api/account/info?apikey=[REDACTED] -> http; retry in 250 ms',
      'fornex account.info failed: [http] account.info: server error (HTTP 503)',
    ]);
  });

  it('is absent with neither hooks nor logger, so calls build no events', () => {
    expect(createCallObserver()).toBeUndefined();
    expect(createCallObserver({})).toBeUndefined();
    expect(createCallObserver(undefined, () => {})).toBeDefined();
    expect(createCallObserver({ onError: () => {} })).toBeDefined();
  });
});
