/**
 * OpenAI-compatible presets (providers/openai-compatible/presets.ts): each one, configured by
 * name in a gateway config, sends the right URL (host + path) and auth header. The expected URLs
 * are written out by hand from each host's "OpenAI compatibility" docs, not derived from the
 * preset table, so a typo in a preset fails here. Then a few presets run a real request through
 * the gateway to a loopback mock (`base_url`), checking what arrives on the wire.
 */
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openAICompatiblePresets } from '../providers/openai-compatible/presets.js';
import { openAIEndpoint } from '../providers/openai/endpoint.js';
import { parseConfigText } from '../src/config/load.js';
import { buildSnapshot } from '../src/config/snapshot.js';
import { startGateway, type TestGateway } from './helpers/gateway.js';
import type { HttpMock } from './mocks/http-mock.js';
import { openaiCompletion, openaiStream, startOpenAIMock } from './mocks/openai.js';
import { createCheckingFetch } from './openapi/validate.js';

/** `header:<name>`: the key alone in that header. */
type Auth = 'bearer' | 'api-key' | 'none' | `header:${string}`;

/** preset → [chat completions URL for model `m`, auth scheme]. */
const EXPECTED: Record<string, [string, Auth]> = {
  openai: ['https://api.openai.com/v1/chat/completions', 'bearer'],
  azure: ['https://myres.openai.azure.com/openai/deployments/m/chat/completions?api-version=2024-10-21', 'api-key'],
  groq: ['https://api.groq.com/openai/v1/chat/completions', 'bearer'],
  together: ['https://api.together.xyz/v1/chat/completions', 'bearer'],
  fireworks: ['https://api.fireworks.ai/inference/v1/chat/completions', 'bearer'],
  deepseek: ['https://api.deepseek.com/v1/chat/completions', 'bearer'],
  xai: ['https://api.x.ai/v1/chat/completions', 'bearer'],
  openrouter: ['https://openrouter.ai/api/v1/chat/completions', 'bearer'],
  perplexity: ['https://api.perplexity.ai/chat/completions', 'bearer'],
  cerebras: ['https://api.cerebras.ai/v1/chat/completions', 'bearer'],
  deepinfra: ['https://api.deepinfra.com/v1/openai/chat/completions', 'bearer'],
  nvidia: ['https://integrate.api.nvidia.com/v1/chat/completions', 'bearer'],
  sambanova: ['https://api.sambanova.ai/v1/chat/completions', 'bearer'],
  hyperbolic: ['https://api.hyperbolic.xyz/v1/chat/completions', 'bearer'],
  novita: ['https://api.novita.ai/openai/v1/chat/completions', 'bearer'],
  moonshot: ['https://api.moonshot.ai/v1/chat/completions', 'bearer'],
  dashscope: ['https://dashscope-intl.aliyuncs.com/compatible-mode/v1/chat/completions', 'bearer'],
  zhipu: ['https://open.bigmodel.cn/api/paas/v4/chat/completions', 'bearer'],
  siliconflow: ['https://api.siliconflow.cn/v1/chat/completions', 'bearer'],
  nebius: ['https://api.studio.nebius.com/v1/chat/completions', 'bearer'],
  lambda: ['https://api.lambda.ai/v1/chat/completions', 'bearer'],
  github: ['https://models.github.ai/inference/chat/completions', 'bearer'],
  huggingface: ['https://router.huggingface.co/v1/chat/completions', 'bearer'],
  cloudflare: ['https://api.cloudflare.com/client/v4/accounts/acct123/ai/v1/chat/completions', 'bearer'],
  ollama: ['http://127.0.0.1:11434/v1/chat/completions', 'none'],
  vllm: ['http://127.0.0.1:8000/v1/chat/completions', 'bearer'],
  lmstudio: ['http://127.0.0.1:1234/v1/chat/completions', 'none'],
  featherless: ['https://api.featherless.ai/v1/chat/completions', 'bearer'],
  baseten: ['https://inference.baseten.co/v1/chat/completions', 'bearer'],
  minimax: ['https://api.minimax.io/v1/chat/completions', 'bearer'],
  // Embedding and rerank hosts: no chat of their own, but the same base URL and auth.
  jina: ['https://api.jina.ai/v1/chat/completions', 'bearer'],
  voyage: ['https://api.voyageai.com/v1/chat/completions', 'bearer'],
  azure_ai: ['https://myfoundry.services.ai.azure.com/models/chat/completions?api-version=2024-05-01-preview', 'api-key'],
  ai21: ['https://api.ai21.com/studio/v1/chat/completions', 'bearer'],
  upstage: ['https://api.upstage.ai/v1/chat/completions', 'bearer'],
  friendli: ['https://api.friendli.ai/serverless/v1/chat/completions', 'bearer'],
  ovhcloud: ['https://oai.endpoints.kepler.ai.cloud.ovh.net/v1/chat/completions', 'bearer'],
  scaleway: ['https://api.scaleway.ai/v1/chat/completions', 'bearer'],
  nscale: ['https://inference.api.nscale.com/v1/chat/completions', 'bearer'],
  vercel: ['https://ai-gateway.vercel.sh/v1/chat/completions', 'bearer'],
  litellm: ['http://127.0.0.1:4000/v1/chat/completions', 'bearer'],
  portkey: ['https://api.portkey.ai/v1/chat/completions', 'header:x-portkey-api-key'],
  requesty: ['https://router.requesty.ai/v1/chat/completions', 'bearer'],
  aihubmix: ['https://aihubmix.com/v1/chat/completions', 'bearer'],
  aiml: ['https://api.aimlapi.com/v1/chat/completions', 'bearer'],
  zai: ['https://api.z.ai/api/paas/v4/chat/completions', 'bearer'],
  volcengine: ['https://ark.cn-beijing.volces.com/api/v3/chat/completions', 'bearer'],
  qianfan: ['https://qianfan.baidubce.com/v2/chat/completions', 'bearer'],
  hunyuan: ['https://api.hunyuan.cloud.tencent.com/v1/chat/completions', 'bearer'],
  stepfun: ['https://api.stepfun.com/v1/chat/completions', 'bearer'],
  codestral: ['https://codestral.mistral.ai/v1/chat/completions', 'bearer'],
  meta: ['https://api.llama.com/compat/v1/chat/completions', 'bearer'],
  inference_net: ['https://api.inference.net/v1/chat/completions', 'bearer'],
  chutes: ['https://llm.chutes.ai/v1/chat/completions', 'bearer'],
  gmi: ['https://api.gmi-serving.com/v1/chat/completions', 'bearer'],
  wandb: ['https://api.inference.wandb.ai/v1/chat/completions', 'bearer'],
  digitalocean: ['https://inference.do-ai.run/v1/chat/completions', 'bearer'],
  publicai: ['https://api.publicai.co/v1/chat/completions', 'bearer'],
  llamagate: ['https://api.llamagate.dev/v1/chat/completions', 'bearer'],
  venice: ['https://api.venice.ai/api/v1/chat/completions', 'bearer'],
  poe: ['https://api.poe.com/v1/chat/completions', 'bearer'],
  v0: ['https://api.v0.dev/v1/chat/completions', 'bearer'],
  morph: ['https://api.morphllm.com/v1/chat/completions', 'bearer'],
  sarvam: ['https://api.sarvam.ai/v1/chat/completions', 'header:api-subscription-key'],
  databricks: ['https://adb-123.azuredatabricks.net/serving-endpoints/chat/completions', 'bearer'],
  snowflake: ['https://myorg-acct.snowflakecomputing.com/api/v2/cortex/v1/chat/completions', 'bearer'],
  heroku: ['https://us.inference.heroku.com/v1/chat/completions', 'bearer'],
  llamacpp: ['http://127.0.0.1:8080/v1/chat/completions', 'none'],
  sglang: ['http://127.0.0.1:30000/v1/chat/completions', 'none'],
  xinference: ['http://127.0.0.1:9997/v1/chat/completions', 'none'],
  docker: ['http://127.0.0.1:12434/engines/v1/chat/completions', 'none'],
  lemonade: ['http://127.0.0.1:8000/api/v1/chat/completions', 'none'],
};

