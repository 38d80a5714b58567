import type { z } from 'zod';
import type { EndpointId, EndpointOf } from '../api/endpoints/index.js';
import type { ttlValues } from '../api/params.js';
import type { NormalizedResults } from './response/normalized-results.js';
import type { Prettify, RawResponse } from './response/raw-response.js';

export type { Prettify, RawResponse } from './response/raw-response.js';

/** A TTL the API accepts, in seconds (120, 300, ..., 86400). */
export type Ttl = (typeof ttlValues)[number];

// The contract accepts `ttl` as any number or digit string and refuses the undocumented ones at
// run time; callers get the documented values as literals, so a typo fails at compile time.
type InputOf<S> = {
  [K in keyof S]: S[K] extends z.ZodType
    ? K extends 'ttl'
      ? Ttl | `${Ttl}` | Extract<z.input<S[K]>, undefined>
      : z.input<S[K]>
    : never;
};
type OptionalKeys<T> = { [K in keyof T]: undefined extends T[K] ? K : never }[keyof T];
// Zod's own object input, computed from the shape directly: a parameter whose schema accepts
// undefined is optional.
type ObjectInput<S> = keyof S extends never
  ? Record<string, never>
  : Prettify<
      { -readonly [K in Exclude<keyof S, OptionalKeys<InputOf<S>>>]: InputOf<S>[K] } & {
        -readonly [K in OptionalKeys<InputOf<S>>]?: InputOf<S>[K];
      }
    >;
type ParamsById = {
  [Id in EndpointId]: ObjectInput<EndpointOf<Id>['pathParams'] & EndpointOf<Id>['params']>;
};

/**
 * The parameters of one endpoint under the documentation's own names, path and query/body
 * together, as the caller may write them (`{ order_id: '34-177054', log_id: 222287 }`).
 */
export type EndpointParams<Id extends EndpointId> = ParamsById[Id];

/**
 * What a call of one endpoint resolves to, whichever dialect answered: the normalized type where
 * the dialects or the wire differ (see `normalize.ts`), the contract's own type elsewhere.
 */
export type EndpointResult<Id extends EndpointId> = Id extends keyof NormalizedResults
  ? NormalizedResults[Id]
  : RawResponse<Id, 'en'>;

/** Per-call options. */
export interface RequestOptions {
  /** Aborts the call (and any retry wait); the call rejects with a `network` error. */
  readonly signal?: AbortSignal | undefined;
  /** Overrides the client's `timeoutMs` for this call, per attempt. */
  readonly timeoutMs?: number | undefined;
}

/** The trailing arguments of `client.request(id, ...)`: params optional when none is required. */
export type RequestArgs<Id extends EndpointId> =
  Record<never, never> extends EndpointParams<Id>
    ? [params?: EndpointParams<Id>, options?: RequestOptions]
    : [params: EndpointParams<Id>, options?: RequestOptions];

/** `client.request`: calls any endpoint of the contract by id. */
export type RequestFunction = <Id extends EndpointId>(id: Id, ...args: RequestArgs<Id>) => Promise<EndpointResult<Id>>;
