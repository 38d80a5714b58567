import type { Dialect } from '@fornex-flow/core';
import type { MessageKey } from '../render/messages.js';
import type { MockWorld } from '../world/create-world.js';
import type { ApiKeyGrant, Order, Tenant } from '../world/types.js';

/** What a handler sees: the caller's tenant, validated parameters, the world and mock time. */
export interface HandlerContext {
  readonly world: MockWorld;
  readonly tenant: Tenant;
  readonly grant: ApiKeyGrant;
  readonly dialect: Dialect;
  /** Path and query/body parameters after the contract's schemas parsed them. */
  readonly params: Record<string, unknown>;
  /** Mock time of the request. */
  readonly now: number;
}

/** A text answer (zone file, VPN config). */
export interface TextReply {
  readonly text: string;
  readonly contentType: string;
  readonly filename?: string;
}

/** A handler answers a JSON value (floats marked with pyFloat) or a text reply. */
export type Handler = (ctx: HandlerContext) => unknown;

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
export function findOrder(ctx: HandlerContext, id: unknown, types?: readonly string[]): Order {
  const order = ctx.tenant.orders.find((o) => o.id === id);
  if (!order) throw new ApiFailure('orderNotFound');
  if (types && !types.includes(order.type)) throw new ApiFailure('wrongOrderType', { id: order.id });
  return order;
}
