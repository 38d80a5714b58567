// What the proof suites read back from the mock through its documented admin API: the personal
// tenant's world and the journal of API requests, and the parts of the tenant each recipe changes.

/** Anything with a running mock: a test kit, a crash world, a real-clock world. */
export interface WithMock {
  mock: { url: string };
}

/** A tenant of `GET /__mock/state` (the fields the recipes change). */
export interface TenantState {
  id: string;
  sshKeys: { id: number; title: string; key: string; created: string }[];
  orders: { id: string; sshKeyIds: number[]; power: unknown }[];
  jobs: { id: number; orderId: string }[];
  domains: { name: string; records: unknown[] }[];
}

/** One line of the mock's journal of API requests. */
export interface JournalLine {
  method: string;
  path: string;
  status: number | null;
  dropped: boolean;
  endpointId: string | null;
  faultId: number | null;
}

/** An admin API call; a refusal is an error naming the route and the answer. */
export async function admin<T>(world: WithMock, route: string, init?: RequestInit): Promise<T> {
  const res = await fetch(`${world.mock.url}/__mock/${route}`, init);
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} /__mock/${route}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** The personal tenant, read through the documented admin API. */
export async function personalTenant(world: WithMock): Promise<TenantState> {
  const state = await admin<{ tenants: TenantState[] }>(world, 'state');
  const found = state.tenants.find((tenant) => tenant.id === 'personal');
  if (!found) throw new Error('no personal tenant in the mock');
  return found;
}

/** The mock's journal of API requests, oldest first. */
export async function journal(world: WithMock): Promise<JournalLine[]> {
  return (await admin<{ requests: JournalLine[] }>(world, 'requests?limit=1000')).requests;
}

/** What rotate-ssh-keys changes: the keys (without their creation time) and each order's keys. */
export const keysAndOrders = (tenant: TenantState) => ({
  keys: tenant.sshKeys.map(({ created: _created, ...key }) => key),
  orders: tenant.orders.map((order) => ({ id: order.id, sshKeyIds: order.sshKeyIds })),
});

/** What migrate-dns changes: the records of each domain (a zone's serial counts writes, so not it). */
export const domainRecords = (tenant: TenantState) =>
  tenant.domains.map((domain) => ({ name: domain.name, records: domain.records }));
