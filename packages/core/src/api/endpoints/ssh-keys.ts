import { z } from 'zod';
import { defineEndpoint } from '../define-endpoint.js';
import { dialects } from '../dialect.js';
import { intId, orderId } from '../params.js';
import { okBoolean, sshKey } from '../responses.js';

const keyParams = { key_pk: intId };

/** SSH key endpoints: the account's keys and the keys installed on an order. */
export const sshKeyEndpoints = [
  defineEndpoint({
    id: 'sshKeys.add',
    group: 'SSH',
    title: 'Add key',
    method: 'POST',
    path: '/api/ssh_keys/add/',
    pathParams: {},
    params: {
      title: z.string().trim().min(1, 'is required').max(255),
      key: z.string().trim().min(1, 'is required').max(16384),
    },
    response: { en: sshKey, ru: z.array(sshKey).length(1) },
    responseKind: 'json',
    protected: false,
    documentedIn: dialects,
    quirk: 'en answers the key object; ru answers a one-element list',
  }),
  defineEndpoint({
    id: 'sshKeys.addToOrder',
    group: 'SSH',
    title: 'Add key to order',
    method: 'POST',
    path: '/api/ssh_keys/{order_id}/add/',
    pathParams: { order_id: orderId },
    params: keyParams,
    response: { en: okBoolean, ru: okBoolean },
    responseKind: 'json',
    protected: false,
    documentedIn: dialects,
  }),
  defineEndpoint({
    id: 'sshKeys.delete',
    group: 'SSH',
    title: 'Delete key',
    method: 'POST',
    path: '/api/ssh_keys/delete/',
    pathParams: {},
    params: keyParams,
    response: { en: okBoolean, ru: okBoolean },
    responseKind: 'json',
    protected: false,
    documentedIn: dialects,
  }),
  defineEndpoint({
    id: 'sshKeys.deleteFromOrder',
    group: 'SSH',
    title: 'Delete order key',
    method: 'POST',
    path: '/api/ssh_keys/{order_id}/delete/',
    pathParams: { order_id: orderId },
    params: keyParams,
    response: { en: okBoolean, ru: okBoolean },
    responseKind: 'json',
    protected: false,
    documentedIn: dialects,
  }),
  defineEndpoint({
    id: 'sshKeys.listForOrder',
    group: 'SSH',
    title: 'List of order keys',
    method: 'GET',
    path: '/api/ssh_keys/{order_id}/',
    pathParams: { order_id: orderId },
    params: {},
    response: { en: z.array(sshKey), ru: z.array(sshKey) },
    responseKind: 'json',
    protected: false,
    documentedIn: dialects,
  }),
  defineEndpoint({
    id: 'sshKeys.list',
    group: 'SSH',
    title: 'List of user keys',
    method: 'GET',
    path: '/api/ssh_keys/',
    pathParams: {},
    params: {},
    response: { en: z.array(sshKey), ru: z.array(sshKey) },
    responseKind: 'json',
    protected: false,
    documentedIn: dialects,
  }),
] as const;
