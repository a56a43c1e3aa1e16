/**
 * TRAP: reasoning models (magistral) send `content` as an ARRAY of chunks instead of a string:
 * `[{type:'thinking', thinking:[{type:'text', text}]}, {type:'text', text}]`
 * [docs/wire-facts.md §4, fixture mistral-stream-reasoning.chunks.jsonl]. This splits either form into
 * ordered text / reasoning pieces; unknown chunk types (references, images…) are skipped.
 */

export type MistralContentPiece =
  | { kind: 'text'; text: string }
  | { kind: 'reasoning'; text: string; signature?: string };

export function splitMistralContent(content: unknown): MistralContentPiece[] {
  if (typeof content === 'string') return content === '' ? [] : [{ kind: 'text', text: content }];
  if (!Array.isArray(content)) return [];
  const pieces: MistralContentPiece[] = [];
  for (const chunk of content) {
    if (chunk === null || typeof chunk !== 'object') continue;
    const c = chunk as Record<string, unknown>;
    if (c.type === 'text' && typeof c.text === 'string') {
      if (c.text !== '') pieces.push({ kind: 'text', text: c.text });
    } else if (c.type === 'thinking') {
      const text = thinkingText(c.thinking);
      const piece: MistralContentPiece = { kind: 'reasoning', text };
      // ThinkChunk.signature: "to replay some reasoning blocks across turns" (SDK 2.7 type).
      if (typeof c.signature === 'string' && c.signature !== '') piece.signature = c.signature;
      if (text !== '' || piece.signature) pieces.push(piece);
    }
  }
  return pieces;
}

/** `thinking` is itself an array of chunks; only its text chunks carry reasoning text. */
function thinkingText(thinking: unknown): string {
  if (typeof thinking === 'string') return thinking;
  if (!Array.isArray(thinking)) return '';
  let text = '';
  for (const t of thinking) {
    if (t && typeof t === 'object' && (t as any).type === 'text' && typeof (t as any).text === 'string') text += (t as any).text;
  }
  return text;
}
