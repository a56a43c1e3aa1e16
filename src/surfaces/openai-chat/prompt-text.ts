import { IMAGE_TOKENS, MESSAGE_OVERHEAD_TOKENS, type PromptText } from '../../metering/tokens.js';

/**
 * Everything an OpenAI chat body makes the model read, for counting (admission and estimates):
 * message text and names, tool calls (name + arguments), tool results, the tool definitions and
 * a `json_schema` response format (providers render both into the prompt and bill them as
 * input), images at IMAGE_TOKENS each; any other content part (audio, files) as its JSON text.
 */
export function openAIChatPromptText(b: Record<string, any>): PromptText {
  const parts: string[] = [];
  let fixedTokens = MESSAGE_OVERHEAD_TOKENS;
  for (const m of Array.isArray(b.messages) ? b.messages : []) {
    fixedTokens += MESSAGE_OVERHEAD_TOKENS;
    if (typeof m?.name === 'string') parts.push(m.name);
    fixedTokens += contentText(m?.content, parts);
    if (typeof m?.reasoning_content === 'string') parts.push(m.reasoning_content);
    if (Array.isArray(m?.tool_calls)) for (const c of m.tool_calls) parts.push(String(c?.function?.name ?? '') + String(c?.function?.arguments ?? ''));
  }
  if (b.tools != null) parts.push(JSON.stringify(b.tools));
  if (b.functions != null) parts.push(JSON.stringify(b.functions));
  if (b.response_format?.type === 'json_schema') parts.push(JSON.stringify(b.response_format.json_schema ?? null));
  return { text: parts.join('\n'), fixedTokens };
}

/** Text of a message's content into `parts`; returns the fixed tokens of its images. */
function contentText(content: unknown, parts: string[]): number {
  if (typeof content === 'string') {
    parts.push(content);
    return 0;
  }
  if (!Array.isArray(content)) return 0;
  let fixed = 0;
  for (const p of content) {
    if (typeof p?.text === 'string') parts.push(p.text);
    else if (p?.type === 'image_url') fixed += IMAGE_TOKENS;
    else if (p != null) parts.push(JSON.stringify(p));
  }
  return fixed;
}
