import type { EndpointId } from '../api/endpoints/index.js';
import type { EndpointParams, RequestFunction, RequestOptions } from './types.js';

type P<Id extends EndpointId> = EndpointParams<Id>;
type O = RequestOptions | undefined;

/** An order number, e.g. `34-177054`. */
export type OrderId = P<'vps.status'>['order_id'];
/** A DNS record to add: `host`, `type`, `value`, and optional `ttl` (documented values only) and `prio`. */
export type DnsRecordInput = Omit<P<'dns.addRecord'>, 'name'>;
/** A DNS record's new content, as for `dns.records.add`. */
export type DnsRecordUpdate = Omit<P<'dns.updateRecord'>, 'name' | 'pk'>;

/**
 * The grouped methods: one thin call of `request(id, params)` each, with ergonomic arguments.
 * A method's JSDoc names its endpoint id; parameters keep the documentation's meaning.
 */
export function createGroupedMethods(request: RequestFunction) {
  return {
    account: {
      /** `account.balance`: the balance and its currency. */
      balance: (options?: O) => request('account.balance', {}, options),
      /** `account.info`: the account's name and e-mail. */
      info: (options?: O) => request('account.info', {}, options),
      /** `account.invoices`: count and amount of unpaid invoices. */
      invoices: (options?: O) => request('account.invoices', {}, options),
    },
    orders: {
      /** `orders.list`: every order of the account. */
      list: (options?: O) => request('orders.list', {}, options),
    },
    plans: {
      /** `plans.backups`: backup plans. */
      backups: (options?: O) => request('plans.backups', {}, options),
      /** `plans.dedicated`: dedicated-server plans, each with a `locations` list. */
      dedicated: (options?: O) => request('plans.dedicated', {}, options),
      /** `plans.vpn`: VPN plans. */
      vpn: (options?: O) => request('plans.vpn', {}, options),
      /** `plans.vps`: virtual-server plans. */
      vps: (options?: O) => request('plans.vps', {}, options),
      /** `plans.hosting`: web-hosting plans, every count a number. */
      hosting: (options?: O) => request('plans.hosting', {}, options),
    },
    vps: {
      /** `vps.logDetails`: the state of a job, e.g. the `resp_id` of `passwdReset`. */
      logDetails: (orderId: OrderId, logId: P<'vps.logDetails'>['log_id'], options?: O) =>
        request('vps.logDetails', { order_id: orderId, log_id: logId }, options),
      /** `vps.stop`: powers the VPS off. */
      stop: (orderId: OrderId, options?: O) => request('vps.stop', { order_id: orderId }, options),
      /** `vps.start`: powers the VPS on. */
      start: (orderId: OrderId, options?: O) => request('vps.start', { order_id: orderId }, options),
      /** `vps.hardReset`: resets the VPS like a power cut. */
      hardReset: (orderId: OrderId, options?: O) => request('vps.hardReset', { order_id: orderId }, options),
      /** `vps.restart`: reboots the VPS. */
      restart: (orderId: OrderId, options?: O) => request('vps.restart', { order_id: orderId }, options),
      /** `vps.passwdReset`: sets a new root password (a GET with a side effect: never retried). */
      passwdReset: (orderId: OrderId, options?: O) => request('vps.passwdReset', { order_id: orderId }, options),
      /** `vps.stats`: statistics of one field over `start`..`end` (dates `YYYY-MM-DD`). */
      stats: (
        orderId: OrderId,
        field: P<'vps.stats'>['field'],
        range: Pick<P<'vps.stats'>, 'start' | 'end'>,
        options?: O,
      ) => request('vps.stats', { order_id: orderId, field, start: range.start, end: range.end }, options),
      /** `vps.status`: the power status (`on`, `off`, `restarting`...). */
      status: (orderId: OrderId, options?: O) => request('vps.status', { order_id: orderId }, options),
    },
    sshKeys: {
      /** `sshKeys.list`: the account's keys. */
      list: (options?: O) => request('sshKeys.list', {}, options),
      /** `sshKeys.add`: adds a public key to the account; resolves to the new key. */
      add: (key: P<'sshKeys.add'>, options?: O) => request('sshKeys.add', key, options),
      /** `sshKeys.delete`: deletes a key from the account (and from every order). */
      delete: (keyPk: P<'sshKeys.delete'>['key_pk'], options?: O) =>
        request('sshKeys.delete', { key_pk: keyPk }, options),
      /** `sshKeys.listForOrder`: the keys installed on an order. */
      listForOrder: (orderId: OrderId, options?: O) => request('sshKeys.listForOrder', { order_id: orderId }, options),
      /** `sshKeys.addToOrder`: installs one of the account's keys on an order. */
      addToOrder: (orderId: OrderId, keyPk: P<'sshKeys.addToOrder'>['key_pk'], options?: O) =>
        request('sshKeys.addToOrder', { order_id: orderId, key_pk: keyPk }, options),
      /** `sshKeys.deleteFromOrder`: removes a key from an order. */
      deleteFromOrder: (orderId: OrderId, keyPk: P<'sshKeys.deleteFromOrder'>['key_pk'], options?: O) =>
        request('sshKeys.deleteFromOrder', { order_id: orderId, key_pk: keyPk }, options),
    },
    ds: {
      /** `ds.traffic`: a dedicated server's traffic, per day (`month`) or per month (`year`). */
      traffic: (orderId: OrderId, query: Omit<P<'ds.traffic'>, 'order_id'> = {}, options?: O) =>
        request('ds.traffic', { order_id: orderId, ...query }, options),
      /** `ds.trafficUsed`: traffic used against the limit. */
      trafficUsed: (orderId: OrderId, options?: O) => request('ds.trafficUsed', { order_id: orderId }, options),
    },
    tickets: {
      /** `tickets.webhookSet`: sets the ticket webhook URL (`''` switches it off). */
      webhookSet: (url: P<'tickets.webhookSet'>['url'], options?: O) => request('tickets.webhookSet', { url }, options),
      /** `tickets.webhookInfo`: the webhook URL and its last delivery error. */
      webhookInfo: (options?: O) => request('tickets.webhookInfo', {}, options),
    },
    vpn: {
      /** `vpn.config`: the OpenVPN config of an order, as text. */
      config: (orderId: OrderId, proto: P<'vpn.config'>['proto'], options?: O) =>
        request('vpn.config', { order: orderId, proto }, options),
    },
    dns: {
      /** `dns.addDomain`: adds a domain with its A record (needs the DNS-editing right). */
      addDomain: (name: P<'dns.addDomain'>['name'], ip: P<'dns.addDomain'>['ip'], options?: O) =>
        request('dns.addDomain', { name, ip }, options),
      /** `dns.deleteDomain`: deletes a domain (needs the DNS-editing right). */
      deleteDomain: (name: P<'dns.deleteDomain'>['name'], options?: O) =>
        request('dns.deleteDomain', { name }, options),
      /** `dns.domainList`: the domains with their records; `q` searches names and values, `tag` filters. */
      domainList: (filter: P<'dns.domainList'> = {}, options?: O) => request('dns.domainList', filter, options),
      /** `dns.zoneFile`: the zone in BIND format, as text. */
      zoneFile: (name: P<'dns.zoneFile'>['name'], options?: O) => request('dns.zoneFile', { name }, options),
      records: {
        /** `dns.records`: a domain's records; `q` filters by host, value or type. */
        list: (name: P<'dns.records'>['name'], filter: Omit<P<'dns.records'>, 'name'> = {}, options?: O) =>
          request('dns.records', { name, ...filter }, options),
        /** `dns.addRecord`: adds a record; resolves to `{ ok, pk }`. */
        add: (name: P<'dns.addRecord'>['name'], record: DnsRecordInput, options?: O) =>
          request('dns.addRecord', { name, ...record }, options),
        /** `dns.updateRecord`: replaces a record's content. */
        update: (
          name: P<'dns.updateRecord'>['name'],
          pk: P<'dns.updateRecord'>['pk'],
          record: DnsRecordUpdate,
          options?: O,
        ) => request('dns.updateRecord', { name, pk, ...record }, options),
        /** `dns.deleteRecord`: deletes a record. */
        delete: (name: P<'dns.deleteRecord'>['name'], pk: P<'dns.deleteRecord'>['pk'], options?: O) =>
          request('dns.deleteRecord', { name, pk }, options),
      },
    },
    domains: {
      /** `domains.changeNs`: sets a registered domain's name servers (a list or `a,b`). */
      changeNs: (orderId: OrderId, nss: P<'domains.changeNs'>['nss'], options?: O) =>
        request('domains.changeNs', { order_id: orderId, nss }, options),
    },
  };
}

/** The grouped methods of a client (`client.vps.restart(orderId)`...). */
export type GroupedMethods = ReturnType<typeof createGroupedMethods>;
