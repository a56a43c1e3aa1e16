import { createRequire } from 'node:module';
import type { Tiktoken } from 'tiktoken';

/**
 * Token counting with tiktoken (o200k_base, the encoding of OpenAI's current models) for
 * providers that report no usage and for streams cut before their usage arrived. Counts for
 * other providers' tokenizers are estimates, and records carry `estimated: true`.
 * The module and its encoder are loaded on first use, not at start-up: together they take
 * ~80 MB of RSS and ~100 ms, which a gateway that never needs an estimate should not pay.
 */
let encoder: Tiktoken | undefined;
const require = createRequire(import.meta.url);

export function countTokens(text: string): number {
  if (!text) return 0;
  encoder ??= (require('tiktoken') as typeof import('tiktoken')).get_encoding('o200k_base');
  return encoder.encode_ordinary(text).length;
}

/** Per-message overhead OpenAI documents for chat formatting (~3 tokens a message, 3 to prime the reply). */
export function countChatPromptTokens(messages: unknown): number {
  if (!Array.isArray(messages)) return 0;
  let n = 3;
  for (const m of messages) {
    n += 3;
    n += countTokens(textOfContent((m as any)?.content));
    const calls = (m as any)?.tool_calls;
    if (Array.isArray(calls)) for (const c of calls) n += countTokens(String(c?.function?.name ?? '') + String(c?.function?.arguments ?? ''));
  }
  return n;
}

export function textOfContent(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p: any) => (typeof p?.text === 'string' ? p.text : '')).join('\n');
  return '';
}
