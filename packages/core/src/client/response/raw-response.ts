import type { z } from 'zod';
import type { Dialect } from '../../api/dialect.js';
import type { EndpointId, EndpointOf } from '../../api/endpoints/index.js';

// The two base types the client's other type files build on; this file imports nothing of the
// client back, so types.ts and normalized-results.ts can both use them without a loop.

/** An intersection flattened into one object type, so editors show its fields. */
export type Prettify<T> = { [K in keyof T]: T[K] } & {};

/** The response body of one endpoint as one dialect writes it, after contract validation. */
export type RawResponse<Id extends EndpointId, D extends Dialect> = z.output<EndpointOf<Id>['response'][D]>;
