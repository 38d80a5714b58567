import { describe, expect, it } from 'vitest';
import { FornexError, type FornexErrorCode, isFornexError } from './fornex-error.js';

describe('FornexError', () => {
  it('carries its context and serializes it with its cause chain, without stacks', () => {
    const cause = Object.assign(new TypeError('fetch failed', { cause: new Error('other side closed') }), {
      code: 'UND_ERR_SOCKET',
    });
    const error = new FornexError('vps.restart: network error', {
      code: 'network',
      endpointId: 'vps.restart',
      method: 'POST',
      url: 'https://fornex.com/api/vps/restart/34-1/',
      attempts: 1,
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('FornexError');
    expect(error.cause).toBe(cause);
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'FornexError',
      code: 'network',
      message: 'vps.restart: network error',
      endpointId: 'vps.restart',
      method: 'POST',
      url: 'https://fornex.com/api/vps/restart/34-1/',
      attempts: 1,
      retryable: true,
      cause: {
        name: 'TypeError',
        message: 'fetch failed',
        code: 'UND_ERR_SOCKET',
        cause: { name: 'Error', message: 'other side closed' },
      },
    });
  });

  it('is retryable for transient failures only, unless told otherwise', () => {
    const make = (code: FornexErrorCode, status?: number, retryable?: boolean) =>
      new FornexError('x', { code, endpointId: 'account.balance', method: 'GET', status, retryable });
    expect(
      [
        make('timeout'),
        make('network'),
        make('http', 500),
        make('http', 503),
        make('http', 429),
        make('http', 404),
        make('http', 400),
        make('http'),
        make('auth', 403),
        make('api', 200),
        make('api', 400),
        make('validation', 200),
        make('validation'),
      ].map((error) => [error.code, error.status, error.retryable]),
    ).toEqual([
      ['timeout', undefined, true],
      ['network', undefined, true],
      ['http', 500, true],
      ['http', 503, true],
      ['http', 429, true],
      ['http', 404, false],
      ['http', 400, false],
      ['http', undefined, false],
      ['auth', 403, false],
      ['api', 200, false],
      ['api', 400, false],
      ['validation', 200, false],
      ['validation', undefined, false],
    ]);
    expect(make('network', undefined, false).retryable).toBe(false);
    expect(make('api', 200).toJSON()).toMatchObject({ retryable: false });
  });

  it('counts one attempt unless told otherwise, and is told apart by isFornexError', () => {
    const error = new FornexError('x', { code: 'timeout', endpointId: 'account.info', method: 'GET' });
    expect(error.attempts).toBe(1);
    expect(isFornexError(error, 'timeout')).toBe(true);
    expect(isFornexError(error, 'http', 'auth')).toBe(false);
    expect(isFornexError({ code: 'timeout' })).toBe(false);
  });
});
