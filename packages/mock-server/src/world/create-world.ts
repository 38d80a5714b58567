import type { Dialect } from '@fornex-flow/core';
import { createMockClock, type MockClock } from './clock.js';
import { createDefaultWorldState } from './default-world.js';
import { scaleWorld } from './scale.js';
import type { ApiKeyGrant, Tenant, WorldState } from './types.js';

/** Behaviour settings of the mock; every one has a default. */
export interface WorldOptions {
  /** Which document's shapes and texts to answer with (default `en`). */
  dialect?: Dialect;
  /** HTTP status of an `{"error": ...}` answer: 200 as documented (default), or 400. */
  errorStatus?: 200 | 400;
  /** The initial world (default: the documented one). Reset returns here. */
  seed?: WorldState;
  /** Adds N generated VPS orders and N domains to the first tenant. */
  scale?: number;
  /** Mock time a power action takes before the status settles (default 3000). */
  powerDelayMs?: number;
  /** A new job reads completed from this poll of log_details on (default 3). */
  jobCompleteAfterPolls?: number;
  /** ...or once this much mock time has passed since it started (default 10000). */
  jobCompleteAfterMs?: number;
  /** The mock's time source (default: real time plus what `/__mock/clock/advance` adds); see createLinkedMockClock. */
  clock?: MockClock;
}

/** The mock's state plus its clock and settings: what handlers read and change. */
export interface MockWorld {
  state: WorldState;
  readonly clock: MockClock;
  readonly dialect: Dialect;
  readonly errorStatus: 200 | 400;
  readonly powerDelayMs: number;
  readonly jobCompleteAfterPolls: number;
  readonly jobCompleteAfterMs: number;
  /** Back to the initial world and real time. */
  reset(): void;
  /** Replaces the whole state (already validated). */
  replace(state: WorldState): void;
  /** The grant and tenant of an API key, or null for an unknown key. */
  authenticate(apiKey: string | null | undefined): { grant: ApiKeyGrant; tenant: Tenant } | null;
  /** Every API key value, for redaction. */
  apiKeys(): readonly string[];
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

/** Creates the world of one mock server. */
export function createMockWorld(options: WorldOptions = {}): MockWorld {
  // Only the caller's seed needs copying (scaling must not change it); the default world is built fresh.
  const seed = options.seed ? clone(options.seed) : createDefaultWorldState();
  const initial = scaleWorld(seed, options.scale ?? 0);
  const clock = options.clock ?? createMockClock();
  let grants = new Map<string, ApiKeyGrant>();
  let tenants = new Map<string, Tenant>();
  // Asked on every request (journal redaction): computed when the keys change, not per request.
  let keys: readonly string[] = [];

  const index = (state: WorldState) => {
    grants = new Map(state.keys.map((grant) => [grant.key, grant]));
    tenants = new Map(state.tenants.map((tenant) => [tenant.id, tenant]));
    keys = [...grants.keys()];
  };

  const world: MockWorld = {
    // A copy: requests change the state, and reset() goes back to `initial`.
    state: clone(initial),
    clock,
    dialect: options.dialect ?? 'en',
    errorStatus: options.errorStatus ?? 200,
    powerDelayMs: options.powerDelayMs ?? 3000,
    jobCompleteAfterPolls: options.jobCompleteAfterPolls ?? 3,
    jobCompleteAfterMs: options.jobCompleteAfterMs ?? 10_000,
    reset() {
      world.state = clone(initial);
      clock.reset();
      index(world.state);
    },
    replace(state) {
      world.state = state;
      index(state);
    },
    authenticate(apiKey) {
      if (!apiKey) return null;
      const grant = grants.get(apiKey);
      const tenant = grant && tenants.get(grant.tenant);
      return grant && tenant ? { grant, tenant } : null;
    },
    apiKeys: () => keys,
  };
  index(world.state);
  return world;
}
