/**
 * Vertex service-account auth end to end: the gateway signs a JWT with a test RSA key (made here
 * with node:crypto), the loopback token endpoint (test/mocks/vertex.ts) VERIFIES its signature
 * with the public key and its claims (iss, aud = token_uri, scope, exp − iat ≤ 3600) before it
 * issues an access token, and the model calls must carry that token. Then: one token request
 * for many calls (sequential and concurrent), a refresh once it nears expiry, and token-endpoint
 * failures that say what failed without leaking the key.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { assertNoSecretRun } from '../helpers/secrets.js';
import { geminiError } from '../mocks/gemini.js';
import { CLOUD_PLATFORM_SCOPE, VERTEX_MOCK_EMAIL, VERTEX_MOCK_PROJECT, VERTEX_MOCK_TOKEN, serviceAccountKey, startVertexMock, type VertexMock } from '../mocks/vertex.js';
import { errorText } from './helpers.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
/** A key the token endpoint does not trust: its signatures fail verification. */
const OTHER_PEM = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const MODEL = 'vertex/gemini-2.5-flash';

let open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.map((o) => o.close()));
  open = [];
});

async function setup(opts: { expiresIn?: number; pem?: string; viaFile?: boolean } = {}): Promise<{ mock: VertexMock; gw: TestGateway; client: OpenAI; key: string }> {
  const mock = await startVertexMock({ publicKey, ...(opts.expiresIn && { expiresIn: opts.expiresIn }) });
  const key = serviceAccountKey(mock.url, opts.pem ?? PEM);
  let env: Record<string, string>;
  let entry: string;
  if (opts.viaFile) {
    const file = join(mkdtempSync(join(tmpdir(), 'vertex-key-')), 'key.json');
    writeFileSync(file, key);
    env = { GOOGLE_APPLICATION_CREDENTIALS: file };
    entry = `{ type: vertex, base_url: "${mock.url}", location: us-central1 }`;
  } else {
    env = { VERTEX_KEY: key };
    entry = `{ type: vertex, base_url: "${mock.url}", service_account: "\${VERTEX_KEY}" }`;
  }
  const gw = await startGateway(`providers:\n  vertex: ${entry}\n`, env);
  open.push(gw, mock);
  return { mock, gw, client: new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'x', maxRetries: 0 }), key };
}

const ask = (client: OpenAI, text: string) => client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: text }] });
const modelCalls = (mock: VertexMock) => mock.requests.filter((r) => r.path !== '/token');

