import { isoDateTime, longDate, parseIsoDateTime } from '../render/dates.js';
import type { SshKey } from '../world/types.js';
import { nextId } from './next-id.js';
import { ApiFailure, findOrder, type HandlerGroup, type RequestContext } from './types.js';

const KEY_ORDERS = ['vps', 'dedicated'] as const;
const publicKey =
  /^(ssh-rsa|ssh-dss|ssh-ed25519|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com) [A-Za-z0-9+/]+={0,3}( [^\r\n]*)?$/;

function render(key: SshKey, ctx: RequestContext) {
  return { date: longDate(parseIsoDateTime(key.created), ctx.dialect), id: key.id, key: key.key, title: key.title };
}

function findKey(ctx: RequestContext, id: number): SshKey {
  const key = ctx.tenant.sshKeys.find((k) => k.id === id);
  if (!key) throw new ApiFailure('keyNotFound');
  return key;
}

/** The type and blob of a key: a comment does not make a different key. */
function material(key: string): string {
  return key.split(' ').slice(0, 2).join(' ');
}

/** sshKeys.* handlers. */
export const sshKeyHandlers = {
  'sshKeys.add': (ctx) => {
    const { key, title } = ctx.params;
    if (!publicKey.test(key)) throw new ApiFailure('invalidKey');
    if (ctx.tenant.sshKeys.some((k) => material(k.key) === material(key))) throw new ApiFailure('duplicateKey');
    const created: SshKey = {
      id: nextId(ctx.world.state.sequences, 'sshKey'),
      title,
      key,
      created: isoDateTime(ctx.now),
    };
    ctx.tenant.sshKeys.push(created);
    // The ru document answers a one-element list.
    return ctx.dialect === 'ru' ? [render(created, ctx)] : render(created, ctx);
  },
  'sshKeys.addToOrder': (ctx) => {
    const order = findOrder(ctx, ctx.params.order_id, KEY_ORDERS);
    const key = findKey(ctx, ctx.params.key_pk);
    if (!order.sshKeyIds.includes(key.id)) order.sshKeyIds.push(key.id);
    return { ok: true };
  },
  'sshKeys.delete': (ctx) => {
    const key = findKey(ctx, ctx.params.key_pk);
    ctx.tenant.sshKeys = ctx.tenant.sshKeys.filter((k) => k !== key);
    for (const order of ctx.tenant.orders) order.sshKeyIds = order.sshKeyIds.filter((id) => id !== key.id);
    return { ok: true };
  },
  'sshKeys.deleteFromOrder': (ctx) => {
    const order = findOrder(ctx, ctx.params.order_id, KEY_ORDERS);
    const key = findKey(ctx, ctx.params.key_pk);
    if (!order.sshKeyIds.includes(key.id)) throw new ApiFailure('keyNotOnOrder');
    order.sshKeyIds = order.sshKeyIds.filter((id) => id !== key.id);
    return { ok: true };
  },
  'sshKeys.listForOrder': (ctx) => {
    const order = findOrder(ctx, ctx.params.order_id, KEY_ORDERS);
    return ctx.tenant.sshKeys.filter((k) => order.sshKeyIds.includes(k.id)).map((k) => render(k, ctx));
  },
  'sshKeys.list': (ctx) => ctx.tenant.sshKeys.map((k) => render(k, ctx)),
} satisfies HandlerGroup<'sshKeys'>;
