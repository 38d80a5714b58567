import type { Dialect, EndpointId, EndpointOf, ParamShape } from '@fornex-flow/core';
import type { z } from 'zod';
import type { MessageKey } from '../render/messages.js';
import type { MockWorld } from '../world/create-world.js';
import type { Order, Tenant } from '../world/types.js';

// zod types an empty object's output as Record<string, never>, which would make the intersection
// below uninhabitable: an empty shape contributes nothing instead.
type OutputOf<Shape extends ParamShape> = [keyof Shape] extends [never] ? unknown : z.output<z.ZodObject<Shape>>;

/** Path and query/body parameters of an endpoint, as the contract's schemas output them. */
export type ParamsOf<Id extends EndpointId> = OutputOf<EndpointOf<Id>['pathParams']> &
  OutputOf<EndpointOf<Id>['params']>;

/** What every handler sees besides its parameters: the caller's tenant, the world and mock time. */
export interface RequestContext {
  readonly world: MockWorld;
  readonly tenant: Tenant;
  readonly dialect: Dialect;
  /** Mock time of the request. */
  readonly now: number;
}

/** What the handler of endpoint `Id` sees: the request context plus its validated parameters. */
export interface HandlerContext<Id extends EndpointId> extends RequestContext {
  readonly params: ParamsOf<Id>;
}

/** A text answer (zone file, VPN config). */
export interface TextReply {
  readonly text: string;
  readonly contentType: string;
  readonly filename?: string;
}

/** A handler answers a JSON value (floats marked with pyFloat) or a text reply. */
type Handler<Id extends EndpointId> = (ctx: HandlerContext<Id>) => unknown;

/** One handler per endpoint of the contract. */
export type HandlerMap = { readonly [Id in EndpointId]: Handler<Id> };

/** The handlers of one group (`dns`, `vps`...): every endpoint of the group, nothing else. */
export type HandlerGroup<G extends string> = Pick<HandlerMap, Extract<EndpointId, `${G}.${string}`>>;

/** Thrown by a handler to answer `{"error": ...}` with a message of the table. */
export class ApiFailure extends Error {
  constructor(
    readonly key: MessageKey,
    readonly args: Record<string, string | number> = {},
  ) {
    super(key);
  }
}

/** Marks a reply as text. */
export function textReply(text: string, contentType: string, filename?: string): TextReply {
  return filename ? { text, contentType, filename } : { text, contentType };
}

/** True for replies made by `textReply`. */
export function isTextReply(value: unknown): value is TextReply {
  return typeof value === 'object' && value !== null && 'text' in value && 'contentType' in value;
}

/**
 * The caller's order, or the same error as for an order that does not exist: another tenant's
 * order is indistinguishable from a missing one.
 */
export function findOrder(ctx: RequestContext, id: string, types?: readonly string[]): Order {
  const order = ctx.tenant.orders.find((o) => o.id === id);
  if (!order) throw new ApiFailure('orderNotFound');
  if (types && !types.includes(order.type)) throw new ApiFailure('wrongOrderType', { id: order.id });
  return order;
}
