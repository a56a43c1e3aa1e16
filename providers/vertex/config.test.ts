import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOOGLE_TOKEN_URI, resolveVertexOptions } from './config.js';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const key = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ type: 'service_account', project_id: 'key-proj', private_key_id: 'kid1', private_key: PEM, client_email: 'sa@key-proj.iam.gserviceaccount.com', ...extra });

describe('vertex options, completed at config load', () => {
  it('a service-account key from the entry: its email, key and token_uri; project from the key, location us-central1', () => {
    const o = resolveVertexOptions({ service_account: key({ token_uri: 'http://127.0.0.1:9/token' }) }, {});
    expect(o).toMatchObject({ project: 'key-proj', location: 'us-central1', client_email: 'sa@key-proj.iam.gserviceaccount.com', private_key: PEM, token_uri: 'http://127.0.0.1:9/token', private_key_id: 'kid1' });
    expect((o.signing_key as { asymmetricKeyType: string }).asymmetricKeyType).toBe('rsa');
    expect(resolveVertexOptions({ service_account: key() }, {}).token_uri).toBe(GOOGLE_TOKEN_URI);
  });

  it('entry values win over GOOGLE_CLOUD_PROJECT / GOOGLE_CLOUD_LOCATION, which win over the key and the default', () => {
    const env = { GOOGLE_CLOUD_PROJECT: 'env-proj', GOOGLE_CLOUD_LOCATION: 'global' };
    expect(resolveVertexOptions({ service_account: key() }, env)).toMatchObject({ project: 'env-proj', location: 'global' });
    expect(resolveVertexOptions({ service_account: key(), project: 'cfg-proj', location: 'asia-northeast1' }, env)).toMatchObject({ project: 'cfg-proj', location: 'asia-northeast1' });
  });

  it('the key file named by service_account_file, else GOOGLE_APPLICATION_CREDENTIALS, is read once', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'vertex-')), 'key.json');
    writeFileSync(file, key());
    expect(resolveVertexOptions({}, { GOOGLE_APPLICATION_CREDENTIALS: file })).toMatchObject({ service_account: key(), client_email: 'sa@key-proj.iam.gserviceaccount.com' });
    expect(resolveVertexOptions({ service_account_file: file }, {}).project).toBe('key-proj');
    expect(() => resolveVertexOptions({ service_account_file: `${file}.missing` }, {})).toThrow(/cannot read the service-account key file .*ENOENT/);
  });

  it('a ready access token needs no key, but a project', () => {
    expect(resolveVertexOptions({ access_token: 'ya29.t', project: 'p' }, {})).toEqual({ access_token: 'ya29.t', project: 'p', location: 'us-central1' });
    expect(() => resolveVertexOptions({ access_token: 'ya29.t' }, {})).toThrow(/no project/);
  });

  it('no credentials, a broken key, or a bad location stop start-up with the reason — never the key', () => {
    expect(() => resolveVertexOptions({ project: 'p' }, {})).toThrow(/no credentials/);
    const broken = key({ private_key: '-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWJ5dGVz\n-----END PRIVATE KEY-----\n' });
    for (const [text, why] of [
      ['{not json', /not valid JSON/],
      [key({ type: 'authorized_user' }), /type "service_account"/],
      [key({ client_email: undefined }), /no client_email/],
      [broken, /not a readable PEM private key/],
      [key({ token_uri: 'file:///etc/passwd' }), /token_uri/],
    ] as const) {
      let message = '';
      try {
        resolveVertexOptions({ service_account: text }, {});
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(why);
      expect(message).not.toContain('PRIVATE KEY');
      expect(message).not.toContain('c2VjcmV0');
    }
    expect(() => resolveVertexOptions({ service_account: key(), location: 'us-central1/../x' }, {})).toThrow(/not a Vertex location/);
    expect(() => resolveVertexOptions({ service_account: key() }, { GOOGLE_CLOUD_PROJECT: 'a/b' })).toThrow(/not a Google Cloud project id/);
  });
});
