import { responsesId } from './render.js';

type Item = Record<string, any>;

const ID_PREFIX: Record<string, string> = { message: 'msg', function_call: 'fc', function_call_output: 'fco', reasoning: 'rs' };

/**
 * A request's `input` as stored items, the shape `GET /v1/responses/{id}/input_items` lists: a
 * string is one user message; every item has its `type`, an `id` (made here when the client sent
 * none) and a `status`; string message content becomes one text part.
 */
export function normaliseInput(input: unknown): Item[] {
  if (typeof input === 'string') return [normaliseItem({ role: 'user', content: input })];
  return Array.isArray(input) ? input.map(normaliseItem) : [];
}

function normaliseItem(item: unknown): Item {
  // Not an item at all: kept as it came (an OpenAI upstream judged it; nothing reads it back).
  if (!item || typeof item !== 'object' || Array.isArray(item)) return item as Item;
  const it = item as Item;
  const type = typeof it.type === 'string' ? it.type : 'message';
  const out: Item = { ...it, type, id: typeof it.id === 'string' ? it.id : responsesId(ID_PREFIX[type] ?? 'item') };
  if (type !== 'reasoning' && out.status === undefined) out.status = 'completed';
  if (type === 'message' && typeof it.content === 'string') {
    out.content = [it.role === 'assistant' ? { type: 'output_text', text: it.content, annotations: [] } : { type: 'input_text', text: it.content }];
  }
  return out;
}

/**
 * A stored response as the history a continuation starts from: its input items, then its output.
 * The ids the gateway gave the client's own items (messages it sent, tool outputs) are dropped:
 * an OpenAI upstream would look them up as its own.
 */
export function historyOf(inputItems: Item[], outputItems: Item[]): Item[] {
  const own = (it: Item) => it && typeof it === 'object' && (it.type === 'function_call_output' || (it.type === 'message' && it.role !== 'assistant'));
  return [...inputItems.map((it) => (own(it) ? withoutId(it) : it)), ...outputItems];
}

function withoutId(it: Item): Item {
  const { id: _id, ...rest } = it;
  return rest;
}
