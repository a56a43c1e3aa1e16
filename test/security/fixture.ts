/**
 * One gateway in front of one echoing upstream, for the secret-handling tests. Every provider
 * and proxy route points at the same loopback mock; the test decides per request what it answers
 * — typically an error that echoes back the request headers it received (some real proxies and
 * hosts do), so a key the gateway sends is a key that comes back.
 */
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { captureLogs } from '../helpers/secrets.js';
import { startHttpMock, type HttpMock, type MockReply, type RecordedRequest } from '../mocks/http-mock.js';

/**
 * Random, not shaped like sk-/AIza/tg_ on purpose: only the exact-value scrub can catch these,
 * and no 8-character run of them occurs in ordinary text.
 */
export const SECRETS = {
  OAI_KEY: 'KcBEKanD0F0rPZkcHFuep88VxcA3',
  ORG_TOKEN: 'iMwyAs0RqDlRtQxiDX3pCNycLapi',
  GEMINI_KEY: 'm86tIxX5puQJCBEePLu2Gk1oApcc',
  ANTHROPIC_KEY: 'Ft0MQeI72fjyK8x6Mjh9XXgCkZm8',
  ANTHROPIC_HDR: 'wBACpRrjNHl3hrDtkQP80lXlEXwu',
  MISTRAL_KEY: 'BoaITcv5upfqCzLky63FR5pVH6rH',
  ROUTE_TOKEN: 'EMFekFRD5ziAILwIyFSkJCg9A1c3',
  STATIC_KEY: 'aCIedwfjgMD1ZFiD3BXG7CvUq5YS',
  TOLLGATE_ADMIN_KEY: 'DBvPH6HjVpuNcRmP5LK1OEbZh9sB',
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
