/**
 * A Google Vertex AI upstream on loopback, and its OAuth2 token endpoint on the same port.
 *
 * - `POST /v1/projects/{project}/locations/{location}/publishers/google/models/{model}:generateContent`
 *   (or `/v1beta1/…`, the @google/genai SDK's default)
 *   (`:streamGenerateContent?alt=sse`): the Gemini wire format (answered by the Gemini mock's
 *   handler, ./gemini.ts, which Vertex's body matches).
 * - `…/publishers/anthropic/models/{model}:rawPredict` (`:streamRawPredict`): Anthropic's Messages
 *   body without `model`, with `anthropic_version: "vertex-2023-10-16"` (answered by ./anthropic.ts).
 * - Auth: `Authorization: Bearer <token>`, a token this mock issued or VERTEX_MOCK_TOKEN; else
 *   Google's 401 UNAUTHENTICATED envelope.
 * - `POST /token`: the JWT bearer grant. With a public key, the assertion's RS256 signature and
 *   its claims (iss, scope, aud = this URL, exp − iat ≤ 3600) are VERIFIED before a token is
 *   issued (`ya29.mock-<n>`, `expires_in` as configured); else OAuth2's `invalid_grant`.
 */
import { verify, type KeyObject } from 'node:crypto';
import { defaultAnthropicHandler } from './anthropic.js';
import { geminiDefaultHandler, geminiError } from './gemini.js';
import { type HttpMock, type MockHandler, type MockReply, type RecordedRequest, startHttpMock } from './http-mock.js';

export const VERTEX_MOCK_PROJECT = 'tollgate-test';
export const VERTEX_MOCK_LOCATION = 'us-central1';
/** A ready access token the mock always accepts (the `access_token` option's path). */
export const VERTEX_MOCK_TOKEN = 'ya29.a0Vertex-test-Tk9f3kLq7Zp';
export const VERTEX_MOCK_EMAIL = 'gateway@tollgate-test.iam.gserviceaccount.com';
export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

const ROUTE = /^\/v1(?:beta1)?\/projects\/([^/]+)\/locations\/([^/]+)\/publishers\/(google|anthropic)\/models\/([^:/?]+):([A-Za-z]+)(\?.*)?$/;

export interface TokenEndpointOptions {
  /** Verify assertions with this key (else every assertion is refused). */
  publicKey?: KeyObject;
  /** Lifetime of issued tokens, seconds. */
  expiresIn?: number;
}

export interface VertexMock extends HttpMock {
  /** Token requests received, with the verified claims of each. */
  tokenRequests: Array<{ claims: any; header: any }>;
  /** Tokens issued so far (each is accepted on model calls). */
  issued: string[];
  /** Answer token requests as this reply instead (an outage, a refusal). */
  failTokens(reply: MockReply | undefined): void;
}

/** The model call's route, or undefined when the path is not one. */
export function vertexRoute(path: string): { project: string; location: string; publisher: string; model: string; method: string; query: string } | undefined {
  const m = ROUTE.exec(path);
  if (!m) return undefined;
  return { project: m[1]!, location: m[2]!, publisher: m[3]!, model: decodeURIComponent(m[4]!), method: m[5]!, query: m[6] ?? '' };
}

/**
 * Model calls only (the token endpoint is the mock's own): `accepted` tells a valid bearer token.
 * Exported so a test can wrap it (scripted replies still pass the auth and route checks).
 */
export function vertexModelHandler(accepted: (token: string) => boolean): MockHandler {
  return (req: RecordedRequest) => {
    const route = vertexRoute(req.path);
    if (req.method !== 'POST' || !route) return geminiError(404, 'NOT_FOUND', `The requested URL ${req.path} was not found on this server.`);
    const auth = String(req.headers.authorization ?? '');
    if (!auth.startsWith('Bearer ') || !accepted(auth.slice(7))) {
      return geminiError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.');
    }
    if (route.publisher === 'google') {
      if (!['generateContent', 'streamGenerateContent'].includes(route.method)) return geminiError(400, 'INVALID_ARGUMENT', `unknown method ${route.method}`);
      return geminiDefaultHandler({ ...req, path: `/v1/models/${route.model}:${route.method}${route.query}`, headers: { ...req.headers, 'x-goog-api-key': 'vertex' } });
    }
    const body = req.body;
    const stream = route.method === 'streamRawPredict';
    if (!stream && route.method !== 'rawPredict') return geminiError(400, 'INVALID_ARGUMENT', `unknown method ${route.method}`);
    if (!body || body.anthropic_version !== 'vertex-2023-10-16') {
      return { status: 400, json: { type: 'error', error: { type: 'invalid_request_error', message: 'anthropic_version: Input should be \'vertex-2023-10-16\'' } } };
    }
    if ('model' in body) return { status: 400, json: { type: 'error', error: { type: 'invalid_request_error', message: 'model: Extra inputs are not permitted' } } };
    if ((body.stream === true) !== stream) return { status: 400, json: { type: 'error', error: { type: 'invalid_request_error', message: 'stream must be true exactly on streamRawPredict' } } };
    return defaultAnthropicHandler({ ...req, path: '/v1/messages', headers: { ...req.headers, 'x-api-key': 'vertex' }, body: { ...body, model: route.model } });
  };
}