const ENV = {
  AZURE_OPENAI_RESOURCE: 'myres',
  AZURE_AI_RESOURCE: 'myfoundry',
  CLOUDFLARE_ACCOUNT_ID: 'acct123',
  DATABRICKS_HOST: 'https://adb-123.azuredatabricks.net',
  SNOWFLAKE_ACCOUNT: 'myorg-acct',
  INFERENCE_URL: 'https://us.inference.heroku.com',
};
const keyOf = (preset: string) => `key-${preset}-0123456789`;

describe('every preset, configured by name', () => {
  // One provider per preset, named after it, each with its own key.
  const yaml = `providers:\n${Object.keys(openAICompatiblePresets)
    .map((p) => `  ${p}: { type: ${p === 'openai' ? 'openai' : 'openai-compatible'}, preset: ${p}, api_key: "${keyOf(p)}" }`)
    .join('\n')
    .replace('preset: openai, ', '')}\n`;
  const snapshot = buildSnapshot(parseConfigText(yaml, ENV), ENV);

  it('the table covers every preset (a new preset needs its expected URL here)', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(openAICompatiblePresets).sort());
  });

  it.each(Object.entries(EXPECTED))('%s → %s', (name, [url, auth]) => {
    const cfg = snapshot.providers.get(name)!.config;
    const chat = openAIEndpoint(cfg, 'chat', 'm');
    expect(chat.url).toBe(url);
    expect(chat.headers['content-type']).toBe('application/json');
    const key = keyOf(name);
    if (auth === 'bearer') expect(chat.headers).toMatchObject({ authorization: `Bearer ${key}` });
    else expect(chat.headers.authorization).toBeUndefined();
    if (auth === 'api-key') expect(chat.headers['api-key']).toBe(key);
    else expect(chat.headers['api-key']).toBeUndefined();
    if (auth.startsWith('header:')) expect(chat.headers[auth.slice(7)]).toBe(key);
    // The key is sent once, in one header.
    expect(Object.values(chat.headers).filter((v) => v.includes(key))).toHaveLength(auth === 'none' ? 0 : 1);
    // Embeddings go to the same base with their own path.
    expect(openAIEndpoint(cfg, 'embeddings', 'm').url).toBe(url.replace('/chat/completions', '/embeddings'));
  });

  it('a preset with no api_key reads its usual environment variable', () => {
    const env = { GROQ_API_KEY: 'gsk-from-env-123456' };
    const s = buildSnapshot(parseConfigText('providers:\n  g: { type: openai-compatible, preset: groq }\n', env), env);
    expect(openAIEndpoint(s.providers.get('g')!.config, 'chat', 'm').headers.authorization).toBe('Bearer gsk-from-env-123456');
  });

  it('an unknown preset is a config error naming it', () => {
    expect(() => buildSnapshot(parseConfigText('providers:\n  x: { type: openai-compatible, preset: nosuch }\n', {}), {})).toThrow(/nosuch/);
  });
});

