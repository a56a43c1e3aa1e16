/**
 * Shared bits of the native-provider end-to-end tests (test/native/*.test.ts): a gateway
 * config pointing one provider at a loopback mock, an OpenAI SDK client on the gateway, and
 * the expected cost computed by hand from published per-million prices (not from the catalog,
 * so a wrong catalog entry or a wrong cost formula fails the test).
 */
import OpenAI from 'openai';
import { afterEach } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { createCheckingFetch } from '../openapi/validate.js';

/**
 * Every body and SSE chunk the native tests' OpenAI client receives is checked against OpenAI's
 * own schemas (openai-openapi.yaml); a test fails on any violation. Each test file calls
 * checkEveryResponse() itself: files share this module in a worker (vitest `isolate: false`), so
 * a hook registered here at import would only run in the first file.
 */
export const checker = createCheckingFetch();
export const checkEveryResponse = (): void => afterEach(() => checker.assertClean());

/** Provider secrets used in every native test; none may ever reach a client. */
export const SECRETS = {
  openai: 'sk-test-secret-123456',
  anthropic: 'sk-ant-test-secret-1',
  gemini: 'AIzaTestSecret000000000000000',
  mistral: 'mistral-test-secret',
  cohere: 'cohere-test-secret-0042',
} as const;

export function providerYaml(name: keyof typeof SECRETS, baseUrl: string): string {
  return `providers:\n  ${name}: { type: ${name}, api_key: "${SECRETS[name]}", base_url: "${baseUrl}" }\n`;
}

export async function gatewayFor(yaml: string): Promise<{ gw: TestGateway; client: OpenAI }> {
  const gw = await startGateway(yaml);
  // maxRetries 0: a gateway error must reach the test as the gateway sent it, once.
  const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'x', maxRetries: 0, fetch: checker.fetch });
  return { gw, client };
}

/**
 * Cost in integer nano-dollars from prices in USD per million tokens: a price of $P/Mtok is
 * P µ$ = 1000 × P n$ per token, so the cost is Σ tokens × P × 1000 n$ (exact: no rounding).
 */
export function expectedNanos(lines: Array<[tokens: number, usdPerMillion: number]>): number {
  // Prices have at most 2 decimals here: a hundredth of a µ$ is 10 n$.
  return lines.reduce((sum, [tokens, price]) => sum + tokens * Math.round(price * 100) * 10, 0);
}

/** `x-tollgate-cost-usd` text for a nano-dollar amount (9 decimals, trailing zeros trimmed down to 6). */
export const usdHeader = (nanos: number): string => (nanos / 1e9).toFixed(9).replace(/0{1,3}$/, '');

/** The record the gateway settled for a request id (records settle just after the response ends). */
export async function recordOf(gw: TestGateway, requestId: string | null) {
  const end = Date.now() + 2000;
  for (;;) {
    const rec = gw.records.find((r) => r.requestId === requestId);
    if (rec) return rec;
    if (Date.now() > end) throw new Error(`no usage record for request ${requestId}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** SSE `data:` frames of JSON chunks (a string is sent as-is: a broken chunk). */
export const sseData = (chunks: unknown[]): string[] => chunks.map((c) => `data: ${typeof c === 'string' ? c : JSON.stringify(c)}\n\n`);

/** Reads a chat stream to its end or its error: the text received, and the error if any. */
export async function drain(stream: AsyncIterable<OpenAI.ChatCompletionChunk>): Promise<{ text: string; err: any }> {
  let text = '';
  try {
    for await (const c of stream) text += c.choices[0]?.delta.content ?? '';
    return { text, err: undefined };
  } catch (err) {
    return { text, err };
  }
}

/** Every error text a client could see, for the "no secret leaks" checks. */
export function errorText(err: unknown): string {
  const e = err as { message?: string; error?: unknown };
  return `${e?.message ?? ''} ${JSON.stringify(e?.error ?? null)}`;
}

/** A tiny 1×1 PNG, as a data URL. */
export const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
export const PNG_DATA_URL = `data:image/png;base64,${PNG_BASE64}`;
export const IMAGE_HTTP_URL = 'https://example.com/cat.jpg';

export const WEATHER_TOOL = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};
export const TIME_TOOL = {
  type: 'function' as const,
  function: {
    name: 'get_time',
    description: 'Local time in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

export const JSON_SCHEMA_FORMAT = {
  type: 'json_schema' as const,
  json_schema: {
    name: 'city',
    strict: true,
    schema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'], additionalProperties: false },
  },
};