/** Verifies a JWT bearer assertion like Google's token endpoint; the reason when it is refused. */
export function checkAssertion(assertion: string, publicKey: KeyObject | undefined, audience: string): { claims: any; header: any } | string {
  const parts = assertion.split('.');
  if (parts.length !== 3 || !publicKey) return 'Invalid JWT';
  const [h, c, s] = parts as [string, string, string];
  if (!verify('RSA-SHA256', Buffer.from(`${h}.${c}`), publicKey, Buffer.from(s, 'base64url'))) return 'Invalid JWT Signature.';
  const header = JSON.parse(Buffer.from(h, 'base64url').toString());
  const claims = JSON.parse(Buffer.from(c, 'base64url').toString());
  if (header.alg !== 'RS256') return 'Invalid JWT: alg';
  if (claims.iss !== VERTEX_MOCK_EMAIL) return 'Invalid JWT: iss';
  if (claims.aud !== audience) return 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.';
  if (claims.scope !== CLOUD_PLATFORM_SCOPE) return 'Invalid JWT: scope';
  const now = Date.now() / 1000;
  if (!Number.isInteger(claims.iat) || !Number.isInteger(claims.exp) || claims.exp - claims.iat > 3600 || claims.exp <= claims.iat) return 'Invalid JWT: iat/exp';
  if (claims.iat > now + 60 || claims.exp < now) return 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.';
  return { claims, header };
}

/** The echo for a gateway configured with VERTEX_MOCK_TOKEN (a mock's own issued tokens are accepted too). */
export const vertexDefaultHandler: MockHandler = vertexModelHandler((t) => t === VERTEX_MOCK_TOKEN);

export async function startVertexMock(opts: TokenEndpointOptions = {}): Promise<VertexMock> {
  const issued: string[] = [];
  const tokenRequests: VertexMock['tokenRequests'] = [];
  let tokenFailure: MockReply | undefined;
  const accepted = (t: string) => t === VERTEX_MOCK_TOKEN || issued.includes(t);
  const models = vertexModelHandler(accepted);
  let modelHandler: MockHandler = models;
  let url = '';

  const token = (req: RecordedRequest): MockReply => {
    if (tokenFailure) return tokenFailure;
    const form = new URLSearchParams(req.text);
    if (req.headers['content-type'] !== 'application/x-www-form-urlencoded') return { status: 400, json: { error: 'invalid_request', error_description: 'Bad Request' } };
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return { status: 400, json: { error: 'unsupported_grant_type', error_description: 'Invalid grant_type' } };
    const checked = checkAssertion(form.get('assertion') ?? '', opts.publicKey, `${url}/token`);
    if (typeof checked === 'string') return { status: 400, json: { error: 'invalid_grant', error_description: checked } };
    tokenRequests.push(checked);
    const t = `ya29.mock-${issued.length + 1}-${'x'.repeat(24)}`;
    issued.push(t);
    return { json: { access_token: t, expires_in: opts.expiresIn ?? 3599, token_type: 'Bearer' } };
  };

  const mock = await startHttpMock((req) => (req.path === '/token' ? token(req) : modelHandler(req)));
  url = mock.url;
  return {
    ...mock,
    tokenRequests,
    issued,
    failTokens: (reply) => {
      tokenFailure = reply;
    },
    // A scripted handler still gets the auth and route checks: it only replaces the answer.
    setHandler: (h) => {
      modelHandler = h === vertexDefaultHandler ? models : (req) => (authorised(req, accepted) ? h(req) : models(req));
    },
  };
}

function authorised(req: RecordedRequest, accepted: (t: string) => boolean): boolean {
  const auth = String(req.headers.authorization ?? '');
  return auth.startsWith('Bearer ') && accepted(auth.slice(7)) && vertexRoute(req.path) !== undefined;
}

/** A service-account JSON key for `privateKeyPem`, whose token_uri is this mock's. */
export function serviceAccountKey(mockUrl: string, privateKeyPem: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type: 'service_account',
    project_id: VERTEX_MOCK_PROJECT,
    private_key_id: 'abc123',
    private_key: privateKeyPem,
    client_email: VERTEX_MOCK_EMAIL,
    client_id: '1234567890',
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: `${mockUrl}/token`,
    ...extra,
  });
}
