import { documentedExamples } from '@fornex-flow/core';
import type { Catalog, Order, Tenant, TrafficSample, WorldState } from './types.js';

/** The documented key: full rights, protected DNS methods allowed. */
export const PERSONAL_API_KEY = 'PERSONAL_API_KEY';
/** Same data as PERSONAL_API_KEY, without the right to the protected DNS methods. */
export const LIMITED_API_KEY = 'LIMITED_API_KEY';
/** A second tenant, whose data the first can never see (and the other way round). */
export const OTHER_API_KEY = 'OTHER_API_KEY';

function documented(id: string, dialect: 'en' | 'ru'): unknown {
  const example = documentedExamples.find((e) => e.id === id && e.dialect === dialect);
  if (!example) throw new Error(`no documented ${dialect} example for ${id}`);
  return JSON.parse(example.response);
}

const statsSampleKey = 'traffic/2015-11-16--2015-11-17';

function order(fields: Partial<Order> & Pick<Order, 'id' | 'type' | 'tariff'>): Order {
  return {
    name: `order-${fields.id}`,
    hostname: `srv-${fields.id.split('-')[1]}.fornex.org`,
    status: 'active',
    tariff_id: 0,
    tariff_price: 0,
    cost_month: 0,
    expiration_date: '2026-12-31T23:59:59',
    ipaddress_set: [],
    sshKeyIds: [],
    power: null,
    nss: null,
    samples: {},
    ...fields,
  };
}

function personalTenant(): Tenant {
  const trafficDoc = documented('ds.traffic', 'en') as Omit<TrafficSample, 'port'>;
  return {
    id: 'personal',
    account: {
      email: 'example@fornex.com',
      name: 'Example Account',
      username: 'username',
      balance: 91,
      currency: 'EUR',
      unpaid_invoices_count: 1,
      unpaid_invoices_amount: 100,
    },
    orders: [
      // The orders.list example, verbatim; the DS examples use the same id (see docs/mock-server.md).
      order({
        id: '34-1234',
        type: 'vps',
        name: 'user-defined-name',
        hostname: 'srv-123.fornex.org',
        tariff: 'VPS Master',
        tariff_id: 33,
        tariff_price: 140,
        cost_month: 148,
        expiration_date: '2015-12-18T17:21:46',
        ipaddress_set: ['123.123.123.123'],
        power: { state: 'on', transition: null },
        samples: {
          traffic: [{ ...trafficDoc, port: 0 }],
          trafficUsed: documented('ds.trafficUsed', 'en') as Record<string, unknown>,
        },
      }),
      order({
        id: '34-177054',
        type: 'vps',
        name: 'web-1',
        tariff: 'SSD Cloud 1GB',
        tariff_id: 433,
        tariff_price: 5,
        cost_month: 5,
        ipaddress_set: ['185.22.153.54'],
        sshKeyIds: [67, 74],
        power: { state: 'off', transition: null },
        samples: {
          stats: { [statsSampleKey]: { en: documented('vps.stats', 'en'), ru: documented('vps.stats', 'ru') } },
        },
      }),
      order({
        id: '34-5678',
        type: 'dedicated',
        name: 'db-1',
        hostname: 'example.net',
        tariff: 'DS XeonSAS',
        tariff_id: 101,
        tariff_price: 198,
        cost_month: 198,
        ipaddress_set: ['185.22.152.10'],
        sshKeyIds: [67],
      }),
      order({
        id: '301-12312',
        type: 'vpn',
        name: 'office-vpn',
        hostname: 'vpn-12312.fornex.org',
        tariff: 'VPN Dedicated',
        tariff_id: 1,
        tariff_price: 10,
        cost_month: 10,
        ipaddress_set: ['209.222.104.210'],
      }),
      order({
        id: '375-13',
        type: 'domain',
        name: 'example.com',
        hostname: 'example.com',
        tariff: 'Domain .com',
        tariff_id: 375,
        tariff_price: 12,
        cost_month: 1,
        nss: ['ns1.fornex.com', 'ns2.fornex.com'],
      }),
    ],
    sshKeys: [
      {
        id: 67,
        title: 'test@test',
        key: 'ssh-rsa tt3BPrBTUCGXsCXmiF03LD/f9 test@test',
        created: '2017-12-19T10:00:00',
      },
      {
        id: 74,
        title: 'old laptop',
        key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOldLaptopKey74 old@laptop',
        created: '2018-03-02T09:30:00',
      },
      {
        id: 99,
        title: 'deploy',
        key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDeployKey99 deploy@ci',
        created: '2019-05-14T16:45:00',
      },
    ],
    jobs: [
      {
        id: 222287,
        orderId: '34-1234',
        action: 'Set root password',
        job_action: 'set_root_passwd',
        note: 'Resetting root password',
        user: 'username',
        createdMs: Date.UTC(2019, 0, 3, 8, 10),
        polls: 0,
        // The documented log record, kept as documented; new jobs complete (see docs/mock-server.md).
        completed: false,
      },
    ],
    domains: [
      {
        name: 'example.com',
        created: '2016-05-10T12:00:00',
        updated: '2017-02-05T21:41:25',
        tags: [],
        serial: 2017020501,
        records: [
          { id: 12344, host: '', type: 'A', value: '127.0.0.1', ttl: 600, prio: null },
          { id: 12345, host: '', type: 'MX', value: 'aspmx.l.google.com', ttl: null, prio: 1 },
          // The delete/update examples use record 366182 on example.com; domain_list shows an
          // id 366182 on test.com. Ids are unique within a domain, so both examples hold.
          { id: 366182, host: 'www', type: 'A', value: '127.0.0.1', ttl: null, prio: null },
        ],
      },
      {
        name: 'test.com',
        created: '2013-04-16T19:07:10',
        updated: '2017-02-05T21:41:25',
        tags: [],
        serial: 2017020501,
        records: [{ id: 366182, host: '', type: 'A', value: '10.10.10.18', ttl: null, prio: null }],
      },
    ],
    webhook: {
      url: 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
      last_error_message: null,
      last_error_date: null,
    },
    tickets: [{ id: 1, comments: 0 }],
  };
}

