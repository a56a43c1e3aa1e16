import type { ProviderConfig, UpstreamRequest } from '../adapter.js';
import type { ChatRequest, Message, ToolChoice } from '../types.js';
import { withPassedFields } from '../passed-fields.js';
import { effortForBudget } from '../reasoning-effort.js';
import { openAIEndpoint } from './endpoint.js';

/**
 * Internal request → OpenAI Chat Completions body. Used when the inbound surface is not OpenAI
 * (e.g. an Anthropic SDK client calling an OpenAI-format model); OpenAI clients take the
 * pass-through path instead and never come here.
 */
export function convertToOpenAIRequest(req: ChatRequest): Record<string, unknown> {
  const body: Record<string, unknown> = { model: req.model, messages: req.messages.flatMap(toOpenAIMessages) };
  if (req.tools?.length) {
    body.tools = req.tools.map((t) => ({
      type: 'function',
      function: { name: t.name, description: t.description, parameters: t.parameters, ...(t.strict !== undefined && { strict: t.strict }) },
    }));
  }
  if (req.toolChoice) body.tool_choice = toOpenAIToolChoice(req.toolChoice);
  if (req.parallelToolCalls !== undefined && req.tools?.length) body.parallel_tool_calls = req.parallelToolCalls;
  if (req.maxTokens !== undefined) body.max_completion_tokens = req.maxTokens;
  copy(body, 'temperature', req.temperature);
  copy(body, 'top_p', req.topP);
  copy(body, 'stop', req.stop);
  copy(body, 'seed', req.seed);
  copy(body, 'n', req.n);
  copy(body, 'presence_penalty', req.presencePenalty);
  copy(body, 'frequency_penalty', req.frequencyPenalty);
  // An explicit thinking budget (Anthropic `thinking.budget_tokens`) wins, as a level.
  copy(body, 'reasoning_effort', req.reasoningBudgetTokens !== undefined ? effortForBudget(req.reasoningBudgetTokens) : req.reasoningEffort);
  copy(body, 'user', req.user);
  copy(body, 'metadata', req.metadata);
  if (req.responseFormat) {
    const f = req.responseFormat;
    body.response_format =
      f.type === 'json_schema'
        ? { type: 'json_schema', json_schema: { name: f.name ?? 'response', schema: f.schema, ...(f.strict !== undefined && { strict: f.strict }), ...(f.description && { description: f.description }) } }
        : { type: f.type };
  }
  if (req.stream) {
    body.stream = true;
    // Always ask for usage: metering needs it even when the client did not.
    body.stream_options = { include_usage: true };
  }
  return body;
}

export function buildOpenAIChatRequest(req: ChatRequest, cfg: ProviderConfig): UpstreamRequest {
  const { url, headers } = openAIEndpoint(cfg, 'chat', req.model);
  const body = withPassedFields(convertToOpenAIRequest(req), req.passedFields);
  if (req.stream && cfg.options.stream_usage === false) delete body.stream_options;
  return { method: 'POST', url, headers, body: JSON.stringify(body) };
}

function toOpenAIMessages(m: Message): Record<string, unknown>[] {
  switch (m.role) {
    case 'system':
      return [{ role: 'system', content: m.content.map((p) => p.text).join('\n\n') }];
    case 'user': {
      const simple = m.content.length === 1 && m.content[0]?.type === 'text';
      return [
        {
          role: 'user',
          ...(m.name && { name: m.name }),
          content: simple
            ? (m.content[0] as { text: string }).text
            : m.content.map((p) =>
                p.type === 'text'
                  ? { type: 'text', text: p.text }
                  : { type: 'image_url', image_url: { url: p.url ?? `data:${p.mediaType};base64,${p.data}`, ...(p.detail && { detail: p.detail }) } },
              ),
        },
      ];
    }
    case 'assistant': {
      // Reasoning parts have no place in OpenAI's chat input: they are dropped.
      const text = m.content.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('');
      const calls = m.content.flatMap((p) => (p.type === 'tool-call' ? [p] : []));
      return [
        {
          role: 'assistant',
          content: text || (calls.length ? null : ''),
          ...(calls.length && { tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })) }),
        },
      ];
    }
    case 'tool':
      return m.content.map((r) => ({
        role: 'tool',
        tool_call_id: r.toolCallId,
        content:
          typeof r.content === 'string'
            ? r.content
            : r.content.map((p) => (p.type === 'text' ? { type: 'text', text: p.text } : { type: 'image_url', image_url: { url: p.url ?? `data:${p.mediaType};base64,${p.data}` } })),
      }));
  }
}

function toOpenAIToolChoice(c: ToolChoice): unknown {
  return c.type === 'tool' ? { type: 'function', function: { name: c.name } } : c.type;
}

function copy(target: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined) target[key] = value;
}
