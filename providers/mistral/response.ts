/**
 * Mistral non-streaming body → internal ChatResponse. OpenAI-shaped [docs/wire-facts.md §4, fixtures
 * mistral-response-*.json], with three things to watch:
 * - `content` is a string, null, or (reasoning models) an array of `thinking` / `text` chunks
 *   (./content-chunks.ts) → reasoning parts and text parts, in order;
 * - `tool_calls` carry no `type` and no `index`; `arguments` is normally a JSON string but the
 *   SDK type also allows an object — normalised to a JSON string;
 * - `n` > 1: every choice is read, choice 0 into `content`, the others into `moreChoices`.
 */
import type { AssistantContentPart, ChatRequest, ChatResponse } from '../types.js';
import { splitMistralContent } from './content-chunks.js';
import { mapMistralFinishReason } from './finish-reason.js';
import { toMistralToolCallId } from './tool-call-ids.js';
import { convertMistralUsage } from './usage.js';
import type { MistralChatResponseBody, MistralInboundToolCall } from './wire-types.js';

export function parseMistralResponse(body: unknown, req: ChatRequest): ChatResponse {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new Error(`Mistral response is not a JSON object (got ${describe(body)})`);
  }
  const b = body as MistralChatResponseBody;
  const choices = (Array.isArray(b.choices) ? b.choices : []).filter((c) => c && typeof c === 'object');
  if (choices.length === 0) {
    throw new Error('Mistral response has no choices[0]: cannot read the assistant message');
  }
  const id = typeof b.id === 'string' ? b.id : '';
  const [first, ...rest] = choices
    .map((c, i) => ({ index: typeof c.index === 'number' ? c.index : i, ...convertChoice(c, i === 0 ? id : `${id}:${i}`) }))
    .sort((x, y) => x.index - y.index);
  const response: ChatResponse = {
    id,
    model: typeof b.model === 'string' ? b.model : req.model,
    created: typeof b.created === 'number' ? b.created : Math.floor(Date.now() / 1000),
    content: first!.content,
    finish: first!.finish,
  };
  if (rest.length > 0) response.moreChoices = rest.map(({ content, finish }) => ({ content, finish }));
  const usage = convertMistralUsage(b.usage);
  if (usage) response.usage = usage;
  return response;
}

type MistralChoice = NonNullable<MistralChatResponseBody['choices']>[number];

function convertChoice(choice: MistralChoice, idSeed: string): Pick<ChatResponse, 'content' | 'finish'> {
  const message = choice.message ?? {};
  const content: AssistantContentPart[] = [];
  for (const piece of splitMistralContent(message.content)) {
    if (piece.kind === 'text') content.push({ type: 'text', text: piece.text });
    else content.push({ type: 'reasoning', text: piece.text, ...(piece.signature && { signature: piece.signature }) });
  }
  (Array.isArray(message.tool_calls) ? message.tool_calls : []).forEach((tc, i) => {
    content.push({
      type: 'tool-call',
      id: toolCallId(tc, idSeed, i),
      name: tc.function?.name ?? '',
      arguments: toolCallArguments(tc.function?.arguments),
    });
  });
  return { content, finish: mapMistralFinishReason(choice.finish_reason) };
}

/** Mistral's SDK types `arguments` as `string | object`: hand on a JSON string either way. */
export function toolCallArguments(args: unknown): string {
  if (typeof args === 'string') return args;
  if (args === undefined || args === null) return '{}';
  return JSON.stringify(args);
}

/** A call without an id still needs one the client can answer to; make it valid for Mistral. */
export function toolCallId(tc: MistralInboundToolCall, responseId: string, index: number): string {
  if (typeof tc.id === 'string' && tc.id !== '' && tc.id !== 'null') return tc.id;
  return toMistralToolCallId(`${responseId}:${index}`, 1);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v;
}