function otherTenant(): Tenant {
  return {
    id: 'other',
    account: {
      email: 'other@example.org',
      name: 'Other Tenant',
      username: 'other',
      balance: 12.5,
      currency: 'EUR',
      unpaid_invoices_count: 0,
      unpaid_invoices_amount: 0,
    },
    orders: [
      order({
        id: '34-500001',
        type: 'vps',
        name: 'other-vps',
        tariff: 'SSD Cloud 1GB',
        tariff_id: 433,
        tariff_price: 5,
        cost_month: 5,
        ipaddress_set: ['192.0.2.10'],
        sshKeyIds: [500],
        power: { state: 'on', transition: null },
      }),
    ],
    sshKeys: [
      {
        id: 500,
        title: 'other@host',
        key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtherTenantKey500 other@host',
        created: '2020-01-01T00:00:00',
      },
    ],
    jobs: [],
    domains: [
      {
        name: 'other-tenant.net',
        created: '2020-01-01T00:00:00',
        updated: '2020-01-01T00:00:00',
        tags: ['other'],
        serial: 2020010101,
        records: [{ id: 900001, host: '', type: 'A', value: '192.0.2.10', ttl: null, prio: null }],
      },
    ],
    webhook: { url: null, last_error_message: null, last_error_date: null },
    tickets: [{ id: 2, comments: 0 }],
  };
}

function catalog(): Catalog {
  return {
    backups: [
      { price: 3, space: 100, units: 'Gb' },
      { price: 4.5, space: 150, units: 'Gb' },
      { price: 6, space: 200, units: 'Gb' },
    ],
    dedicated: [
      {
        bandwidth: '1 Gbit/s',
        cpu_model: 'Intel Xeon E3-1270 (4×3.4Ghz)',
        cpu_count: 1,
        disk: '4 × 300 GB SAS 15k',
        name: 'DS XeonSAS',
        id: 101,
        price: 198,
        ram: '16 GB',
        location: 'DE',
      },
    ],
    vpn: [{ available_locations: ['DE', 'NL', 'US', 'RU'], type: 'dedicated', id: 1, price: 10 }],
    vps: [
      { bandwidth: '100 Mbit/s', cpu_count: 1, disk: '10 GB', id: 433, name: 'SSD Cloud 1GB', price: 5, ram: '1 GB' },
      // The ru document's plans/vps example (it lists this dedicated-looking plan).
      {
        bandwidth: '1 Gbit/s',
        cpu_count: 1,
        disk: '4 × 300 GB SAS 15k',
        id: 101,
        name: 'DS XeonSAS',
        price: 198,
        ram: '16 GB',
      },
    ],
    hosting: [
      {
        available_locations: ['DE', 'RU'],
        cpu_cores: 1,
        databases: 2,
        hdd_space: 1000,
        mail_domains: 2,
        mailboxes: 20,
        name: 'VH-SSD-2',
        id: 33,
        price: 1,
        sites: 2,
      },
    ],
  };
}

/** The default world: both documents' examples hold with PERSONAL_API_KEY; three keys, two tenants. */
export function createDefaultWorldState(): WorldState {
  return {
    version: 1,
    keys: [
      { key: PERSONAL_API_KEY, tenant: 'personal', dnsEdit: true },
      { key: LIMITED_API_KEY, tenant: 'personal', dnsEdit: false },
      { key: OTHER_API_KEY, tenant: 'other', dnsEdit: true },
    ],
    tenants: [personalTenant(), otherTenant()],
    catalog: catalog(),
    // The first passwd_reset answers resp_id 1234, as documented.
    sequences: { job: 1234, sshKey: 100, record: 366183, password: 1 },
  };
}
