/**
 * One gateway in front of one echoing upstream, for the secret-handling tests. Every provider
 * and proxy route points at the same loopback mock; the test decides per request what it answers
 * — typically an error that echoes back the request headers it received (some real proxies and
 * hosts do), so a key the gateway sends is a key that comes back.
 */
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { captureLogs } from '../helpers/secrets.js';
import { startHttpMock, type HttpMock, type MockReply, type RecordedRequest } from '../mocks/http-mock.js';

/** Not shaped like sk-/AIza/tg_ on purpose: only the exact-value scrub can catch these. */
export const SECRETS = {
  OAI_KEY: 'opaque-oai-key-4f9c2e7a1b3d5f60',
  ORG_TOKEN: 'org-token-9a8b7c6d5e4f3a2b1c0d',
  GEMINI_KEY: 'gemkey-1234567890abcdefghijklmnop',
  ANTHROPIC_KEY: 'antkey-zyxwvutsrqponmlkjihgf0987',
  ANTHROPIC_HDR: 'ant-header-secret-55aa66bb77cc',
  MISTRAL_KEY: 'mistral-opaque-key-31415926535',
  ROUTE_TOKEN: 'route-upstream-token-271828182',
  STATIC_KEY: 'client-static-key-1a2b3c4d5e6f',
  TOLLGATE_ADMIN_KEY: 'admin-key-0f1e2d3c4b5a69788796',
} as const;
export const secretValues: readonly string[] = Object.values(SECRETS);

export interface SecretsFixture {
  gw: TestGateway;
  upstream: HttpMock;
  logs: ReturnType<typeof captureLogs>;
  /** What the upstream answers next. */
  answer(reply: (req: RecordedRequest) => MockReply): void;
  close(): Promise<void>;
}

/** The headers the upstream received, as an echoing upstream would put them in its message. */
export const echoHeaders = (req: RecordedRequest): string => JSON.stringify(req.headers);

export async function startSecretsFixture(): Promise<SecretsFixture> {
  let next: (req: RecordedRequest) => MockReply = () => ({ status: 500, body: 'no answer set' });
  const upstream = await startHttpMock((req) => next(req));
  const logs = captureLogs();
  const yaml = `
server: { log_level: trace }
providers:
  oai: { type: openai-compatible, base_url: "${upstream.url}/v1", api_key: "\${OAI_KEY}", headers: { x-org-token: "\${ORG_TOKEN}" } }
  gemini: { type: gemini, base_url: "${upstream.url}", api_key: "\${GEMINI_KEY}" }
  azure: { type: openai-compatible, preset: azure, base_url: "${upstream.url}/openai", api_key: "\${OAI_KEY}", api_version: "2024-10-21" }
  anthropic: { type: anthropic, base_url: "${upstream.url}", api_key: "\${ANTHROPIC_KEY}", headers: { x-ant-org: "\${ANTHROPIC_HDR}" } }
  mistral: { type: mistral, base_url: "${upstream.url}", api_key: "\${MISTRAL_KEY}" }
auth:
  keys: ["\${STATIC_KEY}"]
routes:
  - name: open
    match: { path: /open }
    upstreams: ["${upstream.url}"]
    auth: none
    request_headers: { set: { x-upstream-token: "\${ROUTE_TOKEN}" } }
`;
  const gw = await startGateway(yaml, { ...SECRETS }, { logger: true, logStream: logs.stream, watchPrompts: false });
  return {
    gw,
    upstream,
    logs,
    answer(reply) {
      next = reply;
    },
    async close() {
      await gw.close();
      await upstream.close();
    },
  };
}