describe('real requests through the gateway, base_url pointed at a loopback mock', () => {
  let upstream: HttpMock;
  let gw: TestGateway;
  let client: OpenAI;
  const checker = createCheckingFetch();

  beforeAll(async () => {
    upstream = await startOpenAIMock(() => openaiCompletion({ text: 'ok', usage: { prompt_tokens: 3, completion_tokens: 1 } }));
    gw = await startGateway(
      `
providers:
  groq:   { type: openai-compatible, preset: groq, api_key: "gsk-groq-secret-123", base_url: "${upstream.url}/openai/v1" }
  azure:  { type: openai-compatible, preset: azure, api_key: "azure-secret-123456", base_url: "${upstream.url}/openai" }
  azure2: { type: openai-compatible, preset: azure, api_key: "azure-secret-123456", base_url: "${upstream.url}/openai", api_version: "2025-01-01-preview" }
  ollama: { type: openai-compatible, preset: ollama, base_url: "${upstream.url}/v1" }
  router: { type: openai-compatible, preset: openrouter, base_url: "${upstream.url}/api/v1", headers: { HTTP-Referer: "https://example.com" } }
`,
      { OPENROUTER_API_KEY: 'sk-or-from-env-123456' },
    );
    client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'tollgate-test', maxRetries: 0, fetch: checker.fetch });
  });
  afterAll(async () => {
    await gw?.close();
    await upstream?.close();
  });
  afterEach(() => checker.assertClean());

  const ask = (model: string) => client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });

  it('groq: Bearer key, the preset’s path under base_url, model prefix stripped', async () => {
    const res = await ask('groq/llama-3.3-70b-versatile');
    expect(res.choices[0]?.message.content).toBe('ok');
    const r = upstream.requests.at(-1)!;
    expect(r.path).toBe('/openai/v1/chat/completions');
    expect(r.headers.authorization).toBe('Bearer gsk-groq-secret-123');
    expect(r.headers['api-key']).toBeUndefined();
    expect(r.body.model).toBe('llama-3.3-70b-versatile');
  });

  it('azure: api-key header (no Bearer), deployment in the path, api-version in the query', async () => {
    await ask('azure/gpt-4o');
    const r = upstream.requests.at(-1)!;
    expect(r.path).toBe('/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21');
    expect(r.headers['api-key']).toBe('azure-secret-123456');
    expect(r.headers.authorization).toBeUndefined();
  });

  it('azure with api_version configured, streaming too', async () => {
    upstream.setHandler(() => openaiStream({ text: 'streamed ok' }));
    const stream = await client.chat.completions.create({ model: 'azure2/my-deployment', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    let text = '';
    for await (const c of stream) text += c.choices[0]?.delta.content ?? '';
    expect(text).toBe('streamed ok');
    expect(upstream.requests.at(-1)!.path).toBe('/openai/deployments/my-deployment/chat/completions?api-version=2025-01-01-preview');
    upstream.setHandler(() => openaiCompletion({ text: 'ok' }));
  });

  it('ollama: no auth header at all', async () => {
    await ask('ollama/llama3.2');
    const r = upstream.requests.at(-1)!;
    expect(r.path).toBe('/v1/chat/completions');
    expect(r.headers.authorization).toBeUndefined();
    expect(r.headers['api-key']).toBeUndefined();
  });

  it('openrouter: key from OPENROUTER_API_KEY, configured extra headers sent', async () => {
    await ask('router/openai/gpt-4o');
    const r = upstream.requests.at(-1)!;
    expect(r.path).toBe('/api/v1/chat/completions');
    expect(r.headers.authorization).toBe('Bearer sk-or-from-env-123456');
    expect(r.headers['http-referer']).toBe('https://example.com');
    expect(r.body.model).toBe('openai/gpt-4o');
  });
});

