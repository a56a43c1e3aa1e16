/**
 * Shared bits of the prompt tests: an OpenAI-format upstream on loopback (test/mocks/openai.ts)
 * that answers JSON-mode requests with a scripted JSON answer and text requests with an echo of
 * the rendered user message, a gateway config pointing `openai` at it, and an SSE reader.
 */
import { fileURLToPath } from 'node:url';
import type { HttpMock, RecordedRequest } from '../mocks/http-mock.js';
import { openaiCompletion, openaiMockHandler, openaiStream, startOpenAIMock } from '../mocks/openai.js';

/** Copies of the shipped examples in prompts/: tests never read ./prompts, which users edit. */
export const EXAMPLES_DIR = fileURLToPath(new URL('../fixtures/prompts', import.meta.url));
export const UPSTREAM_KEY = 'sk-prompt-test-upstream-secret';

/** JSON answers by `response_format.json_schema.name` (the prompt name); set per test. */
export type JsonAnswers = Record<string, string>;

export async function startPromptUpstream(answers: JsonAnswers): Promise<HttpMock> {
  const echo = openaiMockHandler(UPSTREAM_KEY);
  return startOpenAIMock((req: RecordedRequest) => {
    const name = req.body?.response_format?.json_schema?.name;
    if (typeof name === 'string' && req.path.endsWith('/chat/completions')) {
      const text = answers[name] ?? '{}';
      const spec = { text, model: 'gpt-4o-mini-2024-07-18', usage: { prompt_tokens: 42, completion_tokens: 7 } };
      return req.body.stream === true ? openaiStream(spec) : openaiCompletion(spec);
    }
    return echo(req);
  });
}

export function gatewayYaml(upstreamUrl: string, promptsDir: string, extra = ''): string {
  return `providers:\n  openai: { type: openai, api_key: "${UPSTREAM_KEY}", base_url: "${upstreamUrl}/v1" }\nprompts:\n  dir: "${promptsDir}"\n${extra}`;
}

export interface SseEvent {
  event: string;
  data: any;
}

/** Reads a whole SSE response into events (`data` parsed as JSON). */
export async function readSse(res: Response): Promise<SseEvent[]> {
  const text = await res.text();
  return text
    .split(/\n\n/)
    .filter((b) => b.trim())
    .map((block) => {
      let event = 'message';
      let data = '';
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data += line.slice(6);
      }
      return { event, data: JSON.parse(data) };
    });
}

export function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}
