import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { httpError } from './http-error.js';

/** The cookie a browser gets after presenting `?token=` once. */
export const TOKEN_COOKIE = 'fornex_flow_token';

/** True for an address only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}

// Compares in constant time so the token cannot be guessed a byte at a time from response times.
function sameToken(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function bearerOf(c: Context): string | undefined {
  const header = c.req.header('authorization');
  const match = header && /^Bearer\s+(.+)$/i.exec(header.trim());
  return match ? match[1] : undefined;
}

/**
 * Guards every route. With a token: `Authorization: Bearer`, the cookie, or `?token=` (which sets
 * the HttpOnly cookie and redirects to the same page without it, so it leaves the address bar).
 * Without one (loopback only): requests must name a loopback Host, so that a web page elsewhere
 * cannot reach the server through DNS rebinding.
 */
export function authGuard(token: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (token === undefined) {
      const host = (c.req.header('host') ?? '').replace(/:\d+$/, '');
      if (!isLoopbackHost(host))
        throw httpError(403, 'FORBIDDEN_HOST', `requests must address a loopback host, not ${host}`);
      return next();
    }
    const fromQuery = c.req.query('token');
    if (fromQuery !== undefined && sameToken(fromQuery, token)) {
      setCookie(c, TOKEN_COOKIE, token, { httpOnly: true, sameSite: 'Strict', path: '/' });
      if (c.req.method === 'GET') {
        const url = new URL(c.req.url);
        url.searchParams.delete('token');
        return c.redirect(`${url.pathname}${url.search}`, 303);
      }
      return next();
    }
    if (sameToken(bearerOf(c), token) || sameToken(getCookie(c, TOKEN_COOKIE), token)) return next();
    throw httpError(
      401,
      'UNAUTHORIZED',
      'a valid token is required (Authorization: Bearer <token>, or ?token= once in a browser)',
    );
  };
}
