import { testDatabaseUrl } from '../src/testing/index.js';

export { dropSchema, freshSchema } from '../src/testing/index.js';

/** The PostgreSQL server of this package's suite (see testDatabaseUrl). */
export const pgUrl = (): string | undefined => testDatabaseUrl('the PostgreSQL suite (@fornex-flow/postgres)');
