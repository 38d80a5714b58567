import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EngineErrorCode } from '../errors.js';
import { parseShown } from './secret-codec.js';
import { createEngineSecrets, RunSecrets } from './secrets.js';

const keyed = createEngineSecrets({ secretKey: randomBytes(32), secrets: ['API-KEY-0000'] });
const keyless = createEngineSecrets({});

describe('RunSecrets', () => {
  it('writes plain JSON for a run without secrets', () => {
    const value = { a: 'x', n: 1234, nested: [{ $note: 'ok' }] };
    expect(new RunSecrets(keyless, 'r').json(value)).toBe(JSON.stringify(value));
    expect(new RunSecrets(keyless, 'r').json(undefined)).toBe('null');
  });

  it('seals every secret value wherever it stands, leaves numbers and other values as they are, and reads them back', () => {
    const secrets = new RunSecrets(keyed, 'run-1');
    secrets.addInput('pin', 1234);
    secrets.addInput('creds', { user: 'u-1', admin: true });
    secrets.addOutput('issue#1', 'waiting');
    secrets.addInput('code', '5678');
    const value = {
      state: 'waiting',
      count: 5678,
      pin: 1234,
      copy: { user: 'u-1', admin: true },
      note: 'is waiting here',
      flag: true,
      key: { 'u-1': 1 },
      $fx: 1,
      literal: { '$fx:secret': 'not a marker' },
    };
    const json = secrets.json(value);
    // As they would stand in clear ('-' and '"' never occur in base64, so a ciphertext cannot match).
    for (const clear of [':1234', 'u-1', '"waiting"', 'is waiting']) expect(json).not.toContain(clear);
    expect(json).toContain('"count":5678');
    expect(json).toContain('"flag":true');
    const fresh = new RunSecrets(keyed, 'run-1');
    expect(fresh.decode(json)).toEqual(value);
    fresh.assertAvailable();
    expect(parseShown(json)).toMatchObject({
      pin: '[REDACTED]',
      flag: true,
      literal: { '$fx:secret': 'not a marker' },
    });
  });

  it('redacts the API key inside values, and errors in text', () => {
    const secrets = new RunSecrets(keyed, 'r');
    expect(secrets.json({ url: '/x?apikey=API-KEY-0000&y' })).toBe('{"url":"/x?apikey=[REDACTED]&y"}');
    secrets.addInput('password', 'hunter22');
    expect(secrets.redactError({ name: 'Error', message: 'bad hunter22 for API%2dKEY-0000', status: 500 })).toEqual({
      name: 'Error',
      message: 'bad [REDACTED] for [REDACTED]',
      status: 500,
    });
  });

  it('without a key, never writes a secret: this process reads its markers back, a new one needs them supplied', () => {
    const secrets = new RunSecrets(keyless, 'r');
    secrets.addInput('password', 'hunter22');
    secrets.addOutput('issue#1', { passwd: 'n3w-pass' });
    const value = { password: 'hunter22', issued: 'n3w-pass', text: 'use n3w-pass' };
    const json = secrets.json(value);
    expect(json).not.toMatch(/hunter22|n3w-pass/);
    expect(secrets.decode(json)).toEqual(value);
    secrets.assertAvailable();

    const restarted = new RunSecrets(keyless, 'r', { password: 'hunter22' });
    expect(restarted.decode(json)).toEqual({ password: 'hunter22', issued: undefined, text: undefined });
    expect(() => restarted.assertAvailable()).toThrow(
      expect.objectContaining({
        code: EngineErrorCode.SecretUnavailable,
        message: expect.stringMatching(/secret output of step issue#1.*quoted a secret/),
      }),
    );
  });
});
