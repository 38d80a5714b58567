#!/usr/bin/env node
// One server of the autocannon comparison, in a process of its own (bench/mock-autocannon.mjs
// starts them): `mock`, or a baseline doing the same key check and writing the same bytes:
// `plain` (node:http) or `hono` (a bare Hono app on @hono/node-server). Prints its URL.
// The baselines get the mock's exact answers as their second argument (JSON {get, post}).
import { createServer } from 'node:http';
import { PERSONAL_API_KEY, startMockServer } from '@fornex-flow/mock-server';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const kind = process.argv[2];
const KEYS = new Set([PERSONAL_API_KEY, 'LIMITED_API_KEY', 'OTHER_API_KEY']);
const JSON_TYPE = { 'content-type': 'application/json' };
const DENIED = '{"error": "Access denied: API_KEY is not specified or is wrong."}';

async function start() {
  if (kind === 'mock') return (await startMockServer({ port: 0 })).url;
  const replies = JSON.parse(process.argv[3] ?? '{}');
  if (kind === 'plain') {
    const server = createServer((req, res) => {
      const q = req.url.indexOf('?');
      if (req.method === 'GET') {
        const key = new URLSearchParams(q < 0 ? '' : req.url.slice(q + 1)).get('apikey');
        res.writeHead(KEYS.has(key) ? 200 : 403, JSON_TYPE).end(KEYS.has(key) ? replies.get : DENIED);
        return;
      }
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        const key = new URLSearchParams(body).get('apikey');
        res.writeHead(KEYS.has(key) ? 200 : 403, JSON_TYPE).end(KEYS.has(key) ? replies.post : DENIED);
      });
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${server.address().port}`;
  }
  if (kind === 'hono') {
    const app = new Hono();
    app.get('/api/*', (c) => {
      const ok = KEYS.has(c.req.query('apikey'));
      c.header('content-type', 'application/json');
      return c.body(ok ? replies.get : DENIED, ok ? 200 : 403);
    });
    app.post('/api/*', async (c) => {
      const ok = KEYS.has(new URLSearchParams(await c.req.text()).get('apikey'));
      c.header('content-type', 'application/json');
      return c.body(ok ? replies.post : DENIED, ok ? 200 : 403);
    });
    const server = await new Promise((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    return `http://127.0.0.1:${server.address().port}`;
  }
  throw new Error(`unknown server kind ${kind}: want mock, plain or hono`);
}

console.log(await start());
process.on('SIGTERM', () => process.exit(0));
