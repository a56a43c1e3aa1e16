import type { ChatResponse, GatewayErrorShape, StreamEvent, Usage } from '../../../providers/types.js';
import { openAIErrorBody } from '../../engine/errors.js';
import type { ChatSurface, StreamWriter } from '../../engine/surface.js';
import { parseOpenAIChatRequest } from '../openai-chat/parse-chat-request.js';
import { openAIChatPromptText } from '../openai-chat/prompt-text.js';
import { toOpenAIUsage } from '../openai-shared/usage.js';
import type { PromptDefinition } from '../../prompts/types.js';

/**
 * The prompt surface (docs/contract.md §5): the engine runs the rendered OpenAI-format chat body like any
 * other LLM call (docs/architecture.md §1: a prompt call is an LLM call whose request came from a template),
 * and this surface shapes the answer as `{output, model, usage, prompt: {name, version}}`.
 * It names no wire format (`wire`), so the engine always translates and `render`
 * receives the internal response — there is no pass-through for a prompt.
 *
 * Stream (`text/event-stream`), one JSON object per `data:`:
 *   event: start  {"model", "prompt"}
 *   event: delta  {"text"}                          — as the model writes (JSON text too)
 *   event: done   {"output", "model", "usage", "prompt"} — the same object as the non-stream body
 *   event: error  {"error": {message, type, param, code}} — instead of `done` on failure,
 *                 e.g. an answer that does not match the output schema (code output_invalid)
 */
export function promptSurface(def: PromptDefinition, parseOutput: (text: string) => unknown): ChatSurface {
  const prompt = Object.freeze({ name: def.name, version: def.version });
  return {
    dialect: 'prompt',
    operation: 'chat',
    // The body is the gateway's own rendering, not client input: the variables were checked
    // against the prompt's input schema before rendering.
    validate: () => undefined,
    toInternal: parseOpenAIChatRequest,
    isStream: (b) => b.stream === true,
    wantsStreamUsage: () => true,
    promptText: openAIChatPromptText,
    maxOutputTokens: (b) => b.max_completion_tokens ?? b.max_tokens ?? undefined,
    render(res: ChatResponse, usage: Usage, costUsd: number) {
      const text = res.content.map((p) => (p.type === 'text' ? p.text : '')).join('');
      return { output: parseOutput(text), model: res.model, usage: toOpenAIUsage(usage, costUsd), prompt };
    },
    streamWriter: (requestedModel) => new PromptStreamWriter(requestedModel, prompt, parseOutput),
    errorBody: openAIErrorBody,
    errorFrame: (e: GatewayErrorShape) => sse('error', openAIErrorBody(e)),
    passthrough: {
      requestBody: unreachable,
      responseBody: unreachable,
      isResponse: unreachable,
      frame: unreachable,
      isError: unreachable,
      isEnd: unreachable,
      estimatedUsageFrames: unreachable,
      deliveredText: unreachable,
    },
  };
}

class PromptStreamWriter implements StreamWriter {
  private text = '';
  private started = false;

  constructor(
    private model: string,
    private readonly prompt: { name: string; version: string },
    private readonly parseOutput: (text: string) => unknown,
  ) {}

  step(ev: StreamEvent): string[] {
    if (ev.type === 'start') {
      if (ev.model) this.model = ev.model;
      return this.ensureStarted();
    }
    if (ev.type === 'text-delta' && ev.text) {
      this.text += ev.text;
      return [...this.ensureStarted(), sse('delta', { text: ev.text })];
    }
    // Reasoning, tool calls and signatures are not part of a prompt's output.
    return [];
  }

  /** Throws (a 502 GatewayError) when the answer does not match the output schema: the engine then sends `event: error`. */
  end(usage: Usage, costUsd: number): string[] {
    const output = this.parseOutput(this.text);
    return [...this.ensureStarted(), sse('done', { output, model: this.model, usage: toOpenAIUsage(usage, costUsd), prompt: this.prompt })];
  }

  private ensureStarted(): string[] {
    if (this.started) return [];
    this.started = true;
    return [sse('start', { model: this.model, prompt: this.prompt })];
  }
}

const sse = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

function unreachable(): never {
  throw new Error('the prompt surface has no pass-through path (it names no wire format)');
}
