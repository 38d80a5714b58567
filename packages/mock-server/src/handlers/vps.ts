import { DAY_MS, logTime } from '../render/dates.js';
import { generatePassword } from '../render/random.js';
import { generateStats, MAX_STATS_DAYS, renderStatsSample } from '../render/stats.js';
import type { Job, Order, VpsPower } from '../world/types.js';
import { nextId } from './next-id.js';
import { ApiFailure, findOrder, type HandlerGroup, type RequestContext } from './types.js';

const VPS = ['vps'] as const;

/** The context of a handler whose endpoint names a VPS order in its path. */
type OrderContext = RequestContext & { readonly params: { readonly order_id: string } };

/** Settles a finished power transition; returns the status to report. */
function powerStatus(power: VpsPower, now: number): string {
  if (power.transition && now >= power.transition.untilMs) {
    power.state = power.transition.to;
    power.transition = null;
  }
  return power.transition ? power.transition.status : power.state;
}

function vpsPower(ctx: OrderContext): { order: Order; power: VpsPower } {
  const order = findOrder(ctx, ctx.params.order_id, VPS);
  order.power ??= { state: 'on', transition: null };
  return { order, power: order.power };
}

/** A power action: answers `{"ok": "True"}` and settles after `powerDelayMs` of mock time. */
function powerAction(to: 'on' | 'off', status: string, always: boolean): (ctx: OrderContext) => unknown {
  return (ctx) => {
    const { power } = vpsPower(ctx);
    powerStatus(power, ctx.now);
    if (power.transition) throw new ApiFailure('busy');
    // Stopping a stopped VPS or starting a running one changes nothing, and still answers ok.
    if (always || power.state !== to) {
      power.transition = { to, status, untilMs: ctx.now + ctx.world.powerDelayMs };
    }
    return { ok: 'True' };
  };
}

function jobCompleted(ctx: RequestContext, job: Job): boolean {
  if (job.completed !== null) return job.completed;
  return job.polls >= ctx.world.jobCompleteAfterPolls || ctx.now - job.createdMs >= ctx.world.jobCompleteAfterMs;
}

/** vps.* handlers. */
export const vpsHandlers = {
  'vps.logDetails': (ctx) => {
    const order = findOrder(ctx, ctx.params.order_id, VPS);
    const job = ctx.tenant.jobs.find((j) => j.id === ctx.params.log_id && j.orderId === order.id);
    if (!job) throw new ApiFailure('jobNotFound');
    job.polls++;
    const completed = jobCompleted(ctx, job);
    return {
      action: job.action,
      completed,
      job_action: job.job_action,
      job_state: completed ? 'done' : 'ready',
      note: job.note,
      pk: job.id,
      time: logTime(job.createdMs),
      user: job.user,
    };
  },
  'vps.stop': powerAction('off', 'stopping', false),
  'vps.start': powerAction('on', 'starting', false),
  'vps.hardReset': powerAction('on', 'restarting', true),
  'vps.restart': powerAction('on', 'restarting', true),
  'vps.passwdReset': (ctx) => {
    const order = findOrder(ctx, ctx.params.order_id, VPS);
    const { sequences } = ctx.world.state;
    const id = nextId(sequences, 'job');
    const passwd = generatePassword(nextId(sequences, 'password'));
    const job: Job = {
      id,
      orderId: order.id,
      action: 'Set root password',
      job_action: 'set_root_passwd',
      note: 'Resetting root password',
      user: ctx.tenant.account.username,
      createdMs: ctx.now,
      polls: 0,
      completed: null,
    };
    ctx.tenant.jobs.push(job);
    return ctx.dialect === 'ru' ? { passwd, ok: true } : { resp_id: job.id, passwd };
  },
  'vps.stats': (ctx) => {
    const order = findOrder(ctx, ctx.params.order_id, VPS);
    const { field, start, end } = ctx.params;
    if (end < start) throw new ApiFailure('badRange');
    const days = (Date.parse(end) - Date.parse(start)) / DAY_MS;
    if (days > MAX_STATS_DAYS) throw new ApiFailure('rangeTooLong');
    const sample = order.samples.stats?.[`${field}/${start}--${end}`];
    if (sample) return renderStatsSample(sample[ctx.dialect]);
    return generateStats(order.id, field, start, end, ctx.dialect);
  },
  'vps.status': (ctx) => {
    const { power } = vpsPower(ctx);
    return { status: powerStatus(power, ctx.now) };
  },
} satisfies HandlerGroup<'vps'>;