describe('every preset over real HTTP: base_url moved to a loopback recorder, the preset’s path and auth kept', () => {
  let upstream: HttpMock;
  let gw: TestGateway;
  const names = Object.keys(EXPECTED);
  /** The preset's real base path (`/openai/v1`, `/models`…), served by the recorder instead of its host. */
  const basePath = (name: string) => new URL(EXPECTED[name]![0]).pathname.replace(/(\/deployments\/m)?\/chat\/completions$/, '');

  beforeAll(async () => {
    upstream = await startOpenAIMock(() => openaiCompletion({ text: 'ok', usage: { prompt_tokens: 3, completion_tokens: 1 } }));
    const yaml = `providers:\n${names
      .map((p) => `  ${p}: { type: ${p === 'openai' ? 'openai' : 'openai-compatible'}, api_key: "${keyOf(p)}", base_url: "${upstream.url}${basePath(p)}" }`)
      .join('\n')}\n`;
    gw = await startGateway(yaml, ENV);
  });
  afterAll(async () => {
    await gw?.close();
    await upstream?.close();
  });

  it.each(names)('%s: a chat request arrives at the preset’s path with its auth header', async (name) => {
    const [url, auth] = EXPECTED[name]!;
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: `${name}/some-model`, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(200);
    const r = upstream.requests.at(-1)!;
    const u = new URL(url);
    // Azure OpenAI's deployment is the model, in the path.
    expect(r.path).toBe((u.pathname + u.search).replace('/deployments/m/', '/deployments/some-model/'));
    expect(r.body.model).toBe('some-model');
    const key = keyOf(name);
    expect(r.headers.authorization).toBe(auth === 'bearer' ? `Bearer ${key}` : undefined);
    expect(r.headers['api-key']).toBe(auth === 'api-key' ? key : undefined);
    if (auth.startsWith('header:')) expect(r.headers[auth.slice(7)]).toBe(key);
    // No other header carries the key.
    const carrying = Object.entries(r.headers).filter(([, v]) => String(v).includes(key)).map(([k]) => k);
    expect(carrying).toEqual(auth === 'none' ? [] : [auth === 'bearer' ? 'authorization' : auth.replace(/^header:/, '')]);
  });

  it('GET /v1/models lists every catalogued model of every preset under the provider’s name', async () => {
    const res = await fetch(`${gw.url}/v1/models`);
    const ids = new Set(((await res.json()) as { data: { id: string }[] }).data.map((m) => m.id));
    let listed = 0;
    for (const name of names) {
      const p = gw.snapshot.providers.get(name)!;
      for (const e of gw.snapshot.catalog.list(p.catalogProvider)) {
        expect(ids.has(`${name}/${e.model}`), `${name}/${e.model}`).toBe(true);
        listed++;
      }
    }
    expect(listed).toBeGreaterThan(500);
  });
});
