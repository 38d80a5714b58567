// The mock's world is plain JSON: `GET /__mock/state` returns it, `PUT` and `--seed` load it.
// Floats and dialect shapes are decided when a response is rendered, never stored here.

/** An API key and the tenant it opens, with its rights. */
export interface ApiKeyGrant {
  readonly key: string;
  readonly tenant: string;
  /** The right to the protected DNS methods (add_domain, delete_domain). */
  readonly dnsEdit: boolean;
}

/** VPS power state; `transition` is a power action still under way (in mock time). */
export interface VpsPower {
  state: 'on' | 'off';
  transition: { to: 'on' | 'off'; status: string; untilMs: number } | null;
}

/** A DS traffic sample for one period and port, returned verbatim (documented values). */
export interface TrafficSample {
  readonly period: 'month' | 'year';
  readonly port: number;
  readonly order: string;
  readonly data: ReadonlyArray<readonly [string, { readonly input: number; readonly output: number }]>;
}

/** One order of a tenant (VPS, dedicated server, VPN, domain...). */
export interface Order {
  id: string;
  type: string;
  name: string;
  hostname: string;
  status: string;
  tariff: string;
  tariff_id: number;
  tariff_price: number;
  cost_month: number;
  expiration_date: string;
  ipaddress_set: string[];
  /** SSH key ids installed on the order. */
  sshKeyIds: number[];
  power: VpsPower | null;
  /** Name servers of a domain order. */
  nss: string[] | null;
  /** Documented samples served verbatim instead of generated data. */
  samples: {
    stats?: Record<string, { en: unknown; ru: unknown }>;
    traffic?: TrafficSample[];
    trafficUsed?: Record<string, unknown>;
  };
}

/** An SSH key of the account. */
export interface SshKey {
  id: number;
  title: string;
  key: string;
  /** ISO date-time, rendered localized. */
  created: string;
}

/** A job in the VPS command log (root password reset). */
export interface Job {
  id: number;
  orderId: string;
  action: string;
  job_action: string;
  note: string;
  user: string;
  createdMs: number;
  polls: number;
  /** Pinned completion (seeded jobs); null lets polls and mock time decide. */
  completed: boolean | null;
}

/** A DNS record. Ids are unique within a domain; new ones come from one sequence. */
export interface DnsRecord {
  id: number;
  host: string;
  type: string;
  value: string;
  ttl: number | null;
  prio: number | null;
}

/** A DNS zone. */
export interface Domain {
  name: string;
  created: string;
  updated: string;
  tags: string[];
  serial: number;
  records: DnsRecord[];
}

/** Ticket webhook settings and the last delivery error. */
export interface Webhook {
  url: string | null;
  last_error_message: string | null;
  last_error_date: string | null;
}

/** One tenant: an account with everything it owns. */
export interface Tenant {
  id: string;
  account: {
    email: string;
    name: string;
    username: string;
    balance: number;
    currency: string;
    unpaid_invoices_count: number;
    unpaid_invoices_amount: number;
  };
  orders: Order[];
  sshKeys: SshKey[];
  jobs: Job[];
  domains: Domain[];
  webhook: Webhook;
  tickets: Array<{ id: number; comments: number }>;
}

/** The price lists, shared by every tenant. */
export interface Catalog {
  backups: Array<Record<string, unknown>>;
  dedicated: Array<Record<string, unknown>>;
  vpn: Array<Record<string, unknown>>;
  vps: Array<Record<string, unknown>>;
  hosting: Array<Record<string, unknown>>;
}

/** Next ids handed out by the mock. */
export interface Sequences {
  job: number;
  sshKey: number;
  record: number;
  password: number;
}

/** The whole state of the mock: what `GET /__mock/state` returns. */
export interface WorldState {
  version: 1;
  keys: ApiKeyGrant[];
  tenants: Tenant[];
  catalog: Catalog;
  sequences: Sequences;
}