describe('Vertex service-account auth', () => {
  it('the JWT the gateway signs verifies with the public key, its claims are right, and its token is what the model call carries', async () => {
    const { mock, client } = await setup();
    const res = await ask(client, 'hello vertex');
    expect(res.choices[0]!.message.content).toBe('hello vertex');

    expect(mock.tokenRequests).toHaveLength(1); // only verified assertions are recorded
    const { claims, header } = mock.tokenRequests[0]!;
    expect(header).toMatchObject({ alg: 'RS256', typ: 'JWT', kid: 'abc123' });
    expect(claims).toMatchObject({ iss: VERTEX_MOCK_EMAIL, scope: CLOUD_PLATFORM_SCOPE, aud: `${mock.url}/token` });
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(3600);
    expect(Math.abs(claims.iat - Date.now() / 1000)).toBeLessThan(60);

    const call = modelCalls(mock)[0]!;
    expect(call.headers.authorization).toBe(`Bearer ${mock.issued[0]}`);
    expect(call.path).toBe(`/v1/projects/${VERTEX_MOCK_PROJECT}/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent`);
  });

  it('one token serves many calls, sequential and concurrent (single flight)', async () => {
    const { mock, client } = await setup();
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => ask(client, `parallel ${i}`)));
    expect(answers.map((a) => a.choices[0]!.message.content)).toEqual(Array.from({ length: 8 }, (_, i) => `parallel ${i}`));
    for (let i = 0; i < 3; i++) await ask(client, `then ${i}`);
    expect(mock.tokenRequests).toHaveLength(1);
    expect(new Set(modelCalls(mock).map((r) => r.headers.authorization))).toEqual(new Set([`Bearer ${mock.issued[0]}`]));
  });

  it('a token near its expiry is refreshed before use: a new token request, the new token on the next call', async () => {
    // Tokens live 61 s; the gateway refreshes a minute early, so each is fresh for one second.
    const { mock, client } = await setup({ expiresIn: 61 });
    await ask(client, 'first');
    await ask(client, 'second');
    expect(mock.tokenRequests).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 1100));
    await ask(client, 'after expiry');
    expect(mock.tokenRequests).toHaveLength(2);
    expect(modelCalls(mock).at(-1)!.headers.authorization).toBe(`Bearer ${mock.issued[1]}`);
  });

  it('reads the key file GOOGLE_APPLICATION_CREDENTIALS names; the project comes from the key', async () => {
    const { mock, client } = await setup({ viaFile: true });
    expect((await ask(client, 'from a file')).choices[0]!.message.content).toBe('from a file');
    expect(mock.tokenRequests).toHaveLength(1);
    expect(modelCalls(mock)[0]!.path).toContain(`/projects/${VERTEX_MOCK_PROJECT}/locations/us-central1/`);
  });

  it('a token endpoint that refuses the assertion: 502 upstream_auth_failed quoting its reason, never the key or the assertion', async () => {
    const { mock, gw, client } = await setup({ pem: OTHER_PEM });
    const err: any = await ask(client, 'x').catch((e) => e);
    expect(err.status).toBe(502);
    expect(err.code).toBe('upstream_auth_failed');
    expect(err.message).toMatch(/vertex: the token endpoint refused the gateway's credentials \(HTTP 400: .*invalid_grant.*Invalid JWT Signature/);
    expect(modelCalls(mock)).toHaveLength(0); // no model call without a token
    const tokenCall = mock.requests.find((r) => r.path === '/token')!;
    const assertion = new URLSearchParams(tokenCall.text).get('assertion')!;
    const pemBody = OTHER_PEM.replace(/-----[A-Z ]+-----|\s/g, '');
    assertNoSecretRun(errorText(err), [pemBody, assertion], 'client error');
    // The failed record says why too, and a failure is not cached: the next request asks again.
    expect(gw.records.at(-1)).toMatchObject({ status: 502 });
    await ask(client, 'y').catch(() => undefined);
    expect(mock.requests.filter((r) => r.path === '/token')).toHaveLength(2);
  });

  it('a token endpoint that fails (5xx, then unreadable) is the gateway\'s 502; once it recovers, requests pass', async () => {
    const { mock, client } = await setup();
    mock.failTokens({ status: 503, body: 'Service Unavailable' });
    const down: any = await ask(client, 'x').catch((e) => e);
    expect(down.status).toBe(502);
    expect(down.code).toBe('upstream_auth_failed');
    expect(down.message).toMatch(/token endpoint refused the gateway's credentials \(HTTP 503: Service Unavailable\)/);
    mock.failTokens({ json: { token_type: 'Bearer' } });
    const odd: any = await ask(client, 'x').catch((e) => e);
    expect(odd.status).toBe(502);
    expect(odd.message).toMatch(/unreadable answer from the token endpoint: no access_token/);
    mock.failTokens(undefined);
    expect((await ask(client, 'back')).choices[0]!.message.content).toBe('back');
  });

  it('the private key is a secret (as PEM and as written in JSON): an upstream error that echoes it reaches the client scrubbed', async () => {
    const { mock, gw, client } = await setup();
    expect(gw.snapshot.secrets).toEqual(expect.arrayContaining([PEM, JSON.stringify(PEM).slice(1, -1)]));
    // The rest of the key (email, project, token_uri) is not secret: scrubbing it would cut URLs out of logs.
    expect(gw.snapshot.secrets.some((s) => s.includes('client_email'))).toBe(false);
    mock.setHandler(() => geminiError(400, 'INVALID_ARGUMENT', `bad request from key ${PEM}`));
    const err: any = await ask(client, 'x').catch((e) => e);
    expect(err.status).toBe(400);
    expect(err.message, err.message).toContain('[redacted]');
    assertNoSecretRun(errorText(err), [PEM.replace(/-----[A-Z ]+-----|\s/g, '')], 'client error');
  });

  it('a fetched token (in no config, so no secret list) echoed by Vertex is masked by its shape', async () => {
    const { mock, client } = await setup();
    await ask(client, 'get a token');
    const token = mock.issued[0]!;
    mock.setHandler(() => geminiError(401, 'UNAUTHENTICATED', `The access token ${token} is not valid for this project.`));
    const err: any = await ask(client, 'x').catch((e) => e);
    expect(err.status).toBe(502);
    expect(err.message).toContain('[redacted]');
    assertNoSecretRun(errorText(err), [token.slice('ya29.'.length)], 'client error');
  });

  it('a token endpoint outage is retried and fallen back from like an upstream failure', async () => {
    const mock = await startVertexMock({ publicKey });
    open.push(mock);
    mock.failTokens({ status: 503, body: 'Service Unavailable' });
    const gw = await startGateway(
      `providers:
  primary: { type: vertex, base_url: "${mock.url}", service_account: "\${K}", max_retries: 1 }
  backup: { type: vertex, base_url: "${mock.url}", project: ${VERTEX_MOCK_PROJECT}, access_token: "${VERTEX_MOCK_TOKEN}" }
models:
  smart: { targets: [primary/gemini-2.5-flash, backup/gemini-2.5-flash], strategy: fallback }
`,
      { K: serviceAccountKey(mock.url, PEM) },
    );
    open.push(gw);
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'x', maxRetries: 0 });
    const { data, response } = await client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'fall back' }] }).withResponse();
    expect(data.choices[0]!.message.content).toBe('fall back');
    expect(response.headers.get('x-tollgate-provider')).toBe('backup');
    // The primary asked its token endpoint twice (an attempt and its retry), and never called the model.
    expect(mock.requests.filter((r) => r.path === '/token')).toHaveLength(2);
    expect(modelCalls(mock).map((r) => r.headers.authorization)).toEqual([`Bearer ${VERTEX_MOCK_TOKEN}`]);
  });

  it('an unreachable token endpoint: 502 upstream_unreachable naming it', async () => {
    const mock = await startVertexMock({ publicKey });
    open.push(mock);
    // The key's token_uri is a closed port.
    const gw = await startGateway(`providers:\n  vertex: { type: vertex, base_url: "${mock.url}", service_account: "\${K}" }\n`, { K: serviceAccountKey('http://127.0.0.1:9', PEM) });
    open.push(gw);
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'x', maxRetries: 0 });
    const err: any = await ask(client, 'x').catch((e) => e);
    expect(err.status).toBe(502);
    expect(err.code).toBe('upstream_unreachable');
    expect(err.message).toMatch(/vertex: could not fetch an access token from the token endpoint/);
    expect(modelCalls(mock)).toHaveLength(0);
  });
});
