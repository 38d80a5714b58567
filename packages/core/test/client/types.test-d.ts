// Compile-time checks of the client's types: `tsc -p tsconfig.json` (npm run typecheck) verifies
// every `@ts-expect-error` below still is an error, and every `expectTypeOf` holds. Nothing here
// runs: vitest does not collect `.test-d.ts` files.
import { expectTypeOf } from 'vitest';
import type {
  EndpointId,
  EndpointParams,
  EndpointResult,
  FornexClient,
  NormalizedResults,
  RawResponse,
  SshKey,
  Ttl,
} from '../../src/index.js';

declare const client: FornexClient;

export async function requestIsTypedPerId(): Promise<void> {
  expectTypeOf(await client.request('vps.restart', { order_id: '34-177054' })).toEqualTypeOf<{ ok: boolean }>();
  expectTypeOf(await client.request('vps.logDetails', { order_id: '34-1', log_id: 2 })).toHaveProperty('completed');
  expectTypeOf(await client.request('account.balance')).toEqualTypeOf<{ balance: number; currency: string }>();
  expectTypeOf(await client.request('dns.zoneFile', { name: 'example.com' })).toEqualTypeOf<string>();
  expectTypeOf(await client.request('sshKeys.add', { title: 't', key: 'ssh-ed25519 AAAA' })).toEqualTypeOf<SshKey>();
  expectTypeOf(await client.request('vps.passwdReset', { order_id: '34-1' })).toEqualTypeOf<{
    passwd: string;
    resp_id?: number;
  }>();
  await client.request('dns.addRecord', { name: 'example.com', host: 'www', type: 'A', value: '192.0.2.1', ttl: 600 });
  await client.request('domains.changeNs', { order_id: '375-13', nss: ['ns1.company.com', 'ns2.company.com'] });
  await client.request('domains.changeNs', { order_id: '375-13', nss: 'ns1.company.com,ns2.company.com' });

  // @ts-expect-error: not an endpoint id
  await client.request('vps.reboot', { order_id: '34-1' });
  // @ts-expect-error: a wrong parameter name (the documentation says order_id)
  await client.request('vps.restart', { orderId: '34-1' });
  // @ts-expect-error: a required parameter is missing
  await client.request('vps.logDetails', { order_id: '34-1' });
  // @ts-expect-error: params are required for this endpoint
  await client.request('vps.status');
  // @ts-expect-error: an endpoint without parameters takes none
  await client.request('account.balance', { order_id: '34-1' });
  // @ts-expect-error: an undocumented TTL
  await client.request('dns.addRecord', { name: 'example.com', host: 'www', type: 'A', value: '192.0.2.1', ttl: 60 });
  // @ts-expect-error: an undocumented record type
  await client.request('dns.addRecord', { name: 'example.com', host: 'www', type: 'PTR', value: 'x' });
}

export async function groupedMethodsAreTyped(): Promise<void> {
  expectTypeOf(await client.vps.restart('34-177054')).toEqualTypeOf<{ ok: boolean }>();
  expectTypeOf(await client.vpn.config('301-12312', 'udp')).toEqualTypeOf<string>();
  expectTypeOf(
    await client.dns.records.add('example.com', { host: 'www', type: 'A', value: '192.0.2.1' }),
  ).toEqualTypeOf<{
    ok: boolean;
    pk: number;
  }>();
  expectTypeOf((await client.plans.hosting())[0]?.databases).toEqualTypeOf<number | undefined>();
  expectTypeOf((await client.plans.dedicated())[0]?.locations).toEqualTypeOf<string[] | undefined>();
  expectTypeOf((await client.orders.list())[0]?.tariff_id).toEqualTypeOf<number | undefined>();

  // @ts-expect-error: proto is tcp or udp
  await client.vpn.config('301-12312', 'http');
  // @ts-expect-error: ttl takes the documented values only
  await client.dns.records.add('example.com', { host: 'www', type: 'A', value: '192.0.2.1', ttl: 1000 });
  // @ts-expect-error: a stats field that does not exist
  await client.vps.stats('34-177054', 'gpu', { start: '2015-11-16', end: '2015-11-17' });
}

// Parameter types keep the documentation's names and accept what the schemas accept.
expectTypeOf<EndpointParams<'vps.logDetails'>>().toEqualTypeOf<{ order_id: string; log_id: string | number }>();
expectTypeOf<EndpointParams<'account.balance'>>().toEqualTypeOf<Record<string, never>>();
expectTypeOf<NonNullable<EndpointParams<'dns.updateRecord'>['ttl']>>().toEqualTypeOf<Ttl | `${Ttl}`>();

// Every endpoint left out of NormalizedResults must answer one shape in both dialects, or its
// callers would get the en type for a ru body.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Unnormalized = Exclude<EndpointId, keyof NormalizedResults>;
type DialectMismatch = {
  [Id in Unnormalized]: Same<RawResponse<Id, 'en'>, RawResponse<Id, 'ru'>> extends true ? never : Id;
}[Unnormalized];
expectTypeOf<DialectMismatch>().toEqualTypeOf<never>();
// And every result type is a real type, never `any` or `unknown`.
type Loose = { [Id in EndpointId]: unknown extends EndpointResult<Id> ? Id : never }[EndpointId];
expectTypeOf<Loose>().toEqualTypeOf<never>();
