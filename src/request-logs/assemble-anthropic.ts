import { final, parse, text, type Assembly, type Budget, type Text } from './assembly.js';

interface Block {
  /** The `content_block` of `content_block_start`, as sent. */
  start: Record<string, any>;
  text: Text;
  thinking: Text;
  json: Text;
  signature: string;
  citations: unknown[];
}

/**
 * Anthropic Messages stream events → the `message` a non-stream call returns: `message_start`'s
 * message, each content block with its deltas joined (`text`, `thinking` + `signature`, a
 * `tool_use` block's `input` parsed from its `partial_json` pieces — kept as the string when it
 * is not whole JSON), `message_delta`'s stop reason and usage merged in. An `error` event is
 * kept as `error` (on its own when no message started).
 */
export function assembleAnthropic(budget: Budget): Assembly {
  let message: Record<string, any> | undefined;
  const blocks = new Map<number, Block>();
  let error: unknown;

  const block = (i: number, start: Record<string, any> = {}): Block => {
    let b = blocks.get(i);
    if (!b) blocks.set(i, (b = { start, text: text(), thinking: text(), json: text(), signature: '', citations: [] }));
    return b;
  };

  return {
    event(data, event) {
      const j = parse(data);
      if (!j) return;
      const type = event ?? j.type;
      if (type === 'message_start' && j.message && typeof j.message === 'object') message = { ...j.message };
      else if (type === 'content_block_start' && typeof j.index === 'number') block(j.index, j.content_block && typeof j.content_block === 'object' ? j.content_block : {});
      else if (type === 'content_block_delta' && typeof j.index === 'number') delta(block(j.index), j.delta, budget);
      else if (type === 'message_delta') {
        message ??= {};
        if (j.delta && typeof j.delta === 'object') for (const k of ['stop_reason', 'stop_sequence']) if (k in j.delta) message[k] = j.delta[k];
        if (j.usage && typeof j.usage === 'object') message.usage = { ...(message.usage ?? {}), ...j.usage };
      } else if (type === 'error') error = j.error ?? j;
    },
    result() {
      let cut = false;
      const take = (t: Text) => {
        cut ||= t.cut;
        return final(t);
      };
      const content = [...blocks.entries()].sort(([a], [b]) => a - b).map(([, b]) => assembled(b, take));
      const body = message ? { ...message, content, ...(error !== undefined && { error }) } : { type: 'error', error: error ?? null, ...(content.length && { content }) };
      return { text: JSON.stringify(body), cut };
    },
  };
}

function delta(b: Block, d: any, budget: Budget): void {
  if (!d || typeof d !== 'object') return;
  if (d.type === 'text_delta' && typeof d.text === 'string') budget.add(b.text, d.text);
  else if (d.type === 'thinking_delta' && typeof d.thinking === 'string') budget.add(b.thinking, d.thinking);
  else if (d.type === 'input_json_delta' && typeof d.partial_json === 'string') budget.add(b.json, d.partial_json);
  else if (d.type === 'signature_delta' && typeof d.signature === 'string') b.signature += d.signature;
  else if (d.type === 'citations_delta' && d.citation) b.citations.push(d.citation);
}

function assembled(b: Block, take: (t: Text) => string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...b.start };
  const type = out.type;
  if (type === 'text' || b.text.text) {
    out.text = (typeof out.text === 'string' ? out.text : '') + take(b.text);
    if (b.citations.length) out.citations = [...(Array.isArray(out.citations) ? out.citations : []), ...b.citations];
  }
  if (type === 'thinking' || b.thinking.text) {
    out.thinking = (typeof out.thinking === 'string' ? out.thinking : '') + take(b.thinking);
    out.signature = (typeof out.signature === 'string' ? out.signature : '') + b.signature;
  }
  if (b.json.text || b.json.cut) {
    const raw = take(b.json);
    try {
      out.input = b.json.cut ? raw : JSON.parse(raw);
    } catch {
      out.input = raw;
    }
  }
  return out;
}
