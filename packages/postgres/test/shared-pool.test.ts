import { createEngine, defineRecipe, stepActor } from '@fornex-flow/core';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { setup } from 'xstate';
import { z } from 'zod';
import { postgresStore } from '../src/postgres-store.js';
import { dropSchema, freshSchema, pgUrl } from './pg-url.js';

// The per-step write is a named (prepared) statement, and node-postgres refuses one name for two
// texts on a connection: stores of two schemas that share one pool, and so one connection here,
// must each work.
const url = pgUrl();
const schemas = [freshSchema('shared_a'), freshSchema('shared_b')];

const recipe = defineRecipe({
  id: 'two-steps',
  version: 1,
  description: 'two idempotent steps',
  input: z.object({}),
  machine: setup({ actors: { work: stepActor() } }).createMachine({
    id: 'two-steps',
    initial: 'a',
    output: 'both',
    states: {
      a: { invoke: { id: 'a', src: 'work', onDone: 'b' } },
      b: { invoke: { id: 'b', src: 'work', onDone: 'done' } },
      done: { type: 'final' },
    },
  }),
  steps: { work: { idempotent: true, run: () => null } },
});

describe.skipIf(!url)('stores of two schemas on one pool', () => {
  afterAll(async () => {
    for (const schema of schemas) await dropSchema(url as string, schema);
  });

  it('each runs its runs over the same connection', async () => {
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      const engines = schemas.map((schema) =>
        createEngine({ store: postgresStore({ pool, schema }) }).register(recipe),
      );
      for (let round = 0; round < 2; round++)
        for (const engine of engines) expect(await (await engine.start('two-steps', {})).result()).toBe('both');
      for (const engine of engines) await engine.close();
    } finally {
      await pool.end();
    }
  });
});
