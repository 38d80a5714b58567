import type { z } from 'zod';
import type { Dialect } from './dialect.js';

/** HTTP methods the documented API uses. */
export const HttpMethod = { GET: 'GET', POST: 'POST' } as const;
/** `GET` or `POST`. */
export type HttpMethod = (typeof HttpMethod)[keyof typeof HttpMethod];

/** How a response body is written: JSON, or plain text (zone file, VPN config). */
export const ResponseKind = { json: 'json', text: 'text' } as const;
/** `json` or `text`. */
export type ResponseKind = (typeof ResponseKind)[keyof typeof ResponseKind];

/** A zod object shape: parameter name (as documented) to its schema. */
export type ParamShape = Record<string, z.ZodType>;

/** The documented response body of an endpoint, per dialect. */
export interface DialectSchemas<En extends z.ZodType = z.ZodType, Ru extends z.ZodType = z.ZodType> {
  readonly en: En;
  readonly ru: Ru;
}

/** One endpoint of the documented API, declared once and used by the client, the mock and the docs. */
export interface EndpointDefinition<
  Id extends string = string,
  P extends ParamShape = ParamShape,
  Q extends ParamShape = ParamShape,
  En extends z.ZodType = z.ZodType,
  Ru extends z.ZodType = z.ZodType,
> {
  /** Stable id, `group.action`, e.g. `vps.restart`. */
  readonly id: Id;
  /** The documentation's section, e.g. `VPS`. */
  readonly group: string;
  /** The documentation's title of the method. */
  readonly title: string;
  readonly method: HttpMethod;
  /** Path template with `{param}` placeholders, e.g. `/api/vps/restart/{order_id}/`. */
  readonly path: string;
  /** A dialect that documents the endpoint at another path (change_ns in the ru document). */
  readonly dialectPaths?: Readonly<Partial<Record<Dialect, string>>>;
  /** Parameters in the path. */
  readonly pathParams: P;
  /** Parameters in the query string (GET) or the form body (POST), besides `apikey`. */
  readonly params: Q;
  /** The response body as each dialect writes it. */
  readonly response: DialectSchemas<En, Ru>;
  readonly responseKind: ResponseKind;
  /** Needs an extra right (DNS editing) besides a valid key. */
  readonly protected: boolean;
  /** Dialects whose document describes this endpoint. */
  readonly documentedIn: readonly Dialect[];
  /** A note on a documented quirk that every part must keep. */
  readonly quirk?: string;
  /** A GET that changes something (passwd_reset): never retried automatically, unlike other GETs. */
  readonly sideEffect?: true;
}

/** Declares one endpoint of the contract; the identity function, kept for its inference. */
export function defineEndpoint<
  const Id extends string,
  P extends ParamShape,
  Q extends ParamShape,
  En extends z.ZodType,
  Ru extends z.ZodType,
>(definition: EndpointDefinition<Id, P, Q, En, Ru>): EndpointDefinition<Id, P, Q, En, Ru> {
  return definition;
}
