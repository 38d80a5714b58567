import { describe, expect, it } from 'vitest';
import { clientSecrets } from './client-secrets.js';
import { createFornexClient } from './create-fornex-client.js';

describe('clientSecrets', () => {
  it("gives every spelling of a client's key, and nothing for other values", () => {
    const client = createFornexClient({ apiKey: 'k3y secret/1' });
    expect(clientSecrets(client)).toEqual(['k3y secret/1']);
    expect(clientSecrets(createFornexClient({ apiKey: 'other' }))).toEqual(['other']);
    expect(clientSecrets({ ...client })).toEqual([]);
    expect(clientSecrets({ apiKey: 'k3y secret/1' })).toEqual([]);
    expect(clientSecrets(undefined)).toEqual([]);
    expect(clientSecrets('k3y')).toEqual([]);
  });
});
