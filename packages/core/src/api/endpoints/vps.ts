import { z } from 'zod';
import { defineEndpoint } from '../define-endpoint.js';
import { dialects } from '../dialect.js';
import { intId, isoDate, orderId, statFields } from '../params.js';
import { okString, statSeries } from '../responses.js';

const powerQuirk = 'answers {"ok": "True"}: a string, not a boolean';

const logDetails = z.object({
  action: z.string(),
  completed: z.boolean(),
  job_action: z.string(),
  job_state: z.string(),
  note: z.string(),
  pk: z.number().int(),
  time: z.string(),
  user: z.string(),
});
const stats = z.object({ series: z.array(statSeries), subtitle: z.string() });

function power<Id extends string>(id: Id, title: string, action: string) {
  return defineEndpoint({
    id,
    group: 'VPS',
    title,
    method: 'POST',
    path: `/api/vps/${action}/{order_id}/`,
    pathParams: { order_id: orderId },
    params: {},
    response: { en: okString, ru: okString },
    responseKind: 'json',
    protected: false,
    documentedIn: dialects,
    quirk: powerQuirk,
  });
}

/** VPS endpoints: power, root password, statistics, status and job details. */
export const vpsEndpoints = [
  defineEndpoint({
    id: 'vps.logDetails',
    group: 'VPS',
    title: 'Command execution details',
    method: 'GET',
    path: '/api/vps/log_details/{order_id}/',
    pathParams: { order_id: orderId },
    params: { log_id: intId },
    response: { en: logDetails, ru: logDetails },
    responseKind: 'json',
    protected: false,
    documentedIn: ['en'],
  }),
  power('vps.stop', 'Disable', 'stop'),
  power('vps.start', 'Enable', 'start'),
  power('vps.hardReset', 'Hard reset', 'hard_reset'),
  power('vps.restart', 'Reboot', 'restart'),
  defineEndpoint({
    id: 'vps.passwdReset',
    group: 'VPS',
    title: 'Reset root password',
    method: 'GET',
    path: '/api/vps/passwd_reset/{order_id}/',
    pathParams: { order_id: orderId },
    params: {},
    response: {
      en: z.object({ resp_id: z.number().int(), passwd: z.string() }),
      ru: z.object({ passwd: z.string(), ok: z.boolean() }),
    },
    responseKind: 'json',
    protected: false,
    documentedIn: dialects,
    quirk: 'a GET with a side effect; en answers {resp_id, passwd}, ru {passwd, ok}',
    sideEffect: true,
  }),
  defineEndpoint({
    id: 'vps.stats',
    group: 'VPS',
    title: 'Statistics',
    method: 'GET',
    path: '/api/vps_stat/{order_id}/{field}/{start}--{end}.json',
    pathParams: { order_id: orderId, field: z.enum(statFields), start: isoDate, end: isoDate },
    params: {},
    response: { en: stats, ru: stats },
    responseKind: 'json',
    protected: false,
    documentedIn: dialects,
    quirk: 'Highcharts series; names and subtitle are localized',
  }),
  defineEndpoint({
    id: 'vps.status',
    group: 'VPS',
    title: 'Status',
    method: 'GET',
    path: '/api/vps/status/{order_id}/',
    pathParams: { order_id: orderId },
    params: {},
    response: { en: z.object({ status: z.string() }), ru: z.object({ status: z.string() }) },
    responseKind: 'json',
    protected: false,
    documentedIn: dialects,
  }),
] as const;
