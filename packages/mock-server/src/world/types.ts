// The mock's world is plain JSON: `GET /__mock/state` returns it, `PUT` and `--seed` load it.
// Floats and dialect shapes are decided when a response is rendered, never stored here.
// Every type is derived from the schema that validates a loaded world, so the two cannot drift.
import type { z } from 'zod';
import type { worldStateSchema } from './world-schema.js';

/** The whole state of the mock: what `GET /__mock/state` returns. */
export type WorldState = z.output<typeof worldStateSchema>;

/** An API key and the tenant it opens, with its rights. */
export type ApiKeyGrant = WorldState['keys'][number];

/** One tenant: an account with everything it owns. */
export type Tenant = WorldState['tenants'][number];

/** One order of a tenant (VPS, dedicated server, VPN, domain...). */
export type Order = Tenant['orders'][number];

/** VPS power state; `transition` is a power action still under way (in mock time). */
export type VpsPower = NonNullable<Order['power']>;

/** A DS traffic sample for one period and port, returned verbatim (documented values). */
export type TrafficSample = NonNullable<Order['samples']['traffic']>[number];

/** An SSH key of the account. */
export type SshKey = Tenant['sshKeys'][number];

/** A job in the VPS command log (root password reset). */
export type Job = Tenant['jobs'][number];

/** A DNS zone. */
export type Domain = Tenant['domains'][number];

/** A DNS record. Ids are unique within a domain; new ones come from one sequence. */
export type DnsRecord = Domain['records'][number];

/** Ticket webhook settings and the last delivery error. */
export type Webhook = Tenant['webhook'];

/** The price lists, shared by every tenant. */
export type Catalog = WorldState['catalog'];

/** Next ids handed out by the mock. */
export type Sequences = WorldState['sequences'];
