import { describe, expect, it } from 'vitest';
import { FornexError, isFornexError } from './fornex-error.js';

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
      cause: {
        name: 'TypeError',
        message: 'fetch failed',
        code: 'UND_ERR_SOCKET',
        cause: { name: 'Error', message: 'other side closed' },
      },
    });
  });

  it('counts one attempt unless told otherwise, and is told apart by isFornexError', () => {
    const error = new FornexError('x', { code: 'timeout', endpointId: 'account.info', method: 'GET' });
    expect(error.attempts).toBe(1);
    expect(isFornexError(error, 'timeout')).toBe(true);
    expect(isFornexError(error, 'http', 'auth')).toBe(false);
    expect(isFornexError({ code: 'timeout' })).toBe(false);
  });
});
